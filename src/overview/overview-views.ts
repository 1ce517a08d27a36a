import type { CpuMemoryNanos } from '../cluster-state/pod-resources';
import { nanosToNumber } from '../cluster-state/quantity';
import type { NamespaceRecord } from '../cluster-state/records/named';
import type { NodeRecord } from '../cluster-state/records/node';
import type {
  CachedKindName,
  ClusterAggregates,
  ClusterHealth,
  ClusterUsage,
  KindStatus,
  NamespaceAggregate,
  NodeAllocation,
  PhaseCounts,
  ResourceSums,
} from '../monitor/cluster-snapshot';
import { emptyNamespaceAggregate } from '../monitor/cluster-snapshot';
import type {
  CacheStatusDto,
  CpuMemoryDto,
  NamespaceDetailDto,
  NodeDetailDto,
  ObjectCountsDto,
  PodPhasesDto,
  ResourceOverviewDto,
} from './overview.dto';

/** The kinds an overview reports the freshness of (its `cache` field). */
export const OVERVIEW_KINDS = [
  'nodes',
  'namespaces',
  'pods',
  'deployments',
  'statefulsets',
  'daemonsets',
  'services',
  'configmaps',
  'secrets',
] as const satisfies readonly CachedKindName[];

export type OverviewKind = (typeof OVERVIEW_KINDS)[number];
export type OverviewStatus = Record<OverviewKind, KindStatus>;

/** The overview's kinds out of a snapshot's status (the snapshot may cache more kinds). */
export function overviewStatus(all: Partial<Record<CachedKindName, KindStatus>>): OverviewStatus {
  return Object.fromEntries(OVERVIEW_KINDS.map((k) => [k, all[k]])) as OverviewStatus;
}

/** Everything a view reads of one cluster's cache, as plain data. */
export interface CacheSnapshot {
  cluster: { id: string; name: string };
  aggregates: Readonly<ClusterAggregates>;
  status: OverviewStatus;
  lastUpdated: number;
  usage: ClusterUsage | undefined;
  health: ClusterHealth | undefined;
}

type OverallState = ResourceOverviewDto['state'];
const RANK: Record<OverallState, number> = { synced: 0, syncing: 1, stale: 2, error: 3 };

/** The worst state of the kinds a client can read; forbidden kinds are reported per kind, not here. */
export function overallState(status: OverviewStatus): OverallState {
  let worst: OverallState = 'synced';
  for (const { state } of Object.values(status)) {
    if (state !== 'forbidden' && RANK[state] > RANK[worst]) worst = state;
  }
  return worst;
}

const cpuMemory = (v: CpuMemoryNanos): CpuMemoryDto => ({
  cpu: nanosToNumber(v.cpu),
  memory: nanosToNumber(v.memory),
});
const iso = (ms: number): string | null => (ms ? new Date(ms).toISOString() : null);

function phases(p: PhaseCounts): PodPhasesDto {
  return { total: p.running + p.pending + p.failed + p.succeeded + p.unknown, ...p };
}

/** A count is only meaningful when its kind has data: null while forbidden or never synced. */
function count(status: KindStatus, value: number): number | null {
  return status.state === 'forbidden' || status.lastSyncedAt === null ? null : value;
}

export function resourceOverview(s: CacheSnapshot): ResourceOverviewDto {
  const { aggregates: a, status } = s;
  const counts: ObjectCountsDto = {
    namespaces: count(status.namespaces, status.namespaces.count),
    deployments: count(status.deployments, a.counts.deployments),
    statefulsets: count(status.statefulsets, a.counts.statefulsets),
    daemonsets: count(status.daemonsets, a.counts.daemonsets),
    services: count(status.services, a.counts.services),
    configmaps: count(status.configmaps, a.counts.configmaps),
    secrets: count(status.secrets, a.counts.secrets),
  };
  const total = (field: 'cpu' | 'memory') => ({
    requests: nanosToNumber(a.pods.requests[field]),
    limits: nanosToNumber(a.pods.limits[field]),
    allocatable: nanosToNumber(a.nodes.allocatable[field]),
    capacity: nanosToNumber(a.nodes.capacity[field]),
    usage: s.usage ? nanosToNumber(s.usage.total[field]) : null,
  });
  return {
    cluster: s.cluster,
    state: overallState(status),
    lastUpdated: iso(s.lastUpdated),
    nodes: {
      total: a.nodes.total,
      ready: a.nodes.ready,
      notReady: a.nodes.notReady,
      unschedulable: a.nodes.unschedulable,
    },
    counts,
    pods: phases(a.phases),
    cpu: total('cpu'),
    memory: total('memory'),
    cache: status as CacheStatusDto,
    health: s.health ?? null,
  };
}

const EMPTY: Readonly<NamespaceAggregate> = emptyNamespaceAggregate();

export function namespaceDetail(
  name: string,
  record: NamespaceRecord | undefined,
  aggregate: NamespaceAggregate | undefined,
): NamespaceDetailDto {
  const a = aggregate ?? EMPTY;
  return {
    name,
    status: record?.phase ?? 'Unknown',
    created: record?.created || null,
    pods: phases(a.phases),
    deployments: a.counts.deployments,
    statefulsets: a.counts.statefulsets,
    daemonsets: a.counts.daemonsets,
    services: a.counts.services,
    requests: cpuMemory(a.requests),
    limits: cpuMemory(a.limits),
  };
}

/** Every namespace the cluster has, plus any that only its objects name (Namespace objects unreadable). */
export function namespaceDetails(
  records: NamespaceRecord[],
  aggregates: Readonly<ClusterAggregates>,
): NamespaceDetailDto[] {
  const byName = new Map(records.map((r) => [r.name, r]));
  const names = new Set([...byName.keys(), ...aggregates.namespaceNames()]);
  return [...names]
    .sort()
    .map((name) => namespaceDetail(name, byName.get(name), aggregates.namespace(name)));
}

function share(part: bigint, whole: bigint): number | null {
  if (whole <= 0n) return null;
  return Math.round((nanosToNumber(part) / nanosToNumber(whole)) * 10_000) / 10_000;
}

function nodeStatus(node: NodeRecord): NodeDetailDto['status'] {
  const ready = node.conditions.find((c) => c.type === 'Ready');
  if (ready?.status === 'True') return 'Ready';
  return ready?.status === 'False' ? 'NotReady' : 'Unknown';
}

export function nodeDetail(
  node: NodeRecord,
  allocation: NodeAllocation | undefined,
  usage: CpuMemoryNanos | undefined,
): NodeDetailDto {
  const alloc: NodeAllocation = allocation ?? {
    pods: 0,
    requests: { cpu: 0n, memory: 0n },
    limits: { cpu: 0n, memory: 0n },
  };
  const shares = (sums: ResourceSums['requests']) => ({
    cpu: share(sums.cpu, node.allocatable.cpu),
    memory: share(sums.memory, node.allocatable.memory),
  });
  return {
    name: node.name,
    status: nodeStatus(node),
    roles: node.roles,
    kubeletVersion: node.kubeletVersion,
    osImage: node.osImage,
    kernelVersion: node.kernelVersion,
    containerRuntime: node.containerRuntimeVersion,
    architecture: node.architecture,
    capacity: { ...cpuMemory(node.capacity), pods: node.capacity.pods },
    allocatable: { ...cpuMemory(node.allocatable), pods: node.allocatable.pods },
    allocated: {
      requests: cpuMemory(alloc.requests),
      limits: cpuMemory(alloc.limits),
      requestsShare: shares(alloc.requests),
      limitsShare: shares(alloc.limits),
    },
    pods: alloc.pods,
    usage: usage ? cpuMemory(usage) : null,
    conditions: node.conditions,
    taints: node.taints,
    unschedulable: node.unschedulable,
    addresses: node.addresses,
    created: node.created || null,
  };
}
