import { Injectable, PipeTransform } from '@nestjs/common';
import { AppError } from './app-error';

const KIND = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$/;
// Kubernetes names are DNS subdomains for most kinds, but RBAC objects allow any path segment
// (system:aggregate-to-view): refuse only what can never be a name segment.
const NAME = /^(?!\.{1,2}$)[^/%\s]{1,253}$/;

function invalid(field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', 'Request validation failed', [
    { field, errors: [message] },
  ]);
}

@Injectable()
export class KindRefPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!KIND.test(value)) throw invalid('kind', 'kind must be a plural, a kind or plural.group');
    return value;
  }
}

@Injectable()
export class ObjectNamePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!NAME.test(value))
      throw invalid('name', 'name must be 1-253 characters without "/", "%" or spaces');
    return value;
  }
}
