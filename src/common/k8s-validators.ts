import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, MaxLength, Min, ValidateBy } from 'class-validator';
import { fieldSelectorProblem, labelSelectorProblem } from './selector-grammar';

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

const SELECTOR_CHARACTERS = /^[\x20-\x7E\t\r\n]*$/;

const SELECTOR_GRAMMAR = {
  labelSelector: labelSelectorProblem,
  fieldSelector: fieldSelectorProblem,
};

/**
 * Parsed here with the Kubernetes grammar (selector-grammar.ts), so an unparsable selector is a
 * 400 naming the field, decided before any request reaches the cluster.
 */
function selector(field: 'labelSelector' | 'fieldSelector'): PropertyDecorator {
  const problemOf = SELECTOR_GRAMMAR[field];
  return applyDecorators(
    IsOptional(),
    MaxLength(1024),
    // Printable ASCII (and the grammar's whitespace) keeps every URL within the header limit.
    Matches(SELECTOR_CHARACTERS, { message: `${field} must be printable ASCII` }),
    ValidateBy({
      name: field,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && problemOf(value) === null,
        defaultMessage: (args) =>
          typeof args?.value === 'string'
            ? `${field} is not valid: ${problemOf(args.value)}`
            : `${field} must be a string`,
      },
    }),
    ApiProperty({
      required: false,
      maxLength: 1024,
      pattern: SELECTOR_CHARACTERS.source,
      type: String,
    }),
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

const CONTINUE_TOKEN = /^[A-Za-z0-9_\-+/=]*$/;

/** An optional `continue` token of a previous page, passed through to the API server. */
export const IsContinueToken = () =>
  applyDecorators(
    IsOptional(),
    MaxLength(8192),
    // The API server's tokens are base64 (URL or standard alphabet); anything else is not one.
    Matches(CONTINUE_TOKEN, { message: 'continue must be a continue token of a previous page' }),
    ApiProperty({ required: false, maxLength: 8192, pattern: CONTINUE_TOKEN.source, type: String }),
  );
