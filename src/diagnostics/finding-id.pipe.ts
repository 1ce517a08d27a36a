import { Injectable, PipeTransform } from '@nestjs/common';
import { AppError } from '../common/app-error';

/** Finding ids are 16 lowercase hex digits (see findingId in evaluate.ts). */
const FINDING_ID = /^[0-9a-f]{16}$/;

@Injectable()
export class FindingIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!FINDING_ID.test(value))
      throw new AppError('VALIDATION_FAILED', 'Request validation failed', [
        { field: 'findingId', errors: ['findingId must be 16 hexadecimal digits'] },
      ]);
    return value;
  }
}
