import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

/** Validation of Kubernetes domain primitives, one named decorator each, so every DTO says the same. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function dnsLabel(field: string, optional: boolean): PropertyDecorator {
  return applyDecorators(
    ...(optional ? [IsOptional()] : []),
    Matches(DNS_LABEL, { message: `${field} must be a DNS-1123 label` }),
    // The Swagger plugin cannot see through a composite decorator, so the pattern is declared here.
    ApiProperty({ required: !optional, pattern: DNS_LABEL.source, type: String }),
  );
}

/** A namespace name: a DNS-1123 label. */
export const IsK8sNamespace = (options: { optional?: boolean } = {}) => dnsLabel('namespace', options.optional === true);

/** A container name: a DNS-1123 label. */
export const IsK8sContainerName = (options: { optional?: boolean } = {}) => dnsLabel('container', options.optional === true);
