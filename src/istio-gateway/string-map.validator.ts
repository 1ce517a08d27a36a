import { applyDecorators } from '@nestjs/common';
import { IsOptional, registerDecorator, ValidationArguments } from 'class-validator';

/** An object whose values are all strings: label maps and selectors. */
export function IsStringMap(options: { optional?: boolean } = {}): PropertyDecorator {
  const stringMap: PropertyDecorator = (target, propertyName) =>
    registerDecorator({
      name: 'isStringMap',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.values(value).every((v) => typeof v === 'string'),
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property} must be an object of string values`,
      },
    });
  return applyDecorators(...(options.optional ? [IsOptional()] : []), stringMap);
}
