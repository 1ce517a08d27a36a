import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Matches, ValidationOptions } from 'class-validator';

/**
 * `@Matches` that states its pattern in the OpenAPI document too. The Swagger plugin copies only
 * regular-expression literals into the schema: with a shared constant the document stayed silent,
 * and clients (and fuzzers) sent values the route then refused.
 */
export function MatchesDocumented(
  pattern: RegExp,
  options: ValidationOptions & { optional?: boolean } = {},
) {
  const { optional = false, ...validation } = options;
  return applyDecorators(
    Matches(pattern, validation),
    ApiProperty({
      required: !optional,
      type: validation.each ? [String] : String,
      pattern: pattern.source,
    }),
  );
}
