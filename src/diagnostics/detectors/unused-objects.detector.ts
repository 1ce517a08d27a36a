import type { PodRecord } from '../../cluster-state/records/pod';
import { RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';

/** Namespaces of the control plane: their objects serve components CloudPilot does not see. */
const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

/** Published into every namespace by controllers, read by every pod or by the mesh. */
const PUBLISHED_CONFIGMAPS = new Set(['kube-root-ca.crt', 'istio-ca-root-cert']);

/** Secrets kept by tools rather than mounted: Helm's release records. */
const isToolSecret = (labels: Record<string, string>): boolean =>
  labels.owner === 'helm' || labels['app.kubernetes.io/managed-by'] === 'Helm';

interface Used {
  configMaps: Set<string>;
  secrets: Set<string>;
  pvcs: Set<string>;
  serviceAccounts: Set<string>;
}

/** Per namespace's pod list: the index keeps one array per namespace until one of its pods changes. */
const usedByPods = new WeakMap<readonly PodRecord[], Used>();

function used(pods: readonly PodRecord[]): Used {
  let u = usedByPods.get(pods);
  if (u) return u;
  u = { configMaps: new Set(), secrets: new Set(), pvcs: new Set(), serviceAccounts: new Set() };
  for (const p of pods) {
    for (const n of p.refs?.configMaps ?? []) u.configMaps.add(n);
    for (const n of p.refs?.secrets ?? []) u.secrets.add(n);
    for (const n of p.refs?.pvcs ?? []) u.pvcs.add(n);
    if (p.serviceAccount) u.serviceAccounts.add(p.serviceAccount);
  }
  usedByPods.set(pods, u);
  return u;
}

const CODES: Record<string, string> = {
  ConfigMap: 'CONFIGMAP_UNUSED',
  Secret: 'SECRET_UNUSED',
  ServiceAccount: 'SERVICE_ACCOUNT_UNUSED',
  PersistentVolumeClaim: 'PVC_UNUSED',
};

/** Every code of this detector (off by default: diagnostics.unusedObjects). */
export const UNUSED_CODES: readonly string[] = Object.values(CODES);

function unused(kind: string, namespace: string, name: string, by: string): RawFinding {
  return {
    code: CODES[kind],
    severity: 'info',
    object: { group: '', kind, namespace, name },
    message: `No pod of the namespace ${by} this ${kind}.`,
    fields: { referencedBy: [] },
    suggestion: `Delete it if nothing outside the pods uses it (a workload scaled to zero, a job to come, a tool reading it through the API); otherwise silence this code for it.`,
  };
}

/** Secrets an Ingress serves as TLS certificates, by namespace. */
function tlsSecrets(input: DetectorInput): Set<string> {
  const names = new Set<string>();
  if (!input.caches('ingresses')) return names;
  for (const i of input.list('ingresses'))
    for (const s of i.tlsSecrets) names.add(`${i.namespace}/${s}`);
  return names;
}

/** StatefulSet claims (`<template>-<set>-<ordinal>`) outlive a scale-down on purpose. */
const statefulClaim = (name: string, sets: readonly string[]): boolean =>
  /-\d+$/.test(name) &&
  sets.some((s) => name.endsWith(`-${s}${name.slice(name.lastIndexOf('-'))}`));

const setsIn = (sets: readonly { name: string; namespace: string }[], namespace: string) =>
  sets.filter((s) => s.namespace === namespace).map((s) => s.name);

/**
 * ConfigMaps, Secrets (by metadata: their names), ServiceAccounts and PersistentVolumeClaims no
 * pod of their namespace references (Popeye's unused-resource checks). Off by default
 * (diagnostics.unusedObjects): a workload scaled to zero or a tool reading an object through the
 * API uses it without a pod showing it. Published ConfigMaps, `default` ServiceAccounts, Helm's
 * release Secrets, Ingress TLS Secrets, StatefulSet claims and the control-plane namespaces are
 * never reported.
 */
export function unusedObjects(input: DetectorInput): RawFinding[] {
  const found: RawFinding[] = [];
  const skip = (ns: string) => SYSTEM_NAMESPACES.has(ns);
  const list = <K extends 'configmaps' | 'secrets' | 'serviceaccounts' | 'persistentvolumeclaims'>(
    kind: K,
  ) => (input.caches(kind) ? input.list(kind) : []);
  for (const c of list('configmaps'))
    if (!skip(c.namespace) && !PUBLISHED_CONFIGMAPS.has(c.name))
      if (!used(input.podsIn(c.namespace)).configMaps.has(c.name))
        found.push(unused('ConfigMap', c.namespace, c.name, 'mounts or reads'));
  const tls = tlsSecrets(input);
  for (const s of list('secrets'))
    if (!skip(s.namespace) && !isToolSecret(s.labels) && !tls.has(`${s.namespace}/${s.name}`))
      if (!used(input.podsIn(s.namespace)).secrets.has(s.name))
        found.push(unused('Secret', s.namespace, s.name, 'mounts or reads'));
  for (const a of list('serviceaccounts'))
    if (!skip(a.namespace) && a.name !== 'default')
      if (!used(input.podsIn(a.namespace)).serviceAccounts.has(a.name))
        found.push(unused('ServiceAccount', a.namespace, a.name, 'runs as'));
  const sets = input.caches('statefulsets') ? input.list('statefulsets') : [];
  for (const c of list('persistentvolumeclaims'))
    if (!skip(c.namespace) && !statefulClaim(c.name, setsIn(sets, c.namespace)))
      if (!used(input.podsIn(c.namespace)).pvcs.has(c.name))
        found.push(unused('PersistentVolumeClaim', c.namespace, c.name, 'mounts'));
  return found;
}
