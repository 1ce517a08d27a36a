import { CpuMemoryNanos, podEffectiveNanos } from '../pod-resources';
import { InternPool, internString } from './intern';
import { arrayOf, conditionTrue, K8sObject } from './object-fields';
import { internLabels, LabelledRecord, slimLabelled } from './labelled';
import { ConditionRecord, controllerOwner, keptConditions, OwnerRef } from './owner';
import { podSpecHygiene, TemplateHygiene } from './pod-hygiene';
import { podRefs, PodRefs } from './pod-refs';

export type { PodRefs } from './pod-refs';

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
