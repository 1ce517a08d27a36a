import type { CpuMemoryNanos } from '../cluster-state/pod-resources';
import { nanosToNumber } from '../cluster-state/quantity';
import type { NodeRecord } from '../cluster-state/records/node';
import type { ClusterAggregates, ClusterUsage, NodeAllocation } from '../monitor/cluster-snapshot';
import type { ScopeValues } from './history-row';

/** The pool a node belongs to: the value of the first pool label it carries, or undefined. */
export function nodePoolOf(node: NodeRecord, poolLabels: readonly string[]): string | undefined {
  for (const key of poolLabels) {
    const value = node.labels[key];
    if (value) return value;
  }
  return undefined;
}

/** Plain numbers of one node or pool; summed for pools, so usage stays null if any node lacks it. */
interface NodeNumbers {
  requestsCpu: number;
  requestsMemory: number;
  limitsCpu: number;
  limitsMemory: number;
  allocatableCpu: number;
  allocatableMemory: number;
  allocatablePods: number;
  pods: number;
  usageCpu: number | null;
  usageMemory: number | null;
}

const num = (v: bigint): number => nanosToNumber(v);

function nodeNumbers(
  node: NodeRecord,
  allocation: NodeAllocation | undefined,
  usage: CpuMemoryNanos | undefined,
): NodeNumbers {
  return {
    requestsCpu: num(allocation?.requests.cpu ?? 0n),
    requestsMemory: num(allocation?.requests.memory ?? 0n),
    limitsCpu: num(allocation?.limits.cpu ?? 0n),
    limitsMemory: num(allocation?.limits.memory ?? 0n),
    allocatableCpu: num(node.allocatable.cpu),
    allocatableMemory: num(node.allocatable.memory),
    allocatablePods: node.allocatable.pods,
    pods: allocation?.pods ?? 0,
    usageCpu: usage ? num(usage.cpu) : null,
    usageMemory: usage ? num(usage.memory) : null,
  };
}

const plusOrNull = (a: number | null, b: number | null): number | null =>
  a === null || b === null ? null : a + b;

function add(total: NodeNumbers, n: NodeNumbers): NodeNumbers {
  return {
    requestsCpu: total.requestsCpu + n.requestsCpu,
    requestsMemory: total.requestsMemory + n.requestsMemory,
    limitsCpu: total.limitsCpu + n.limitsCpu,
    limitsMemory: total.limitsMemory + n.limitsMemory,
    allocatableCpu: total.allocatableCpu + n.allocatableCpu,
    allocatableMemory: total.allocatableMemory + n.allocatableMemory,
    allocatablePods: total.allocatablePods + n.allocatablePods,
    pods: total.pods + n.pods,
    usageCpu: plusOrNull(total.usageCpu, n.usageCpu),
    usageMemory: plusOrNull(total.usageMemory, n.usageMemory),
  };
}

/**
 * One entry per node and one per node pool (nodes grouped by the first of `poolLabels` they
 * carry; nodes with none are in no pool). Requests, limits and pods are those of the
 * non-terminated pods bound to the node, as the scheduler counts them; usage only where
 * metrics.k8s.io reported the node. Pools also count their nodes and ready nodes.
 */
export function nodeAndPoolValues(
  nodes: readonly NodeRecord[],
  aggregates: Pick<Readonly<ClusterAggregates>, 'allocation'>,
  usage: ClusterUsage | undefined,
  poolLabels: readonly string[],
): { nodes: ScopeValues[]; pools: ScopeValues[] } {
  const pools = new Map<string, { totals: NodeNumbers; nodes: number; ready: number }>();
  const perNode = nodes.map((node) => {
    const numbers = nodeNumbers(
      node,
      aggregates.allocation(node.name),
      usage?.byNode.get(node.name),
    );
    const pool = nodePoolOf(node, poolLabels);
    if (pool !== undefined) {
      const entry = pools.get(pool);
      if (entry) {
        entry.totals = add(entry.totals, numbers);
        entry.nodes += 1;
        entry.ready += node.ready ? 1 : 0;
      } else pools.set(pool, { totals: numbers, nodes: 1, ready: node.ready ? 1 : 0 });
    }
    return { name: node.name, values: { ...numbers, ready: node.ready ? 1 : 0 } };
  });
  return {
    nodes: perNode,
    pools: [...pools.entries()].map(([name, p]) => ({
      name,
      values: { ...p.totals, nodesTotal: p.nodes, nodesReady: p.ready },
    })),
  };
}
