import type { Finding, ObjectRef } from '../cluster-state/finding';

/** A finding an alert is about, as the alert lists it. */
export interface AlertLink {
  clusterId: string;
  findingId: string;
  code: string;
  severity: string;
  object: ObjectRef;
}

/** Alert labels that name an object, as Prometheus' Kubernetes exporters write them. */
const OBJECT_LABELS: ReadonlyArray<[label: string, kind: string, group: string]> = [
  ['pod', 'Pod', ''],
  ['deployment', 'Deployment', 'apps'],
  ['statefulset', 'StatefulSet', 'apps'],
  ['daemonset', 'DaemonSet', 'apps'],
  ['service', 'Service', ''],
  ['node', 'Node', ''],
];

/** Kinds whose pods are named `<workload>-<suffix>`; a pod alert links to their findings. */
const POD_OWNERS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/** The objects an alert's labels name; a node is cluster-scoped, the others need `namespace`. */
export function alertObjects(labels: Record<string, string>): ObjectRef[] {
  const namespace = labels.namespace ?? '';
  return OBJECT_LABELS.filter(
    ([label, kind]) => labels[label] && (kind === 'Node' || namespace),
  ).map(([label, kind, group]) => ({
    group,
    kind,
    namespace: kind === 'Node' ? '' : namespace,
    name: labels[label],
  }));
}

function about(finding: Finding, ref: ObjectRef): boolean {
  const o = finding.object;
  if (o.namespace !== ref.namespace) return false;
  if (o.kind === ref.kind && o.name === ref.name) return true;
  if (ref.kind !== 'Pod') return false;
  // A workload's findings stand for its pods: the pod is among the affected, or is named after it.
  return (
    (finding.evidence.objects ?? []).some((p) => p === ref.name || p.endsWith(`/${ref.name}`)) ||
    (POD_OWNERS.has(o.kind) && ref.name.startsWith(`${o.name}-`))
  );
}

/**
 * The current findings of the objects an alert's labels name: the same object, or for a pod the
 * workload that owns it (CloudPilot reports a workload's pods on the workload). An alert that
 * names no object (only a namespace, or nothing) links to nothing rather than to everything.
 */
export function linkAlert(labels: Record<string, string>, findings: Finding[]): AlertLink[] {
  const refs = alertObjects(labels);
  if (!refs.length) return [];
  return findings
    .filter((f) => refs.some((ref) => about(f, ref)))
    .map((f) => ({
      clusterId: f.clusterId,
      findingId: f.id,
      code: f.code,
      severity: f.severity,
      object: f.object,
    }));
}
