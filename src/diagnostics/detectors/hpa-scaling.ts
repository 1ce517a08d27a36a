import type { HpaRecord } from '../../cluster-state/records/policy';
import type { PodRecord } from '../../cluster-state/records/pod';
import type { ObjectRef, RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';

/**
 * Why an HPA cannot scale, beyond a missing target: a target kind without a scale subresource, pods
 * without the requests a utilization metric divides by, or metrics unavailable for another reason
 * (ScalingActive=False, with the controller's reason).
 */

/** Built-in kinds an HPA is sometimes pointed at by mistake: none has a scale subresource. */
const UNSCALABLE = new Set([
  'DaemonSet',
  'Job',
  'CronJob',
  'Pod',
  'Service',
  'ConfigMap',
  'Secret',
  'PersistentVolumeClaim',
]);

const MAX_PODS = 5;

function targetPods(input: DetectorInput, h: HpaRecord): readonly PodRecord[] | undefined {
  const { kind, name } = h.target;
  const pods = input.podsIn(h.namespace);
  if (kind === 'StatefulSet' || kind === 'ReplicaSet')
    return pods.filter((p) => p.owner?.kind === kind && p.owner.name === name);
  if (kind !== 'Deployment' || !input.caches('replicasets')) return undefined;
  return pods.filter(
    (p) =>
      p.owner?.kind === 'ReplicaSet' &&
      input.get('replicasets', p.owner.name, h.namespace)?.owner?.name === name,
  );
}

/** Pods of the target that request none of the resource (CPU or memory) the metric is a share of. */
function withoutRequests(pods: readonly PodRecord[], resource: string): PodRecord[] {
  return pods.filter(
    (p) =>
      p.phase !== 'Succeeded' &&
      p.phase !== 'Failed' &&
      ((resource === 'cpu' && p.requests.cpu === 0n) ||
        (resource === 'memory' && p.requests.memory === 0n) ||
        (p.noRequests?.length ?? 0) > 0),
  );
}

function noRequests(input: DetectorInput, h: HpaRecord, ref: ObjectRef): RawFinding | undefined {
  if (!h.utilizationOf) return undefined;
  const pods = targetPods(input, h);
  if (!pods?.length) return undefined;
  for (const resource of h.utilizationOf) {
    const lacking = withoutRequests(pods, resource);
    if (!lacking.length) continue;
    const target = `${h.target.kind} ${h.namespace}/${h.target.name}`;
    return {
      code: 'HPA_TARGET_NO_REQUESTS',
      severity: 'warning',
      object: ref,
      message: `The autoscaler scales on ${resource} utilization, a share of the pods' ${resource} requests, but ${lacking.length} pod(s) of ${target} do not request ${resource} in every container: it cannot scale.`,
      fields: {
        metric: `${resource} Utilization`,
        podsWithoutRequests: lacking.slice(0, MAX_PODS).map((p) => p.name),
      },
      suggestion: `Set resources.requests.${resource} on every container of ${target}'s pod template.`,
      causes: [target],
    };
  }
  return undefined;
}

function unsupportedTarget(h: HpaRecord, ref: ObjectRef): RawFinding | undefined {
  const group = h.target.apiVersion.includes('/') ? h.target.apiVersion.split('/')[0] : '';
  if (!['', 'apps', 'batch'].includes(group) || !UNSCALABLE.has(h.target.kind)) return undefined;
  return {
    code: 'HPA_UNSUPPORTED_TARGET',
    severity: 'warning',
    object: ref,
    message: `The scale target is a ${h.target.kind}, which has no replicas to scale.`,
    fields: { 'spec.scaleTargetRef': h.target },
    suggestion:
      'Point spec.scaleTargetRef at a Deployment, StatefulSet or ReplicaSet (or a custom resource with a scale subresource).',
  };
}

function metricsUnavailable(h: HpaRecord, ref: ObjectRef): RawFinding | undefined {
  const c = h.conditions?.find((x) => x.type === 'ScalingActive' && x.status === 'False');
  // A metrics API that does not answer is one cluster-wide finding (metrics-apis.detector.ts).
  // ScalingDisabled: the target was scaled to zero, the documented way to pause an autoscaler.
  if (!c || c.reason === 'ScalingDisabled' || unavailableApi(h)) return undefined;
  return {
    code: 'HPA_METRICS_UNAVAILABLE',
    severity: 'warning',
    object: ref,
    message: `The autoscaler cannot compute its metrics (${c.reason ?? 'ScalingActive=False'})${c.message ? `: ${c.message}` : ''}.`,
    fields: {
      'status.conditions[type=ScalingActive].reason': c.reason ?? '',
      ...(c.message ? { 'status.conditions[type=ScalingActive].message': c.message } : {}),
    },
    suggestion:
      'Check the metrics API serves the metric (kubectl get --raw /apis/metrics.k8s.io/v1beta1, or the custom/external metrics adapter) and that the metric names match.',
  };
}

/** Where the controller reads each kind of metric, as its error messages name the API. */
const METRICS_APIS: readonly { says: string; apiService: string }[] = [
  { says: 'from resource metrics API', apiService: 'v1beta1.metrics.k8s.io' },
  { says: 'from custom metrics API', apiService: 'v1beta1.custom.metrics.k8s.io' },
  { says: 'from external metrics API', apiService: 'v1beta1.external.metrics.k8s.io' },
];

/**
 * The APIService whose metrics the HPA could not fetch at all ("unable to fetch metrics from …
 * API": not served, or failing), as opposed to a metric missing for some pods.
 */
export function unavailableApi(h: HpaRecord): string | undefined {
  const c = h.conditions?.find((x) => x.type === 'ScalingActive' && x.status === 'False');
  const message = c?.message ?? '';
  if (!message.includes('unable to fetch metrics')) return undefined;
  return METRICS_APIS.find((api) => message.includes(api.says))?.apiService;
}

/** The first reason the HPA cannot scale, most precise first: its cause, then the symptom. */
export function scalingFindings(input: DetectorInput, h: HpaRecord, ref: ObjectRef): RawFinding[] {
  const found =
    unsupportedTarget(h, ref) ?? noRequests(input, h, ref) ?? metricsUnavailable(h, ref);
  return found ? [found] : [];
}
