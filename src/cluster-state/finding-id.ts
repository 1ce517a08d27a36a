import { createHash } from 'node:crypto';
import type { ObjectRef } from './finding';

/** A finding id: 16 lowercase hex digits of the hash of cluster, code and object. */
export const FINDING_ID = /^[0-9a-f]{16}$/;

export const refKey = (r: ObjectRef): string => `${r.group}/${r.kind}/${r.namespace}/${r.name}`;

/** Stable across evaluations and restarts: the same problem of the same object keeps its id. */
export function findingId(clusterId: string, code: string, object: ObjectRef): string {
  return createHash('sha256')
    .update(`${clusterId}\n${code}\n${refKey(object)}`)
    .digest('hex')
    .slice(0, 16);
}
