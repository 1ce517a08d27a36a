import { createHash } from 'node:crypto';
import type { PodRecord } from '../cluster-state/records/pod';
import type { OwnerRef } from '../cluster-state/records/owner';

/** The owners a workload's pods point at, one step up: a ReplicaSet's Deployment, a Job's CronJob. */
export interface OwnerLookup {
  replicaSetOwner(namespace: string, name: string): OwnerRef | undefined;
  jobOwner(namespace: string, name: string): OwnerRef | undefined;
}

export interface WorkloadRestarts {
  namespace: string;
  kind: string;
  name: string;
  /** Sum of restartCount over the containers of the workload's current pods. */
  restarts: number;
  /** Pods of the workload with at least one restart. */
  pods: number;
}

/** Workload rows kept per cluster and tick: the most restarting ones (see docs/forecasts.md). */
export const MAX_WORKLOAD_ROWS = 200;
/** The history's name column holds 253 characters: longer keys keep a readable prefix and a hash. */
const MAX_KEY = 253;

/** The workload a person acts on: Pod → ReplicaSet → Deployment, Pod → Job → CronJob, or the pod. */
export function workloadOf(pod: PodRecord, owners: OwnerLookup): { kind: string; name: string } {
  const owner = pod.owner;
  if (!owner) return { kind: 'Pod', name: pod.name };
  const parent =
    owner.kind === 'ReplicaSet'
      ? owners.replicaSetOwner(pod.namespace, owner.name)
      : owner.kind === 'Job'
        ? owners.jobOwner(pod.namespace, owner.name)
        : undefined;
  return parent ?? owner;
}

const restartsOf = (pod: PodRecord): number =>
  (pod.containers ?? []).reduce((sum, c) => sum + c.restarts, 0);

/**
 * Restarts per workload, for workloads with at least one restart, most restarts first and at most
 * `limit`. Only pods that restarted carry container states (slim records keep no others), so this
 * costs one pass over the pods and nothing for healthy ones.
 */
export function workloadRestarts(
  pods: readonly PodRecord[],
  owners: OwnerLookup,
  limit = MAX_WORKLOAD_ROWS,
): WorkloadRestarts[] {
  const byKey = new Map<string, WorkloadRestarts>();
  for (const pod of pods) {
    const restarts = restartsOf(pod);
    if (restarts === 0) continue;
    const { kind, name } = workloadOf(pod, owners);
    const key = `${pod.namespace}/${kind}/${name}`;
    const entry = byKey.get(key) ?? { namespace: pod.namespace, kind, name, restarts: 0, pods: 0 };
    entry.restarts += restarts;
    entry.pods += 1;
    byKey.set(key, entry);
  }
  return [...byKey.values()]
    .sort((a, b) => b.restarts - a.restarts || workloadKey(a).localeCompare(workloadKey(b)))
    .slice(0, limit);
}

/** The history row name of a workload: `<namespace>/<Kind>/<name>`, bounded to the column. */
export function workloadKey(w: { namespace: string; kind: string; name: string }): string {
  const key = `${w.namespace}/${w.kind}/${w.name}`;
  if (key.length <= MAX_KEY) return key;
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return `${key.slice(0, MAX_KEY - 17)}~${hash}`;
}

/** The parts of a workload key; a hashed (over-long) key gives its prefix back as the name. */
export function parseWorkloadKey(key: string): { namespace: string; kind: string; name: string } {
  const [namespace, kind, ...rest] = key.split('/');
  return { namespace, kind, name: rest.join('/') };
}
