import { PipeTransform } from '@nestjs/common';
import { AppError } from '../common/app-error';
import { FINDING_ID } from '../cluster-state/finding-id';
import { EXPLAINABLE_FINDING_ID_RULE } from '../common/input-vocabulary';

/**
 * The `findingId` path parameter: a finding id (see src/cluster-state/finding-id.ts). Given `{ meshIds: true }` it
 * also lets through ids of the older Istio form, which the explain route still answers (docs/llm.md).
 */
export class FindingIdPipe implements PipeTransform<string, string> {
  constructor(private readonly options: { meshIds?: boolean } = {}) {}

  transform(value: string): string {
    const [pattern, rule] = this.options.meshIds
      ? [EXPLAINABLE_FINDING_ID_RULE.pattern, 'findingId must be letters, digits and . _ : ~ -']
      : [FINDING_ID, 'findingId must be 16 hexadecimal digits'];
    if (!pattern.test(value))
      throw new AppError('VALIDATION_FAILED', 'Request validation failed', [
        { field: 'findingId', errors: [rule] },
      ]);
    return value;
  }
}
