import type { PodRecord } from '../cluster-state/records/pod';
import type { CachedKindName, CachedRecords, ClusterSnapshot } from '../monitor/cluster-snapshot';
import type { DetectorInput } from './detectors/detector';

/**
 * The detectors' view of a live snapshot for one evaluation: each kind is listed once (the
 * snapshot copies on list) and pods are indexed by namespace once, whatever the detectors ask.
 */
export function snapshotInput(snapshot: ClusterSnapshot, now = Date.now()): DetectorInput {
  const lists = new Map<CachedKindName, unknown[]>();
  let byNamespace: Map<string, PodRecord[]> | undefined;
  const status = snapshot.status();
  // A kind that never synced (forbidden, or failing since start) reads as empty: detectors must
  // not conclude "missing" from it, so it counts as not cached. Stale data is still data.
  const usable = (kind: CachedKindName): boolean =>
    snapshot.caches(kind) && (status[kind]?.lastSyncedAt ?? null) !== null;
  const list = <K extends CachedKindName>(kind: K): CachedRecords[K][] => {
    let found = lists.get(kind);
    if (!found) lists.set(kind, (found = snapshot.list(kind)));
    return found as CachedRecords[K][];
  };
  return {
    now,
    list,
    get: (kind, name, namespace) => snapshot.get(kind, name, namespace),
    caches: usable,
    podsIn(namespace) {
      if (!byNamespace) {
        byNamespace = new Map();
        for (const pod of list('pods')) {
          const pods = byNamespace.get(pod.namespace);
          if (pods) pods.push(pod);
          else byNamespace.set(pod.namespace, [pod]);
        }
      }
      return byNamespace.get(namespace) ?? [];
    },
    allocation: (node) => snapshot.aggregates.allocation(node),
  };
}
