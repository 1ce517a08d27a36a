import { Injectable } from '@nestjs/common';
import { ObjectChanges, ObjectChangeRow } from '../k8s-resources/object-changes';
import { ChangesService } from './changes.service';

/** How many changes an object's events timeline carries. */
const PER_OBJECT = 100;

/** The events route's `include=changes`, answered from the stored timeline. */
@Injectable()
export class TimelineObjectChanges extends ObjectChanges {
  constructor(private readonly changes: ChangesService) {
    super();
  }

  async of(
    clusterId: string,
    object: { kind: string; namespace: string; name: string },
  ): Promise<ObjectChangeRow[]> {
    const page = await this.changes.list(clusterId, { ...object, limit: PER_OBJECT, offset: 0 });
    return page.items.map(({ group: _g, diff: _d, ...row }) => row);
  }
}
