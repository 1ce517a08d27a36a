import { CpuMemoryNanos } from '../pod-resources';
import { arrayOf, conditionTrue, K8sObject, nanosOrZero } from './object-fields';

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
  /** Set by the node controller on the taints it adds (cordon: node.kubernetes.io/unschedulable). */
  timeAdded?: string;
}

export interface NodeRecord {
  name: string;
  /** metadata.labels: the node pool a node belongs to is a label (see history node pools). */
  labels: Record<string, string>;
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

const ROLE_LABEL = 'node-role.kubernetes.io/';

function resources(list: Record<string, unknown> | undefined): CpuMemoryNanos & { pods: number } {
  const pods = Number(list?.pods ?? 0);
  return {
    cpu: nanosOrZero(list?.cpu),
    memory: nanosOrZero(list?.memory),
    pods: Number.isFinite(pods) ? pods : 0,
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
  return {
    name: String(object.metadata?.name ?? ''),
    labels: object.metadata?.labels ?? {},
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
    conditions: arrayOf(object.status?.conditions).map((c) => ({
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
      lastTransitionTime: c.lastTransitionTime,
    })),
    taints: arrayOf(object.spec?.taints).map((t) => ({
      key: t.key,
      value: t.value,
      effect: t.effect,
      ...(t.timeAdded ? { timeAdded: String(t.timeAdded) } : {}),
    })),
    addresses: arrayOf(object.status?.addresses).map((a) => ({ type: a.type, address: a.address })),
    created: String(object.metadata?.creationTimestamp ?? ''),
  };
}
