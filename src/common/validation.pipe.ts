import { ValidationError, ValidationPipe } from '@nestjs/common';
import { AppError } from './app-error';

export interface FieldError {
  field: string;
  errors: string[];
}

/** Flattens nested class-validator errors to one entry per field path ("servers.0.port"). */
export function fieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, errors: Object.values(error.constraints) }] : [];
    return [...own, ...fieldErrors(error.children ?? [], field)];
  });
}

/** Strict by default: unknown properties are refused, not silently dropped. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) =>
      new AppError('VALIDATION_FAILED', 'Request validation failed', fieldErrors(errors)),
  });
}
