import { createHash } from 'node:crypto';
import type { ObjectChangeRow } from '../k8s-resources/object-changes';
import { trackedOf } from '../cluster-state/records/change-fields';
import type { SnapshotChange } from '../monitor/cluster-snapshot';
import {
  ChangeDraft,
  lifecycleChange,
  rolloutChange,
  TRACKED_KINDS,
  updateChange,
} from './change-diff';

/** A change ready to store: the draft, its cluster and when the watch delivered it. */
export interface ChangeRow extends ObjectChangeRow {
  clusterId: string;
  group: string;
  diff: string;
}

interface Named {
  name: string;
  namespace?: string;
  metadata?: { name: string; namespace?: string };
  owner?: { kind: string; name: string };
}

/** Slim records keep name and namespace at the top; spec objects (Services, Istio) in metadata. */
function nameOf(record: Named): { namespace: string; name: string } {
  return {
    namespace: record.namespace ?? record.metadata?.namespace ?? '',
    name: record.name ?? record.metadata?.name ?? '',
  };
}

/**
 * The change one watch event makes, if any. Before the first sync is over (`settled`), an added
 * object is the cache filling, not a creation, and is not a change.
 */
export function changeFromEvent(event: SnapshotChange, settled: boolean): ChangeDraft | undefined {
  const next = trackedOf(event.record);
  if (!next) return undefined;
  const record = event.record as Named;
  if (event.kind === 'replicasets') {
    if (event.type === 'deleted' || (event.type === 'added' && !settled)) return undefined;
    const previous = event.previous ? trackedOf(event.previous) : undefined;
    return rolloutChange({ ...nameOf(record), owner: record.owner }, previous, next);
  }
  const info = TRACKED_KINDS[event.kind];
  if (!info) return undefined;
  if (event.type === 'updated') {
    const previous = event.previous && trackedOf(event.previous);
    return previous ? updateChange(info, nameOf(record), previous, next) : undefined;
  }
  if (!settled) return undefined;
  return lifecycleChange(
    info,
    nameOf(record),
    next,
    event.type === 'added' ? 'created' : 'deleted',
  );
}

/** The stored id: the same change seen by two replicas gets the same id. */
export function changeId(clusterId: string, draft: ChangeDraft): string {
  const { group, kind, namespace, name } = draft.object;
  return createHash('sha256')
    .update(
      [clusterId, group, kind, namespace, name, draft.resourceVersion, draft.category].join('|'),
    )
    .digest('hex')
    .slice(0, 32);
}

export function changeRow(clusterId: string, draft: ChangeDraft, at: number): ChangeRow {
  return {
    id: changeId(clusterId, draft),
    clusterId,
    at: new Date(at).toISOString(),
    ...draft.object,
    category: draft.category,
    manager: draft.manager?.slice(0, 128) ?? null,
    summary: draft.summary.slice(0, 1000),
    diff: JSON.stringify(draft.diff),
  };
}
