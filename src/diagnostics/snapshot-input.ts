import type { CachedKindName, CachedRecords, DiagnosedSnapshot } from '../monitor/cluster-snapshot';
import type { DetectorInput } from './detectors/detector';
import { PodIndex } from './pod-index';

/**
 * Which kinds detectors may read. A kind that never synced (forbidden, or failing since start)
 * reads as empty: detectors must not conclude "missing" from it, so it counts as not cached.
 * Stale data is still data.
 */
export function usableKinds(
  snapshot: Pick<DiagnosedSnapshot, 'caches' | 'status'>,
): (kind: CachedKindName) => boolean {
  const status = snapshot.status();
  return (kind) => snapshot.caches(kind) && (status[kind]?.lastSyncedAt ?? null) !== null;
}

/**
 * The detectors' view of a live snapshot for one evaluation: each kind is listed once (the
 * snapshot copies on list) and pods are indexed (by namespace, by label) once, whatever the detectors ask.
 */
export function snapshotInput(snapshot: DiagnosedSnapshot, now = Date.now()): DetectorInput {
  const lists = new Map<CachedKindName, unknown[]>();
  let pods: PodIndex | undefined;
  const memos = new Map<string, unknown>();
  const usable = usableKinds(snapshot);
  const list = <K extends CachedKindName>(kind: K): CachedRecords[K][] => {
    let found = lists.get(kind);
    if (!found) lists.set(kind, (found = snapshot.list(kind)));
    return found as CachedRecords[K][];
  };
  const podIndex = (): PodIndex => {
    if (!pods) {
      pods = new PodIndex();
      for (const pod of list('pods')) pods.load(pod);
    }
    return pods;
  };
  return {
    now,
    list,
    get: (kind, name, namespace) => snapshot.get(kind, name, namespace),
    caches: usable,
    podsIn: (namespace) => podIndex().podsIn(namespace),
    namespacesWithPodLabel: (key, value) => podIndex().namespacesWithLabel(key, value),
    memo<T>(this: DetectorInput, key: string, build: (input: DetectorInput) => T): T {
      if (!memos.has(key)) memos.set(key, build(this));
      return memos.get(key) as T;
    },
    allocation: (node) => snapshot.aggregates.allocation(node),
  };
}
