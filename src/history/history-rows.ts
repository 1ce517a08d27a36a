import type { CpuMemoryNanos } from '../cluster-state/pod-resources';
import { nanosToNumber } from '../cluster-state/quantity';
import type { ClusterAggregates, ClusterUsage } from '../monitor/cluster-snapshot';

/** The values of one sample; CPU in cores, memory in bytes, the rest counts. */
export type HistoryValues = Record<string, number | null>;

export interface HistoryRow {
  clusterId: string;
  scope: 'cluster' | 'namespace';
  name: string;
  slot: number;
  at: string;
  values: HistoryValues;
}

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
  const namespaces = a.namespaceNames().map((name): HistoryRow => {
    const ns = a.namespace(name)!;
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
      },
    };
  });
  return [cluster, ...namespaces];
}
