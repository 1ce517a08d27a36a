import { Injectable } from '@nestjs/common';
import type { ObjectRef } from '../cluster-state/finding';
import type { RelatedObject } from './relations';

/**
 * The seam for the service graph: the callers and callees of a finding's object, whose changes
 * are suspects too. Telemetry provides them where it exists; without telemetry there are none.
 */
export abstract class ServiceNeighbours {
  abstract of(clusterId: string, object: ObjectRef): Promise<RelatedObject[]>;
}

@Injectable()
export class NoServiceNeighbours extends ServiceNeighbours {
  of(): Promise<RelatedObject[]> {
    return Promise.resolve([]);
  }
}
