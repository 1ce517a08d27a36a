import { InternPool } from './intern';
import { arrayOf, K8sObject } from './object-fields';

/**
 * What the pod's spec names that other objects must match: the objects it needs to start (optional
 * ConfigMap/Secret references are left out: their absence is fine), the Secrets its images are
 * pulled with, and the ports its containers declare (by name, and numbers as decimal text), which
 * a Service's targetPort resolves against. Shared by the replicas of one template.
 */
export interface PodRefs {
  configMaps?: string[];
  secrets?: string[];
  pvcs?: string[];
  pullSecrets?: string[];
  ports?: string[];
  /**
   * Tolerations of taints other than the node lifecycle ones (`node.kubernetes.io/…`, added to
   * every pod), as `key` (operator Exists), `key=value` or `*` (tolerates every taint); effects
   * are not told apart. Kept here because it is interned per template like the references: a pod
   * pays nothing for it.
   */
  tolerations?: string[];
}

const ROOT_CA = 'kube-root-ca.crt';

export function podRefs(spec: K8sObject): PodRefs | undefined {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  const pvcs = new Set<string>();
  const pullSecrets = new Set<string>();
  const ports = new Set<string>();
  for (const s of arrayOf(spec.imagePullSecrets)) if (s?.name) pullSecrets.add(String(s.name));
  for (const v of arrayOf(spec.volumes)) {
    if (v.configMap?.name && v.configMap.optional !== true) configMaps.add(v.configMap.name);
    if (v.secret?.secretName && v.secret.optional !== true) secrets.add(v.secret.secretName);
    if (v.persistentVolumeClaim?.claimName) pvcs.add(v.persistentVolumeClaim.claimName);
    for (const source of arrayOf(v.projected?.sources)) {
      if (source.configMap?.name && source.configMap.optional !== true)
        configMaps.add(source.configMap.name);
      if (source.secret?.name && source.secret.optional !== true) secrets.add(source.secret.name);
    }
  }
  const containers = [...arrayOf(spec.containers), ...arrayOf(spec.initContainers)];
  for (const c of containers) {
    for (const p of arrayOf(c.ports)) {
      if (p?.name) ports.add(String(p.name));
      if (p?.containerPort !== undefined) ports.add(String(p.containerPort));
    }
    for (const from of arrayOf(c.envFrom)) {
      if (from.configMapRef?.name && from.configMapRef.optional !== true)
        configMaps.add(from.configMapRef.name);
      if (from.secretRef?.name && from.secretRef.optional !== true)
        secrets.add(from.secretRef.name);
    }
    for (const env of arrayOf(c.env)) {
      const ref = env.valueFrom;
      if (ref?.configMapKeyRef?.name && ref.configMapKeyRef.optional !== true)
        configMaps.add(ref.configMapKeyRef.name);
      if (ref?.secretKeyRef?.name && ref.secretKeyRef.optional !== true)
        secrets.add(ref.secretKeyRef.name);
    }
  }
  // Published into every namespace by the controller-manager and read by every service-account
  // token volume: always there, and recording it would cost every pod an array.
  configMaps.delete(ROOT_CA);
  const tolerations = customTolerations(spec);
  const named = { configMaps, secrets, pvcs, pullSecrets, ports };
  const refs: PodRefs = {};
  for (const key of Object.keys(named) as (keyof typeof named)[])
    if (named[key].size) refs[key] = Object.freeze([...named[key]]) as string[];
  if (tolerations.length) refs.tolerations = Object.freeze(tolerations) as string[];
  if (!Object.keys(refs).length) return undefined;
  // The replicas of one template reference the same objects: one frozen set for all of them.
  return refSets.get(JSON.stringify(refs), () => Object.freeze(refs));
}

const refSets = new InternPool<PodRefs>(20_000);

/** Taints of the node lifecycle, tolerated by every pod through admission defaults. */
const LIFECYCLE_TAINTS = 'node.kubernetes.io/';

function customTolerations(spec: K8sObject): string[] {
  const found = new Set<string>();
  for (const t of arrayOf(spec.tolerations)) {
    const key = String(t?.key ?? '');
    if (key.startsWith(LIFECYCLE_TAINTS)) continue;
    if (!key) found.add('*');
    else found.add(t.operator === 'Exists' ? key : `${key}=${String(t.value ?? '')}`);
  }
  return [...found].sort();
}
