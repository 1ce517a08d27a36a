import type { EndpointSliceRecord } from '../cluster-state/records/networking';
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
 * Ready endpoints per namespace and service, summed over its slices. Nested maps, not
 * `namespace/service` keys: an incremental run looks up every Service's count to stamp it, and a
 * key string per Service per run is garbage the overview requests pay for in scavenges.
 */
export function readyEndpointIndex(
  slices: readonly EndpointSliceRecord[],
): Map<string, Map<string, number>> {
  return sumPerService(slices, (e) => e.ready);
}

/** Endpoints (ready or not) per namespace and service: only Services with a slice have an entry. */
export function endpointCountIndex(
  slices: readonly EndpointSliceRecord[],
): Map<string, Map<string, number>> {
  return sumPerService(slices, (e) => e.total);
}

function sumPerService(
  slices: readonly EndpointSliceRecord[],
  count: (slice: EndpointSliceRecord) => number,
): Map<string, Map<string, number>> {
  const sums = new Map<string, Map<string, number>>();
  for (const e of slices) {
    let services = sums.get(e.namespace);
    if (!services) sums.set(e.namespace, (services = new Map()));
    services.set(e.service, (services.get(e.service) ?? 0) + count(e));
  }
  return sums;
}

/**
 * The detectors' view of a live snapshot for one evaluation: each kind is listed once (the
 * snapshot copies on list), pods are indexed (by namespace, by label) and ready endpoints counted
 * once, on first use, whatever the detectors ask; every slice of the evaluation shares them.
 */
export function snapshotInput(snapshot: DiagnosedSnapshot, now = Date.now()): DetectorInput {
  const lists = new Map<CachedKindName, unknown[]>();
  let pods: PodIndex | undefined;
  let endpoints: Map<string, Map<string, number>> | undefined;
  let counts: Map<string, Map<string, number>> | undefined;
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
    readyEndpoints: (namespace, service) =>
      (endpoints ??= readyEndpointIndex(list('endpointslices'))).get(namespace)?.get(service) ?? 0,
    // Built on first use only: asked for Services with ready pods and no ready endpoint.
    endpointCount: (namespace, service) =>
      (counts ??= endpointCountIndex(list('endpointslices'))).get(namespace)?.get(service),
    allocation: (node) => snapshot.aggregates.allocation(node),
  };
}
