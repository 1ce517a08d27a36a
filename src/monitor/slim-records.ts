import { parseQuantityNanos } from '../overview/quantity';
import { CpuMemoryNanos, podEffectiveNanos } from '../overview/pod-resources';

/**
 * The slim records the Monitor keeps: only the fields the overview features read. A full pod is
 * 5–20 KB of JSON (managedFields, specs, the last-applied annotation); its slim record is a few
 * hundred bytes, which is what lets one process hold 100k pods.
 */

type K8sObject = Record<string, any>;

export interface NamedRecord {
  name: string;
  namespace: string;
}

export type PodPhase = 'Running' | 'Pending' | 'Succeeded' | 'Failed' | 'Unknown';

export interface PodRecord extends NamedRecord {
  nodeName: string;
  phase: PodPhase;
  ready: boolean;
  requests: CpuMemoryNanos;
  limits: CpuMemoryNanos;
  /** Set when a quantity in the spec could not be parsed; the pod then counts as zero. */
  resourceError?: true;
}

export interface NamespaceRecord {
  name: string;
  phase: string;
  created: string;
}

export interface NodeCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface NodeTaint {
  key: string;
  value?: string;
  effect: string;
}

export interface NodeRecord {
  name: string;
  ready: boolean;
  unschedulable: boolean;
  roles: string[];
  kubeletVersion: string;
  osImage: string;
  kernelVersion: string;
  containerRuntimeVersion: string;
  architecture: string;
  capacity: CpuMemoryNanos & { pods: number };
  allocatable: CpuMemoryNanos & { pods: number };
  conditions: NodeCondition[];
  taints: NodeTaint[];
  addresses: { type: string; address: string }[];
  created: string;
}

const PHASES = new Set<string>(['Running', 'Pending', 'Succeeded', 'Failed', 'Unknown']);
const ROLE_LABEL = 'node-role.kubernetes.io/';

/** A malformed quantity (the API server rejects them, so only a hostile server sends one) counts as zero. */
function nanosOrZero(text: unknown): bigint {
  try {
    return typeof text === 'string' ? parseQuantityNanos(text) : 0n;
  } catch {
    return 0n;
  }
}

function resources(list: Record<string, unknown> | undefined): CpuMemoryNanos & { pods: number } {
  const pods = Number(list?.pods ?? 0);
  return {
    cpu: nanosOrZero(list?.cpu),
    memory: nanosOrZero(list?.memory),
    pods: Number.isFinite(pods) ? pods : 0,
  };
}

function conditionTrue(object: K8sObject, type: string): boolean {
  const conditions: K8sObject[] = Array.isArray(object.status?.conditions)
    ? object.status.conditions
    : [];
  return conditions.some((c) => c?.type === type && c?.status === 'True');
}

export function slimNamed(object: K8sObject): NamedRecord {
  return {
    name: String(object.metadata?.name ?? ''),
    namespace: String(object.metadata?.namespace ?? ''),
  };
}

export function slimPod(object: K8sObject): PodRecord {
  const phase = String(object.status?.phase ?? 'Unknown');
  const record: PodRecord = {
    ...slimNamed(object),
    nodeName: String(object.spec?.nodeName ?? ''),
    phase: (PHASES.has(phase) ? phase : 'Unknown') as PodPhase,
    ready: conditionTrue(object, 'Ready'),
    requests: { cpu: 0n, memory: 0n },
    limits: { cpu: 0n, memory: 0n },
  };
  try {
    const effective = podEffectiveNanos(object.spec ?? {});
    record.requests = effective.requests;
    record.limits = effective.limits;
  } catch {
    record.resourceError = true;
  }
  return record;
}

export function slimNamespace(object: K8sObject): NamespaceRecord {
  return {
    name: String(object.metadata?.name ?? ''),
    phase: String(object.status?.phase ?? 'Active'),
    created: String(object.metadata?.creationTimestamp ?? ''),
  };
}

/** Roles as kubectl shows them: `node-role.kubernetes.io/<role>` labels, plus the legacy `kubernetes.io/role`. */
function nodeRoles(labels: Record<string, string>): string[] {
  const roles = Object.keys(labels)
    .filter((key) => key.startsWith(ROLE_LABEL) && key.length > ROLE_LABEL.length)
    .map((key) => key.slice(ROLE_LABEL.length));
  if (labels['kubernetes.io/role']) roles.push(labels['kubernetes.io/role']);
  return [...new Set(roles)].sort();
}

export function slimNode(object: K8sObject): NodeRecord {
  const info = object.status?.nodeInfo ?? {};
  const list = (value: unknown): K8sObject[] => (Array.isArray(value) ? value : []);
  return {
    name: String(object.metadata?.name ?? ''),
    ready: conditionTrue(object, 'Ready'),
    unschedulable: object.spec?.unschedulable === true,
    roles: nodeRoles(object.metadata?.labels ?? {}),
    kubeletVersion: String(info.kubeletVersion ?? ''),
    osImage: String(info.osImage ?? ''),
    kernelVersion: String(info.kernelVersion ?? ''),
    containerRuntimeVersion: String(info.containerRuntimeVersion ?? ''),
    architecture: String(info.architecture ?? ''),
    capacity: resources(object.status?.capacity),
    allocatable: resources(object.status?.allocatable),
    conditions: list(object.status?.conditions).map((c) => ({
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
      lastTransitionTime: c.lastTransitionTime,
    })),
    taints: list(object.spec?.taints).map((t) => ({
      key: t.key,
      value: t.value,
      effect: t.effect,
    })),
    addresses: list(object.status?.addresses).map((a) => ({ type: a.type, address: a.address })),
    created: String(object.metadata?.creationTimestamp ?? ''),
  };
}
