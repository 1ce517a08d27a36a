import { applyDecorators, Body, PipeTransform, Type } from '@nestjs/common';
import { ApiBody, ApiExtraModels, getSchemaPath } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AppError } from './app-error';
import { fieldErrors } from './validation.pipe';

/** A tagged union of body DTOs: the value of the tag property names the DTO that reads the body. */
export interface BodyVariants {
  tag: string;
  variants: Record<string, Type<object>>;
}

/**
 * DTO names whose schemas are variants of a discriminated body: read with the strict rules, so
 * the finished document closes them (`additionalProperties: false`) like any DTO body.
 */
export const CLOSED_VARIANTS = new Set<string>();

function invalid(field: string, errors: string[]): AppError {
  return new AppError('VALIDATION_FAILED', 'Request validation failed', [{ field, errors }]);
}

/**
 * Validates the body with the DTO its tag names, under the global pipe's rules (whitelist,
 * forbidNonWhitelisted): a field of another variant is refused as an unknown property. The
 * global pipe leaves such a body alone, because its declared type is a union (Object at run time).
 */
export class DiscriminatedBodyPipe implements PipeTransform<unknown, Promise<object>> {
  constructor(private readonly union: BodyVariants) {}

  async transform(value: unknown): Promise<object> {
    const { tag, variants } = this.union;
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    const name = isObject ? (value as Record<string, unknown>)[tag] : undefined;
    if (typeof name !== 'string' || !Object.hasOwn(variants, name))
      throw invalid(tag, [
        `${tag} must be one of the following values: ${Object.keys(variants).join(', ')}`,
      ]);
    const instance = plainToInstance(variants[name], value);
    const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length)
      throw new AppError('VALIDATION_FAILED', 'Request validation failed', fieldErrors(errors));
    return instance;
  }
}

/** The body parameter of a tagged union (see {@link ApiDiscriminatedBody} for its document). */
export const DiscriminatedBody = (union: BodyVariants) => Body(new DiscriminatedBodyPipe(union));

/**
 * Documents a tagged-union body as `oneOf` the variants with a discriminator on the tag, so a
 * generated client gets one type per variant and Swagger UI one example per variant.
 */
export function ApiDiscriminatedBody(union: BodyVariants, description?: string) {
  const models = Object.values(union.variants);
  models.forEach((model) => CLOSED_VARIANTS.add(model.name));
  const mapping = Object.fromEntries(
    Object.entries(union.variants).map(([value, model]) => [value, getSchemaPath(model)]),
  );
  return applyDecorators(
    ApiExtraModels(...models),
    ApiBody({
      description,
      schema: {
        oneOf: models.map((model) => ({ $ref: getSchemaPath(model) })),
        discriminator: { propertyName: union.tag, mapping },
      },
    }),
  );
}
