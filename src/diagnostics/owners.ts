import type { PodRecord } from '../cluster-state/records/pod';
import type { ObjectRef } from '../cluster-state/finding';
import { podRef } from '../cluster-state/finding';
import type { DetectorInput } from './detectors/detector';

const GROUPS: Record<string, string> = {
  Deployment: 'apps',
  ReplicaSet: 'apps',
  StatefulSet: 'apps',
  DaemonSet: 'apps',
  Job: 'batch',
  CronJob: 'batch',
};

/** The owner one step up from a ReplicaSet (its Deployment) or a Job (its CronJob), when cached. */
function parentOf(input: Pick<DetectorInput, 'get'>, ref: ObjectRef): ObjectRef | undefined {
  const record =
    ref.kind === 'ReplicaSet'
      ? input.get('replicasets', ref.name, ref.namespace)
      : ref.kind === 'Job'
        ? input.get('jobs', ref.name, ref.namespace)
        : undefined;
  const owner = record?.owner;
  if (!owner) return undefined;
  return {
    group: GROUPS[owner.kind] ?? '',
    kind: owner.kind,
    namespace: ref.namespace,
    name: owner.name,
  };
}

/**
 * The owner chain of a pod, nearest first (ReplicaSet, then Deployment), so a finding names the
 * workload a person acts on: the last element, or the pod itself when nothing owns it.
 */
export function ownerChain(
  input: Pick<DetectorInput, 'get'>,
  pod: PodRecord | undefined,
  ref: ObjectRef,
): ObjectRef[] {
  const chain: ObjectRef[] = [];
  if (!pod?.owner) return chain;
  let current: ObjectRef | undefined = {
    group: GROUPS[pod.owner.kind] ?? '',
    kind: pod.owner.kind,
    namespace: ref.namespace,
    name: pod.owner.name,
  };
  while (current && chain.length < 3) {
    chain.push(current);
    current = parentOf(input, current);
  }
  return chain;
}

export const workloadOf = (chain: ObjectRef[], pod: ObjectRef): ObjectRef =>
  chain.length ? chain[chain.length - 1] : pod;

export { podRef };
