import { Injectable, PipeTransform } from '@nestjs/common';
import { AppError } from '../common/app-error';

const CLUSTER_REF =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)$/i;

/** `:clusterId` is a cluster's id (UUID) or its name (DNS-1123 label); anything else is a 400. */
@Injectable()
export class ClusterIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!CLUSTER_REF.test(value)) {
      throw new AppError('VALIDATION_FAILED', 'Request validation failed', [
        {
          field: 'clusterId',
          errors: ['clusterId must be a cluster id (UUID) or name (DNS-1123 label)'],
        },
      ]);
    }
    return value;
  }
}
