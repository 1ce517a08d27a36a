import type { HpaRecord } from '../../cluster-state/records/policy';
import type { CachedKindName } from '../../monitor/cluster-snapshot';
import { RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';
import { scalingFindings } from './hpa-scaling';

const ref = (h: HpaRecord) => ({
  group: 'autoscaling',
  kind: 'HorizontalPodAutoscaler',
  namespace: h.namespace,
  name: h.name,
});

const TARGETS: Record<string, CachedKindName> = {
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  ReplicaSet: 'replicasets',
};

/**
 * HPAs whose scale target does not exist, that cannot scale (hpa-scaling.ts), and HPAs held at
 * maxReplicas while they want more (ScalingLimited=True with TooManyReplicas, or desired ≥ max). Targets of other kinds (custom
 * resources) are not checked: they are not cached.
 */
export function hpas(input: DetectorInput): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const h of input.list('horizontalpodautoscalers')) {
    const kind = TARGETS[h.target.kind];
    const fields = {
      'spec.scaleTargetRef': h.target,
      'spec.maxReplicas': h.maxReplicas,
      'status.currentReplicas': h.currentReplicas,
      'status.desiredReplicas': h.desiredReplicas,
    };
    if (kind && input.caches(kind) && !input.get(kind, h.target.name, h.namespace)) {
      findings.push({
        code: 'HPA_MISSING_TARGET',
        severity: 'warning',
        object: ref(h),
        message: `The scale target ${h.target.kind} ${h.target.name} does not exist.`,
        fields,
        suggestion: 'Fix spec.scaleTargetRef to name an existing workload, or delete the HPA.',
      });
      continue;
    }
    const cannotScale = scalingFindings(input, h, ref(h));
    if (cannotScale.length) {
      findings.push(...cannotScale);
      continue;
    }
    const limited = h.conditions?.find(
      (c) => c.type === 'ScalingLimited' && c.reason === 'TooManyReplicas',
    );
    if (
      h.maxReplicas > 0 &&
      h.currentReplicas >= h.maxReplicas &&
      (limited || h.desiredReplicas >= h.maxReplicas)
    )
      findings.push({
        code: 'HPA_AT_MAX_REPLICAS',
        severity: 'warning',
        object: ref(h),
        message: `The autoscaler runs at its maximum of ${h.maxReplicas} replicas and would scale further.`,
        fields: limited
          ? { ...fields, 'status.conditions[type=ScalingLimited].reason': limited.reason }
          : fields,
        suggestion:
          'Raise spec.maxReplicas if the cluster has room, or reduce the load or per-pod cost.',
      });
  }
  return findings;
}
