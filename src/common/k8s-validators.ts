import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';

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
export const IsK8sNamespace = (options: { optional?: boolean } = {}) =>
  dnsLabel('namespace', options.optional === true);

/** A container name: a DNS-1123 label. */
export const IsK8sContainerName = (options: { optional?: boolean } = {}) =>
  dnsLabel('container', options.optional === true);

/** Characters a label or field selector can use (the API server parses the rest). */
const SELECTOR = /^[A-Za-z0-9._\-/=!,()\s]*$/;

function selector(field: 'labelSelector' | 'fieldSelector'): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    MaxLength(1024),
    Matches(SELECTOR, { message: `${field} has characters no selector uses` }),
    ApiProperty({ required: false, pattern: SELECTOR.source, maxLength: 1024, type: String }),
  );
}

/** An optional label selector, as kubectl -l (e.g. app=web,tier!=db). */
export const IsLabelSelector = () => selector('labelSelector');

/** An optional field selector, as kubectl --field-selector (e.g. status.phase=Running). */
export const IsFieldSelector = () => selector('fieldSelector');

/** An optional page size for a Kubernetes LIST: 1–500 (the API server's own pages are 500 at most here). */
export const IsPageLimit = () =>
  applyDecorators(
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(500),
    ApiProperty({ required: false, minimum: 1, maximum: 500, type: Number }),
  );

/** An optional `continue` token of a previous page, passed through to the API server. */
export const IsContinueToken = () =>
  applyDecorators(
    IsOptional(),
    MaxLength(8192),
    ApiProperty({ required: false, maxLength: 8192, type: String }),
  );
