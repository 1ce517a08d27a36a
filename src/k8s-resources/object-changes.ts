import type { ObjectChangeRowDto } from './events.dto';

/**
 * The port through which an object's events are joined with its recorded changes on one timeline
 * (`include=changes`). The change timeline (src/changes, a higher layer) provides it; without it,
 * the events route answers events alone.
 */
export type ObjectChangeRow = ObjectChangeRowDto;

export abstract class ObjectChanges {
  /** The newest recorded changes of one object (by its Kind, e.g. Deployment). */
  abstract of(
    clusterId: string,
    object: { kind: string; namespace: string; name: string },
  ): Promise<ObjectChangeRow[]>;
}
