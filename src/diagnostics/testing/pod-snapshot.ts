import { hygienic } from './diagnostics-builders';
import { slimPod } from '../../cluster-state/records/pod';
import type { ClusterSnapshot, SnapshotListener } from '../../monitor/cluster-snapshot';

/**
 * A snapshot holding pods of namespace `shop` only, as the Monitor's port presents them: `put`
 * writes a pod (healthy, or waiting with `reason`) and announces it, `remove` deletes one,
 * `settle` ends the first sync when it was not settled from the start.
 */
export function podSnapshot(clusterId = 'c1', { settled = true } = {}) {
  const pods = new Map<string, ReturnType<typeof slimPod>>();
  const listeners = new Set<SnapshotListener>();
  let isSettled = settled;
  const snapshot = {
    clusterId,
    get settled() {
      return isSettled;
    },
    list: (kind: string) => (kind === 'pods' ? [...pods.values()] : []),
    get: (kind: string, name: string, ns?: string) =>
      kind === 'pods' ? pods.get(`${ns}/${name}`) : undefined,
    caches: (kind: string) => kind === 'pods',
    status: () => ({ pods: { lastSyncedAt: isSettled ? '2026-01-01T00:00:00Z' : null } }),
    subscribe: (l: SnapshotListener) => (listeners.add(l), () => listeners.delete(l)),
    aggregates: { allocation: () => undefined },
  } as unknown as ClusterSnapshot;
  const put = (name: string, reason?: string) => {
    const record = slimPod({
      metadata: { name, namespace: 'shop' },
      spec: {
        containers: [hygienic('app', { requests: { cpu: '1' } })],
        automountServiceAccountToken: false,
      },
      status: {
        phase: 'Running',
        containerStatuses: [
          reason
            ? { name: 'app', ready: false, restartCount: 2, state: { waiting: { reason } } }
            : { name: 'app', ready: true, restartCount: 0, state: { running: {} } },
        ],
        conditions: [{ type: 'Ready', status: reason ? 'False' : 'True' }],
      },
    });
    const previous = pods.get(`shop/${name}`);
    pods.set(`shop/${name}`, record);
    for (const l of listeners) l({ kind: 'pods', type: previous ? 'updated' : 'added', record });
  };
  const remove = (name: string) => {
    const record = pods.get(`shop/${name}`)!;
    pods.delete(`shop/${name}`);
    for (const l of listeners) l({ kind: 'pods', type: 'deleted', record });
  };
  return { snapshot, put, remove, settle: () => (isSettled = true) };
}
