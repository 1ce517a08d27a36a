import type { WorkloadRecord } from '../../cluster-state/records/workload';
import type { ConditionRecord } from '../../cluster-state/records/owner';
import { RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';

const apps = (kind: string, w: WorkloadRecord) => ({
  group: 'apps',
  kind,
  namespace: w.namespace,
  name: w.name,
});

const condition = (w: WorkloadRecord, type: string): ConditionRecord | undefined =>
  w.conditions?.find((c) => c.type === type);

/**
 * A Deployment whose rollout passed its progressDeadlineSeconds (Progressing=False,
 * ProgressDeadlineExceeded), or with fewer available replicas than desired and Available=False.
 * A paused Deployment at full availability matches neither; a rollout within its deadline keeps
 * Available=True (maxUnavailable) and is not reported.
 */
function deployments(list: WorkloadRecord[]): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const d of list) {
    const progressing = condition(d, 'Progressing');
    const fields = {
      'spec.replicas': d.desired,
      'status.availableReplicas': d.available,
      'status.updatedReplicas': d.updated,
    };
    if (progressing?.reason === 'ProgressDeadlineExceeded')
      findings.push({
        code: 'DEPLOYMENT_ROLLOUT_STUCK',
        severity: 'critical',
        object: apps('Deployment', d),
        message: `The rollout has not progressed within its deadline: ${progressing.message ?? ''} (${d.updated}/${d.desired} updated).`,
        fields: { ...fields, 'status.conditions[type=Progressing].reason': progressing.reason },
        suggestion:
          'Look at the new ReplicaSet\u2019s pods (their findings say why they do not become available), fix the template, or roll back with kubectl rollout undo.',
      });
    else if (d.available < d.desired && condition(d, 'Available'))
      findings.push({
        code: 'DEPLOYMENT_UNAVAILABLE',
        severity: d.available === 0 ? 'critical' : 'warning',
        object: apps('Deployment', d),
        message: `Only ${d.available} of ${d.desired} replicas are available.`,
        fields: { ...fields, 'status.conditions[type=Available].status': 'False' },
        suggestion:
          'See why its pods are not available (the pod findings of this Deployment name the cause) and fix the pod template or the cluster capacity.',
      });
  }
  return findings;
}

/** A StatefulSet with fewer ready replicas than desired, once its controller caught up with the spec. */
function statefulSets(list: WorkloadRecord[]): RawFinding[] {
  return list
    .filter((s) => !s.stale && s.ready < s.desired)
    .map((s) => ({
      code: 'STATEFULSET_UNAVAILABLE',
      severity: s.ready === 0 ? ('critical' as const) : ('warning' as const),
      object: apps('StatefulSet', s),
      message: `Only ${s.ready} of ${s.desired} replicas are ready.`,
      fields: { 'spec.replicas': s.desired, 'status.readyReplicas': s.ready },
      suggestion:
        'A StatefulSet starts pods in order: fix the first pod that is not ready (its findings say why) and the rest follow.',
    }));
}

/** DaemonSet pods missing on nodes that should run one, or running where they should not. */
function daemonSets(list: WorkloadRecord[]): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const d of list) {
    const fields = {
      'status.desiredNumberScheduled': d.desired,
      'status.numberAvailable': d.available,
      'status.numberMisscheduled': d.misscheduled ?? 0,
    };
    if (!d.stale && d.available < d.desired)
      findings.push({
        code: 'DAEMONSET_UNAVAILABLE',
        severity: 'warning',
        object: apps('DaemonSet', d),
        message: `${d.desired - d.available} of ${d.desired} nodes have no available pod of this DaemonSet.`,
        fields,
        suggestion:
          'Look at the DaemonSet\u2019s pods that are not available and at the nodes they should run on.',
      });
    if (d.misscheduled)
      findings.push({
        code: 'DAEMONSET_MISSCHEDULED',
        severity: 'warning',
        object: apps('DaemonSet', d),
        message: `${d.misscheduled} pods run on nodes the DaemonSet\u2019s node selector or tolerations no longer allow.`,
        fields,
        suggestion:
          'Check the nodeSelector/affinity and the node labels and taints; delete the misscheduled pods once fixed.',
      });
  }
  return findings;
}

/** ReplicaSets the controller cannot create pods for (ReplicaFailure=True: quota, admission, …). */
function replicaSets(list: WorkloadRecord[]): RawFinding[] {
  return list.flatMap((r) => {
    const failure = condition(r, 'ReplicaFailure');
    if (!failure) return [];
    return [
      {
        code: 'REPLICASET_CREATE_FAILED',
        severity: 'critical' as const,
        object: apps('ReplicaSet', r),
        message: `Pods cannot be created: ${failure.reason ?? ''} ${failure.message ?? ''}`.trim(),
        fields: {
          'status.conditions[type=ReplicaFailure].reason': failure.reason,
          'status.conditions[type=ReplicaFailure].message': failure.message,
        },
        suggestion:
          'Fix what the message names: a ResourceQuota or LimitRange the pod template breaks, or an admission webhook rejecting it.',
      },
    ];
  });
}

export const workloadAvailability = (input: DetectorInput): RawFinding[] => [
  ...deployments(input.list('deployments')),
  ...statefulSets(input.list('statefulsets')),
  ...daemonSets(input.list('daemonsets')),
  ...replicaSets(input.list('replicasets')),
];
