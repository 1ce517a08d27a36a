import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

// Only decorators the Swagger plugin does not read are composed here: it reads limits such as
// @ArrayMaxSize or @Matches from the source text, so those stay on the field where it sees them.

/**
 * May be absent, but not null: unlike @IsOptional, which skips null as well, a null is held to the
 * field's other rules and so refused.
 */
export const IsOptionalNotNull = (): PropertyDecorator =>
  ValidateIf((_dto: object, value: unknown) => value !== undefined);

interface FieldOptions {
  /** May be absent. */
  optional?: boolean;
}

/**
 * A nested DTO, or with `each` an array of them, checked by its own rules. ValidateNested and Type
 * come as a pair: without Type the value stays a plain object and its rules never run.
 */
export function IsNested(
  type: () => new () => object,
  options: FieldOptions & { each?: boolean } = {},
): PropertyDecorator {
  return applyDecorators(
    ...(options.optional ? [IsOptional()] : []),
    ...(options.each ? [IsArray(), ValidateNested({ each: true })] : [ValidateNested()]),
    Type(type),
  );
}

/** A strict ISO-8601 instant in the query, documented as a `date-time` string. */
export function IsDateTime(options: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    ...(options.optional ? [IsOptional()] : []),
    IsISO8601({ strict: true }),
    ApiProperty({ required: !options.optional, type: String, format: 'date-time' }),
  );
}

/** A label or annotation map as Alertmanager sends it: an object, documented as string values. */
export function IsLabelMap(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }),
    IsObject(),
  );
}

/** A list whose every entry is one of `values`, documented as that enum (its size limit stays apart). */
export function IsEachIn(values: readonly string[], options: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ required: !options.optional, type: [String], enum: values }),
    ...(options.optional ? [IsOptional()] : []),
    IsArray(),
    IsIn(values, { each: true }),
  );
}

/** One of `values`, documented as that enum (the plugin cannot read a list kept in a constant). */
export function IsOneOf(values: readonly string[], options: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ required: !options.optional, type: String, enum: values }),
    ...(options.optional ? [IsOptional()] : []),
    IsIn(values),
  );
}
