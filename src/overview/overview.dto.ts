import type { KindStatus } from '../monitor/cluster-snapshot';

/** Response shapes of the Overview routes. CPU is in cores, memory in bytes, both plain numbers. */

/** The Monitor's KindStatus as documented in OpenAPI (implements keeps the two in step). */
export class KindStatusDto implements KindStatus {
  /** syncing, synced, stale (watch down: last good data, see ageSeconds), forbidden (RBAC) or error. */
  state: 'syncing' | 'synced' | 'stale' | 'forbidden' | 'error';
  /** `watch`, or `poll` when the credential may list but not watch (relisted every monitor.cacheTtlSeconds). */
  mode: 'watch' | 'poll';
  count: number;
  lastSyncedAt: string | null;
  /** How old the data of this kind is: 0 while live. */
  ageSeconds: number | null;
  /** LISTs so far (first sync, relists, polls): flat while the watch keeps up. */
  lists: number;
  /** Relists forced by 410 Gone. */
  relistsAfterGone: number;
  error?: { code: string; message: string };
}

export class CacheStatusDto {
  nodes: KindStatusDto;
  namespaces: KindStatusDto;
  pods: KindStatusDto;
  deployments: KindStatusDto;
  statefulsets: KindStatusDto;
  daemonsets: KindStatusDto;
  services: KindStatusDto;
  configmaps: KindStatusDto;
  secrets: KindStatusDto;
}

export class ClusterRefDto {
  id: string;
  name: string;
}

export class NodeCountsDto {
  total: number;
  ready: number;
  notReady: number;
  unschedulable: number;
}

export class PodPhasesDto {
  total: number;
  running: number;
  pending: number;
  failed: number;
  succeeded: number;
  unknown: number;
  /** Running pods whose Ready condition is not True. */
  notReadyRunning: number;
}

/** Requests and limits of non-terminated pods; allocatable and capacity of all nodes; usage from metrics.k8s.io. */
export class ResourceTotalsDto {
  requests: number;
  limits: number;
  allocatable: number;
  capacity: number;
  /** metrics.k8s.io, else the last reading of the cluster's Prometheus (cAdvisor); null when neither is available. */
  usage: number | null;
}

/** Counts of kinds; null when that kind cannot be read (forbidden, or never synced). */
export class ObjectCountsDto {
  namespaces: number | null;
  deployments: number | null;
  statefulsets: number | null;
  daemonsets: number | null;
  services: number | null;
  configmaps: number | null;
  secrets: number | null;
}

/** Named apart from diagnostics' ClusterHealthDto: OpenAPI schemas are keyed by class name. */
export class ClusterReachabilityDto {
  reachable: boolean;
  kubernetesVersion?: string;
  checkedAt: string;
  error?: { code: string; message: string };
}

export class ResourceOverviewDto {
  cluster: ClusterRefDto;
  /** The worst cache state over all kinds that are not forbidden. */
  state: 'syncing' | 'synced' | 'stale' | 'error';
  /** When the cache last changed or was last confirmed complete. */
  lastUpdated: string | null;
  nodes: NodeCountsDto;
  counts: ObjectCountsDto;
  pods: PodPhasesDto;
  cpu: ResourceTotalsDto;
  memory: ResourceTotalsDto;
  cache: CacheStatusDto;
  /** The scheduled tick's last reachability check; null before the first tick. */
  health: ClusterReachabilityDto | null;
}

export class CpuMemoryDto {
  cpu: number;
  memory: number;
}

export class NamespaceDetailDto {
  name: string;
  /** Active, Terminating, or Unknown when the Namespace object itself is not readable. */
  status: string;
  created: string | null;
  pods: PodPhasesDto;
  deployments: number;
  statefulsets: number;
  daemonsets: number;
  services: number;
  requests: CpuMemoryDto;
  limits: CpuMemoryDto;
}

export class NamespaceListDto {
  items: NamespaceDetailDto[];
  state: 'syncing' | 'synced' | 'stale' | 'error';
  lastUpdated: string | null;
  cache: CacheStatusDto;
}

export class NodeResourcesDto {
  cpu: number;
  memory: number;
  pods: number;
}

/** What the node's non-terminated pods reserve, and its share of allocatable (0–1, null when nothing is allocatable). */
export class NodeAllocatedDto {
  requests: CpuMemoryDto;
  limits: CpuMemoryDto;
  requestsShare: { cpu: number | null; memory: number | null };
  limitsShare: { cpu: number | null; memory: number | null };
}

export class NodeConditionDto {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export class NodeTaintDto {
  key: string;
  value?: string;
  effect: string;
}

export class NodeAddressDto {
  type: string;
  address: string;
}

export class NodeDetailDto {
  name: string;
  /** From the Ready condition: Ready, NotReady, or Unknown (condition Unknown or missing). */
  status: 'Ready' | 'NotReady' | 'Unknown';
  roles: string[];
  kubeletVersion: string;
  osImage: string;
  kernelVersion: string;
  containerRuntime: string;
  architecture: string;
  capacity: NodeResourcesDto;
  allocatable: NodeResourcesDto;
  allocated: NodeAllocatedDto;
  /** Non-terminated pods bound to the node. */
  pods: number;
  usage: CpuMemoryDto | null;
  conditions: NodeConditionDto[];
  taints: NodeTaintDto[];
  unschedulable: boolean;
  addresses: NodeAddressDto[];
  created: string | null;
}

export class NodeListDto {
  items: NodeDetailDto[];
  state: 'syncing' | 'synced' | 'stale' | 'error';
  lastUpdated: string | null;
  cache: CacheStatusDto;
}

export class FleetErrorDto {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** One cluster of the fleet: `data` when its cache is live or catching up, `error` otherwise. */
export class FleetEntryDto {
  cluster: ClusterRefDto;
  data?: ResourceOverviewDto;
  error?: FleetErrorDto;
}

export class FleetOverviewDto {
  items: FleetEntryDto[];
  /** How long CloudPilot waited at most for a cluster still on its first sync. */
  deadlineSeconds: number;
}
