import { createHash, randomBytes } from 'node:crypto';
import { arrayOf, K8sObject } from './object-fields';

/**
 * The fields of an object that the change timeline compares (docs/changes.md), flattened to
 * `path → text` when the object arrives, so a change is a comparison of two small maps and the
 * cache never keeps the full object. Values that could be secret never enter the map: they are
 * replaced by a keyed hash that says "changed" without saying what to.
 */
export interface TrackedState {
  resourceVersion: string;
  fields: Readonly<Record<string, string>>;
  /** Who last wrote each part (metadata.managedFields), newest first. */
  managers: readonly ManagerEntry[];
}

export interface ManagerEntry {
  manager: string;
  /** Epoch ms of the write (managedFields have second precision). */
  at: number;
  /** The top-level fields this manager owns: spec, data, status, metadata… */
  roots: readonly string[];
  subresource?: string;
}

/** How many fields one object may track; more are summed up in one hash so a change still shows. */
const MAX_FIELDS = 300;
const MAX_VALUE = 200;

/** Names whose values are never stored as they are: env vars, data keys and spec keys. */
export const SECRET_LOOKING = /pass|secret|token|key|credential|auth|private|cert|salt|signature/i;

/**
 * A per-process key: the same value hashes the same within one process (so "changed" shows), and a
 * stored hash cannot be checked against guessed values by anyone without the process's memory.
 * SHA-256 over key and value rather than an HMAC: an HMAC object per value cost ~120 µs (its key
 * set-up), a plain hash ~3 µs, and a fixed-length secret prefix is enough to stop guessing here.
 */
const HASH_KEY = randomBytes(32);

export function hashValue(value: string): string {
  return `hash:${createHash('sha256').update(HASH_KEY).update(value).digest('hex').slice(0, 16)}`;
}

/** A value as the timeline may keep it: secret-looking names and long values become hashes. */
function safeValue(name: string, value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  if (SECRET_LOOKING.test(name) || text.length > MAX_VALUE) return hashValue(text);
  return text;
}

/** Every leaf of `value` under `prefix` (`a.b[0].c`), secret-looking keys hashed. */
export function flatten(value: unknown, prefix: string, out: Record<string, string>): void {
  if (value === null || typeof value !== 'object') {
    const key = prefix.slice(prefix.lastIndexOf('.') + 1);
    out[prefix] = safeValue(key, value);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => flatten(item, `${prefix}[${i}]`, out));
    return;
  }
  for (const [key, item] of Object.entries(value))
    flatten(item, prefix ? `${prefix}.${key}` : key, out);
}

function envValue(env: K8sObject): string {
  const from = env.valueFrom;
  if (!from) return safeValue(String(env.name ?? ''), env.value ?? '');
  if (from.configMapKeyRef)
    return `configMapKeyRef ${from.configMapKeyRef.name}/${from.configMapKeyRef.key}`;
  if (from.secretKeyRef) return `secretKeyRef ${from.secretKeyRef.name}/${from.secretKeyRef.key}`;
  return safeValue('valueFrom', from);
}

function containerFields(c: K8sObject, prefix: string, out: Record<string, string>): void {
  const at = `${prefix}[${c.name}]`;
  out[`${at}.image`] = String(c.image ?? '');
  if (c.command) out[`${at}.command`] = safeValue('command', c.command);
  if (c.args) out[`${at}.args`] = safeValue('args', c.args);
  for (const env of arrayOf(c.env)) out[`${at}.env[${env.name}]`] = envValue(env);
  arrayOf(c.envFrom).forEach((from, i) => {
    const source = from.configMapRef
      ? `configMap ${from.configMapRef.name}`
      : `secret ${from.secretRef?.name}`;
    out[`${at}.envFrom[${i}]`] = source;
  });
  flatten(c.resources ?? {}, `${at}.resources`, out);
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'])
    if (c[probe]) out[`${at}.${probe}`] = safeValue(probe, c[probe]);
  for (const m of arrayOf(c.volumeMounts))
    out[`${at}.volumeMounts[${m.name}]`] = String(m.mountPath);
}

function volumeSource(v: K8sObject): string {
  if (v.configMap) return `configMap ${v.configMap.name}`;
  if (v.secret) return `secret ${v.secret.secretName}`;
  if (v.persistentVolumeClaim) return `persistentVolumeClaim ${v.persistentVolumeClaim.claimName}`;
  const type = Object.keys(v).find((k) => k !== 'name') ?? 'unknown';
  return safeValue(type, { [type]: v[type] });
}

/** Deployments, StatefulSets, DaemonSets: replicas and the pod template. */
export function workloadFields(object: K8sObject): Record<string, string> {
  const out: Record<string, string> = {};
  const spec = object.spec ?? {};
  if (spec.replicas !== undefined) out['replicas'] = String(spec.replicas);
  if (spec.paused) out['paused'] = 'true';
  const template = spec.template ?? {};
  const pod = template.spec ?? {};
  for (const c of arrayOf(pod.containers)) containerFields(c, 'containers', out);
  for (const c of arrayOf(pod.initContainers)) containerFields(c, 'initContainers', out);
  for (const v of arrayOf(pod.volumes)) out[`volumes[${v.name}]`] = volumeSource(v);
  if (pod.serviceAccountName) out['serviceAccountName'] = String(pod.serviceAccountName);
  flatten(pod.nodeSelector ?? {}, 'nodeSelector', out);
  if (pod.tolerations) out['tolerations'] = safeValue('tolerations', pod.tolerations);
  if (pod.affinity) out['affinity'] = safeValue('affinity', pod.affinity);
  flatten(template.metadata?.labels ?? {}, 'template.labels', out);
  flatten(template.metadata?.annotations ?? {}, 'template.annotations', out);
  return out;
}

/** ConfigMaps: every key, its value only as a hash. */
export function configMapFields(object: K8sObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const section of ['data', 'binaryData'])
    for (const [key, value] of Object.entries((object[section] ?? {}) as Record<string, string>))
      out[`${section}[${key}]`] = hashValue(String(value));
  return out;
}

/**
 * Secrets are watched as metadata only: their key names come from managedFields (which name the
 * fields a manager owns, never their values), and any write shows as a new resourceVersion.
 */
export function secretFields(object: K8sObject): Record<string, string> {
  const out: Record<string, string> = { resourceVersion: String(object.metadata?.resourceVersion) };
  for (const entry of arrayOf(object.metadata?.managedFields))
    for (const section of ['f:data', 'f:stringData'])
      for (const key of Object.keys(entry.fieldsV1?.[section] ?? {}))
        if (key.startsWith('f:')) out[`data[${key.slice(2)}]`] = 'present';
  return out;
}

/** Nodes: cordon, taints and the status of each condition (never its heartbeat times). */
export function nodeFields(object: K8sObject): Record<string, string> {
  const out: Record<string, string> = {};
  out['unschedulable'] = String(object.spec?.unschedulable === true);
  for (const t of arrayOf(object.spec?.taints))
    out[`taints[${t.key}:${t.effect}]`] = String(t.value ?? '');
  for (const c of arrayOf(object.status?.conditions))
    out[`conditions[${c.type}]`] = String(c.status);
  return out;
}

/** Services: selector, ports and type. */
export function serviceFields(object: K8sObject): Record<string, string> {
  const spec = object.spec ?? {};
  const out: Record<string, string> = { type: String(spec.type ?? 'ClusterIP') };
  flatten(spec.selector ?? {}, 'selector', out);
  for (const p of arrayOf(spec.ports)) {
    const name = p.name ?? `${p.port}`;
    out[`ports[${name}]`] = `${p.port}→${p.targetPort ?? p.port}/${p.protocol ?? 'TCP'}`;
  }
  return out;
}

/** HPAs: the bounds and targets an operator sets (status is the controller's, not a change). */
export function hpaFields(object: K8sObject): Record<string, string> {
  const spec = object.spec ?? {};
  const out: Record<string, string> = {
    minReplicas: String(spec.minReplicas ?? 1),
    maxReplicas: String(spec.maxReplicas ?? ''),
  };
  flatten(spec.scaleTargetRef ?? {}, 'scaleTargetRef', out);
  if (spec.metrics) out['metrics'] = safeValue('metrics', spec.metrics);
  return out;
}

/** Every other tracked kind: the whole spec, flattened (Ingress, PDB, NetworkPolicy, Istio). */
export function specFields(object: K8sObject): Record<string, string> {
  const out: Record<string, string> = {};
  flatten(object.spec ?? {}, '', out);
  return out;
}

/** ReplicaSets mark rollouts: their revision is all the timeline needs. */
export function replicaSetFields(object: K8sObject): Record<string, string> {
  const revision = object.metadata?.annotations?.['deployment.kubernetes.io/revision'];
  return revision ? { revision: String(revision) } : {};
}

/** managedFields as who-owns-what, newest first: the last writer of a changed part made the change. */
export function managersOf(object: K8sObject): ManagerEntry[] {
  return arrayOf(object.metadata?.managedFields)
    .map((m) => ({
      manager: String(m.manager ?? 'unknown'),
      at: Date.parse(String(m.time ?? '')) || 0,
      roots: Object.keys(m.fieldsV1 ?? {}).map((k) => k.replace(/^f:/, '')),
      ...(m.subresource ? { subresource: String(m.subresource) } : {}),
    }))
    .sort((a, b) => b.at - a.at);
}

/** The tracked state of an object: its fields by `extract`, bounded, and its managers. */
export function trackedState(
  object: K8sObject,
  extract: (object: K8sObject) => Record<string, string>,
): TrackedState {
  let fields = extract(object);
  const keys = Object.keys(fields);
  if (keys.length > MAX_FIELDS) {
    const kept = Object.fromEntries(keys.slice(0, MAX_FIELDS).map((k) => [k, fields[k]]));
    const rest = keys.slice(MAX_FIELDS).map((k) => `${k}=${fields[k]}`);
    fields = { ...kept, '…': hashValue(rest.join('\n')) };
  }
  return {
    resourceVersion: String(object.metadata?.resourceVersion ?? ''),
    fields: Object.freeze(fields),
    managers: managersOf(object),
  };
}

const TRACKED = Symbol.for('cloudpilot.tracked');

/**
 * Tracked states by object uid, for kinds whose tracked fields are all in the spec: while
 * metadata.generation stays the same (status updates, which are most watch events of a workload),
 * the spec has not moved and the state is reused instead of recomputed. Bounded like the intern pools.
 */
const byGeneration = new Map<string, { generation: unknown; state: TrackedState }>();
const MAX_REUSED = 50_000;

function reusedState(
  object: K8sObject,
  extract: (object: K8sObject) => Record<string, string>,
): TrackedState {
  const uid = object.metadata?.uid;
  const generation = object.metadata?.generation;
  if (!uid || generation === undefined) return trackedState(object, extract);
  const known = byGeneration.get(uid);
  if (known && known.generation === generation) return known.state;
  if (byGeneration.size >= MAX_REUSED) byGeneration.clear();
  const state = trackedState(object, extract);
  byGeneration.set(uid, { generation, state });
  return state;
}

/**
 * Wraps a kind's slim transform so its records carry their tracked state. The property is not
 * enumerable: JSON answers, structured clones (the diagnostics worker's mirror) and spreads of the
 * record leave it out, so only the change recorder, which asks for it, ever sees it.
 * `specOnly`: every tracked field is in the spec, so a state is reused while the generation holds.
 */
export function withTracking<R extends object>(
  transform: (object: K8sObject) => R,
  extract: (object: K8sObject) => Record<string, string>,
  specOnly = false,
): (object: K8sObject) => R {
  return (object) => {
    const record = transform(object);
    if (Object.isFrozen(record)) return record;
    const state = specOnly ? reusedState(object, extract) : trackedState(object, extract);
    Object.defineProperty(record, TRACKED, { value: state });
    return record;
  };
}

/** The tracked state of a cached record, or undefined for kinds the timeline does not follow. */
export function trackedOf(record: unknown): TrackedState | undefined {
  return record && typeof record === 'object'
    ? ((record as Record<symbol, TrackedState>)[TRACKED] ?? undefined)
    : undefined;
}
