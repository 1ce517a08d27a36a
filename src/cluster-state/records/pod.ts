import { CpuMemoryNanos, podEffectiveNanos } from '../pod-resources';
import { InternPool, internString } from './intern';
import { arrayOf, conditionTrue, K8sObject } from './object-fields';
import { internLabels, LabelledRecord, slimLabelled } from './labelled';
import { ConditionRecord, controllerOwner, keptConditions, OwnerRef } from './owner';
import { podSpecHygiene, TemplateHygiene } from './pod-hygiene';

/**
 * The slim records the Monitor keeps hold only the fields its readers use. A full pod is 5–20 KB of
 * JSON (managedFields, specs, the last-applied annotation); its slim record is a few hundred bytes,
 * which is what lets one process hold 100k pods.
 *
 * Diagnostics need more than the overview, but only for pods that are not fine: a container is
 * kept only when it is not ready, has restarted or is waiting/terminated (a completed init
 * container is fine and dropped); conditions only when not True. A healthy pod pays for its
 * owner, creation time and references alone.
 */

export type PodPhase = 'Running' | 'Pending' | 'Succeeded' | 'Failed' | 'Unknown';

/** Where a container runs in the pod: sidecars are init containers with restartPolicy Always. */
export type ContainerRole = 'main' | 'init' | 'sidecar';

export interface ContainerStateRecord {
  name: string;
  role: ContainerRole;
  ready: boolean;
  restarts: number;
  /** state.waiting.reason, e.g. CrashLoopBackOff, ImagePullBackOff, CreateContainerConfigError. */
  waiting?: string;
  waitingMessage?: string;
  /** state.terminated.reason (with exit code) while the container is stopped. */
  terminated?: string;
  exitCode?: number;
  /** lastState.terminated: why the previous run ended (OOMKilled, Error) and when. */
  lastTerminated?: string;
  lastExitCode?: number;
  lastFinishedAt?: string;
}

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
   * every pod), as `key` (operator Exists), `key=value` or `*` (tolerates every taint); effects are not told apart. Kept here because it is
   * interned per template like the references: a pod pays nothing for it.
   */
  tolerations?: string[];
}

export interface PodRecord extends LabelledRecord {
  nodeName: string;
  phase: PodPhase;
  ready: boolean;
  requests: CpuMemoryNanos;
  limits: CpuMemoryNanos;
  /** Set when a quantity in the spec could not be parsed; the pod then counts as zero. */
  resourceError?: true;
  /** Creation time, kept only while the pod is not ready (the fallback of "not ready since"). */
  created?: string;
  owner?: OwnerRef;
  /** status.reason / status.message (Evicted, NodeLost, …). */
  reason?: string;
  message?: string;
  /** Containers not in a fine state (see above). */
  containers?: ContainerStateRecord[];
  /** Conditions whose status is not True (PodScheduled=False with the scheduler's reason, Ready=False since when). */
  conditions?: ConditionRecord[];
  refs?: PodRefs;
  /** spec.serviceAccountName when it is not `default`. */
  serviceAccount?: string;
  /** Names of app and sidecar containers without a CPU or memory request. */
  noRequests?: string[];
  /**
   * When a ready pod became ready (epoch seconds: a small integer, no allocation per pod), for
   * "ready for longer than a grace period".
   */
  readySince?: number;
  /** Hygiene issues of a pod nothing owns (the template of an owned pod is judged on its owner). */
  hygiene?: TemplateHygiene;
  /** spec.nodeSelector of a pod the scheduler could not place: which nodes it wants. */
  nodeSelector?: Record<string, string>;
}

const ROOT_CA = 'kube-root-ca.crt';

const PHASES = new Set<string>(['Running', 'Pending', 'Succeeded', 'Failed', 'Unknown']);

/** No requests or limits: the one shared zero. */
const ZERO: CpuMemoryNanos = Object.freeze({ cpu: 0n, memory: 0n });

/**
 * Pods of one template reserve the same resources: one frozen pair of BigInts per distinct size
 * instead of two objects and four BigInts per pod (~180 B at 100k pods).
 */
const sizes = new InternPool<CpuMemoryNanos>(10_000);

function internSize(size: CpuMemoryNanos): CpuMemoryNanos {
  if (size.cpu === 0n && size.memory === 0n) return ZERO;
  return sizes.get(`${size.cpu}/${size.memory}`, () => Object.freeze(size));
}

export function slimPod(object: K8sObject): PodRecord {
  const phase = String(object.status?.phase ?? 'Unknown');
  const ready = conditionTrue(object, 'Ready');
  const effective = effectiveNanos(object);
  const { name, namespace, labels } = slimLabelled(object);
  const common = {
    readySince: ready ? readySince(object) : undefined,
    nodeName: internString(String(object.spec?.nodeName ?? '')),
    phase: (PHASES.has(phase) ? internString(phase) : 'Unknown') as PodPhase,
    requests: effective ? internSize(effective.requests) : ZERO,
    limits: effective ? internSize(effective.limits) : ZERO,
    owner: controllerOwner(object),
    refs: podRefs(object.spec ?? {}),
  };
  const detail = podDetail(object, ready, !effective, common.owner === undefined);
  // Two literals with fixed fields (absent ones undefined, no spread): every pod record has one of
  // two hidden classes with its fields in-object. Adding fields afterwards (Object.assign, spread)
  // moves them to a separate backing store: measured on Node 20, 1,080–1,250 B per pod at 100k
  // pods instead of 712 B. A pod that is fine (most of them) has nothing for diagnostics beyond its
  // owner and references, and its record leaves those eight fields out: 72 B less per pod.
  if (Object.values(detail).every((v) => v === undefined))
    return {
      name,
      namespace,
      labels,
      nodeName: common.nodeName,
      phase: common.phase,
      ready,
      requests: common.requests,
      limits: common.limits,
      owner: common.owner,
      refs: common.refs,
      readySince: common.readySince,
    };
  return {
    name,
    namespace,
    labels,
    nodeName: common.nodeName,
    phase: common.phase,
    ready,
    requests: common.requests,
    limits: common.limits,
    owner: common.owner,
    refs: common.refs,
    resourceError: detail.resourceError,
    created: detail.created,
    reason: detail.reason,
    message: detail.message,
    containers: detail.containers,
    conditions: detail.conditions,
    serviceAccount: detail.serviceAccount,
    noRequests: detail.noRequests,
    readySince: common.readySince,
    hygiene: detail.hygiene,
    nodeSelector: detail.nodeSelector,
  };
}

function readySince(object: K8sObject): number | undefined {
  const since = arrayOf(object.status?.conditions).find(
    (c) => c?.type === 'Ready',
  )?.lastTransitionTime;
  const ms = typeof since === 'string' ? Date.parse(since) : NaN;
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}

const optionalString = (v: unknown): string | undefined => (v ? String(v) : undefined);

function containerStates(object: K8sObject): ContainerStateRecord[] {
  const sidecars = new Set(
    arrayOf(object.spec?.initContainers)
      .filter((c) => c?.restartPolicy === 'Always')
      .map((c) => String(c.name)),
  );
  const init = arrayOf(object.status?.initContainerStatuses).map((s) =>
    containerState(s, sidecars.has(String(s.name)) ? 'sidecar' : 'init'),
  );
  const main = arrayOf(object.status?.containerStatuses).map((s) => containerState(s, 'main'));
  return [...init, ...main].filter((c): c is ContainerStateRecord => c !== undefined);
}

/** Undefined for a container that is fine: ready and never restarted, or an init container that completed. */
function containerState(s: K8sObject, role: ContainerRole): ContainerStateRecord | undefined {
  const restarts = Number(s.restartCount ?? 0) || 0;
  const waiting = s.state?.waiting;
  const terminated = s.state?.terminated;
  const last = s.lastState?.terminated;
  const completedInit = role === 'init' && terminated?.reason === 'Completed' && restarts === 0;
  if (completedInit || (s.ready === true && restarts === 0 && !waiting && !terminated)) return;
  return {
    name: String(s.name ?? ''),
    role,
    ready: s.ready === true,
    restarts,
    ...(waiting?.reason ? { waiting: String(waiting.reason) } : {}),
    ...(waiting?.message ? { waitingMessage: String(waiting.message).slice(0, 300) } : {}),
    ...(terminated?.reason ? { terminated: String(terminated.reason) } : {}),
    ...(terminated ? { exitCode: Number(terminated.exitCode ?? 0) } : {}),
    ...(last?.reason ? { lastTerminated: String(last.reason) } : {}),
    ...(last ? { lastExitCode: Number(last.exitCode ?? 0) } : {}),
    ...(last?.finishedAt ? { lastFinishedAt: String(last.finishedAt) } : {}),
  };
}

function podRefs(spec: K8sObject): PodRefs | undefined {
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

/** App containers and sidecars (which run as long as the pod) that request neither CPU nor memory. */
function withoutRequests(spec: K8sObject): string[] {
  const running = [
    ...arrayOf(spec.containers),
    ...arrayOf(spec.initContainers).filter((c) => c?.restartPolicy === 'Always'),
  ];
  return running
    .filter((c) => !c.resources?.requests?.cpu && !c.resources?.requests?.memory)
    .map((c) => String(c.name ?? ''));
}

/** The pod's effective requests and limits, or undefined when a quantity does not parse. */
function effectiveNanos(object: K8sObject): ReturnType<typeof podEffectiveNanos> | undefined {
  try {
    return podEffectiveNanos(object.spec ?? {});
  } catch {
    return undefined;
  }
}

const unscheduled = (object: K8sObject): boolean =>
  !object.spec?.nodeName && !!object.spec?.nodeSelector && !conditionTrue(object, 'PodScheduled');

/** What only a pod that is not fine carries: every field undefined for a healthy pod. */
function podDetail(object: K8sObject, ready: boolean, resourceError: boolean, bare: boolean) {
  const containers = containerStates(object);
  const account = object.spec?.serviceAccountName;
  const noRequests = withoutRequests(object.spec ?? {});
  return {
    resourceError: resourceError ? (true as const) : undefined,
    created: ready ? undefined : optionalString(object.metadata?.creationTimestamp),
    reason: optionalString(object.status?.reason),
    message: optionalString(object.status?.message),
    containers: containers.length ? containers : undefined,
    conditions: keptConditions(object, (c) => c?.status !== 'True'),
    serviceAccount: account && account !== 'default' ? String(account) : undefined,
    noRequests: noRequests.length ? noRequests : undefined,
    hygiene: bare ? podSpecHygiene(object.spec ?? {}, true) : undefined,
    nodeSelector: unscheduled(object) ? internLabels(object.spec?.nodeSelector) : undefined,
  };
}
