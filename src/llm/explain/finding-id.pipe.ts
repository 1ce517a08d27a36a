import { PipeTransform } from '@nestjs/common';
import { AppError } from '../../common/app-error';

const FINDING_ID = /^[A-Za-z0-9][A-Za-z0-9._:~-]{0,511}$/;

export class FindingIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!FINDING_ID.test(value))
      throw new AppError('VALIDATION_FAILED', 'Request validation failed', [
        { field: 'findingId', errors: ['findingId must be letters, digits and . _ : ~ -'] },
      ]);
    return value;
  }
}
