import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsOptionalNotNull } from './dto-field.decorator';

export interface IntegerOptions {
  /** May be absent; 'undefined-only': absent, but not null (null is not an integer). */
  optional?: boolean | 'undefined-only';
  /** Sent in the query string: converted from its text before it is checked. */
  query?: boolean;
  /** The value used when it is absent, for the document. */
  default?: number;
}

/**
 * An integer in [min, max], documented as one: the Swagger plugin states an @IsInt property as a
 * `number`, which tells a client (and a fuzzer) that 1.5 is fine.
 */
export const IsIntegerIn = (min: number, max: number | undefined, options: IntegerOptions = {}) =>
  applyDecorators(
    ...optionality(options.optional),
    ...(options.query ? [Type(() => Number)] : []),
    IsInt(),
    Min(min),
    ...(max === undefined ? [] : [Max(max)]),
    ApiProperty({
      type: 'integer',
      required: options.optional === undefined || options.optional === false,
      minimum: min,
      ...(max === undefined ? {} : { maximum: max }),
      ...(options.default === undefined ? {} : { default: options.default }),
    }),
  );

function optionality(optional: IntegerOptions['optional']): PropertyDecorator[] {
  if (optional === 'undefined-only') return [IsOptionalNotNull()];
  return optional ? [IsOptional()] : [];
}
