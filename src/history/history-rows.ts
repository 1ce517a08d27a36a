import type { CpuMemoryNanos } from '../cluster-state/pod-resources';
import { nanosToNumber } from '../cluster-state/quantity';
import type { ClusterAggregates, ClusterSnapshot, ClusterUsage } from '../monitor/cluster-snapshot';
import type { HistoryRow } from './history-row';
import { hpaValues } from './hpa-rows';
import { nodeAndPoolValues } from './node-rows';
import { OwnerLookup, workloadKey, workloadRestarts } from './workload-restarts';

/** What one tick of one cluster gives the history: its live aggregates and last usage read. */
export interface ClusterReading {
  clusterId: string;
  aggregates: Readonly<ClusterAggregates>;
  usage: ClusterUsage | undefined;
}

/** The tick a moment belongs to: every replica computes the same slot for the same moment. */
export function slotOf(epochMs: number, intervalMs: number): number {
  return Math.floor(epochMs / intervalMs);
}

const ZERO: CpuMemoryNanos = { cpu: 0n, memory: 0n };

const pair = (prefix: string, v: CpuMemoryNanos) => ({
  [`${prefix}Cpu`]: nanosToNumber(v.cpu),
  [`${prefix}Memory`]: nanosToNumber(v.memory),
});

/** One cluster row and one row per namespace holding something, for one tick. */
export function historyRows(reading: ClusterReading, slot: number, at: string): HistoryRow[] {
  const a = reading.aggregates;
  const base = { clusterId: reading.clusterId, slot, at };
  const cluster: HistoryRow = {
    ...base,
    scope: 'cluster',
    name: '',
    values: {
      nodesTotal: a.nodes.total,
      nodesReady: a.nodes.ready,
      podsRunning: a.phases.running,
      podsPending: a.phases.pending,
      podsFailed: a.phases.failed,
      podsSucceeded: a.phases.succeeded,
      ...pair('requests', a.pods.requests),
      ...pair('limits', a.pods.limits),
      ...pair('allocatable', a.nodes.allocatable),
      usageCpu: reading.usage ? nanosToNumber(reading.usage.total.cpu) : null,
      usageMemory: reading.usage ? nanosToNumber(reading.usage.total.memory) : null,
    },
  };
  const byNamespace = reading.usage?.byNamespace;
  const namespaces = a.namespaceNames().map((name): HistoryRow => {
    const ns = a.namespace(name)!;
    // Usage per namespace is known only from per-pod series (Prometheus); none is 0, not unknown.
    const usage = byNamespace ? pair('usage', byNamespace.get(name) ?? ZERO) : {};
    return {
      ...base,
      scope: 'namespace',
      name,
      values: {
        pods: ns.pods,
        podsRunning: ns.phases.running,
        podsPending: ns.phases.pending,
        podsFailed: ns.phases.failed,
        ...pair('requests', ns.requests),
        ...pair('limits', ns.limits),
        ...usage,
      },
    };
  });
  return [cluster, ...namespaces];
}

/** The owner lookups of the restart rows, answered from the snapshot's cached ReplicaSets and Jobs. */
export function snapshotOwners(snapshot: Pick<ClusterSnapshot, 'get'>): OwnerLookup {
  return {
    replicaSetOwner: (ns, name) => snapshot.get('replicasets', name, ns)?.owner,
    jobOwner: (ns, name) => snapshot.get('jobs', name, ns)?.owner,
  };
}

/** One row per workload with restarts (the most restarting ones, bounded), for one tick. */
export function workloadRows(
  snapshot: Pick<ClusterSnapshot, 'clusterId' | 'list' | 'get'>,
  slot: number,
  at: string,
): HistoryRow[] {
  return workloadRestarts(snapshot.list('pods'), snapshotOwners(snapshot)).map((w) => ({
    clusterId: snapshot.clusterId,
    scope: 'workload',
    name: workloadKey(w),
    slot,
    at,
    values: { restarts: w.restarts, podsRestarted: w.pods },
  }));
}

/** One row per node and one per node pool (grouped by `poolLabels`), for one tick. */
export function nodeRows(
  snapshot: Pick<ClusterSnapshot, 'clusterId' | 'list' | 'aggregates' | 'usage'>,
  poolLabels: readonly string[],
  slot: number,
  at: string,
): HistoryRow[] {
  const { nodes, pools } = nodeAndPoolValues(
    snapshot.list('nodes'),
    snapshot.aggregates,
    snapshot.usage,
    poolLabels,
  );
  const base = { clusterId: snapshot.clusterId, slot, at };
  return [
    ...nodes.map((n): HistoryRow => ({ ...base, scope: 'node', ...n })),
    ...pools.map((p): HistoryRow => ({ ...base, scope: 'nodePool', ...p })),
  ];
}

/** One row per HorizontalPodAutoscaler (bounded, nearest their maximum first), for one tick. */
export function hpaRows(
  snapshot: Pick<ClusterSnapshot, 'clusterId' | 'list'>,
  slot: number,
  at: string,
): HistoryRow[] {
  return hpaValues(snapshot.list('horizontalpodautoscalers')).map((h) => ({
    clusterId: snapshot.clusterId,
    scope: 'hpa',
    slot,
    at,
    ...h,
  }));
}
