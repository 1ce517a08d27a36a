import type { CpuMemoryNanos } from '../cluster-state/pod-resources';
import type { NamedRecord } from '../cluster-state/records/named';
import type { NodeRecord } from '../cluster-state/records/node';
import type { PodRecord } from '../cluster-state/records/pod';

/** Kinds the Monitor only counts, cluster-wide and per namespace. */
export type CountedKind =
  'deployments' | 'statefulsets' | 'daemonsets' | 'services' | 'configmaps' | 'secrets';

export interface PhaseCounts {
  running: number;
  pending: number;
  succeeded: number;
  failed: number;
  unknown: number;
  /** Running pods whose Ready condition is not True. */
  notReadyRunning: number;
}

export interface ResourceSums {
  requests: CpuMemoryNanos;
  limits: CpuMemoryNanos;
}

export interface NamespaceAggregate extends ResourceSums {
  pods: number;
  phases: PhaseCounts;
  counts: Record<CountedKind, number>;
}

/** What the pods bound to a node reserve: `kubectl describe node`'s "Allocated resources". */
export interface NodeAllocation extends ResourceSums {
  pods: number;
}

export interface NodeTotals {
  total: number;
  ready: number;
  notReady: number;
  unschedulable: number;
  capacity: CpuMemoryNanos;
  allocatable: CpuMemoryNanos;
}

const PHASE_FIELD: Record<PodRecord['phase'], keyof Omit<PhaseCounts, 'notReadyRunning'>> = {
  Running: 'running',
  Pending: 'pending',
  Succeeded: 'succeeded',
  Failed: 'failed',
  Unknown: 'unknown',
};

const zeroPhases = (): PhaseCounts => ({
  running: 0,
  pending: 0,
  succeeded: 0,
  failed: 0,
  unknown: 0,
  notReadyRunning: 0,
});
const zeroSums = (): ResourceSums => ({
  requests: { cpu: 0n, memory: 0n },
  limits: { cpu: 0n, memory: 0n },
});
const zeroCounts = (): Record<CountedKind, number> => ({
  deployments: 0,
  statefulsets: 0,
  daemonsets: 0,
  services: 0,
  configmaps: 0,
  secrets: 0,
});

/** A namespace holding nothing (yet): what its aggregate starts from. */
export const emptyNamespaceAggregate = (): NamespaceAggregate => ({
  pods: 0,
  phases: zeroPhases(),
  counts: zeroCounts(),
  ...zeroSums(),
});

/** Succeeded and Failed pods hold no resources: the scheduler and `kubectl describe node` skip them. */
export function isTerminated(pod: PodRecord): boolean {
  return pod.phase === 'Succeeded' || pod.phase === 'Failed';
}

function addSums(target: ResourceSums, pod: PodRecord, sign: 1n | -1n): void {
  target.requests.cpu += sign * pod.requests.cpu;
  target.requests.memory += sign * pod.requests.memory;
  target.limits.cpu += sign * pod.limits.cpu;
  target.limits.memory += sign * pod.limits.memory;
}

function addPhase(phases: PhaseCounts, pod: PodRecord, sign: 1 | -1): void {
  phases[PHASE_FIELD[pod.phase]] += sign;
  if (pod.phase === 'Running' && !pod.ready) phases.notReadyRunning += sign;
}

/**
 * Counts and sums of one cluster, updated on every add, update and delete so that reading an
 * overview costs nothing proportional to the cluster's size. Sums are exact nano-unit BigInts: a
 * million additions and subtractions leave no rounding residue. An update is "remove the previous
 * record, add the new one".
 */
export class ClusterAggregates {
  readonly phases = zeroPhases();
  /** Requests and limits of every non-terminated pod, scheduled or not. */
  readonly pods = zeroSums();
  readonly nodes: NodeTotals = {
    total: 0,
    ready: 0,
    notReady: 0,
    unschedulable: 0,
    capacity: { cpu: 0n, memory: 0n },
    allocatable: { cpu: 0n, memory: 0n },
  };
  readonly counts = zeroCounts();
  private readonly byNamespace = new Map<string, NamespaceAggregate>();
  private readonly byNode = new Map<string, NodeAllocation>();

  namespace(name: string): NamespaceAggregate | undefined {
    return this.byNamespace.get(name);
  }

  /** Namespaces that hold something, including ones whose Namespace object is not (yet) seen. */
  namespaceNames(): string[] {
    return [...this.byNamespace.keys()];
  }

  /** What the non-terminated pods bound to a node reserve; undefined for an empty node. */
  allocation(nodeName: string): NodeAllocation | undefined {
    return this.byNode.get(nodeName);
  }

  pod(record: PodRecord, sign: 1 | -1): void {
    const big = sign === 1 ? 1n : -1n;
    addPhase(this.phases, record, sign);
    const ns = this.namespaceEntry(record.namespace);
    ns.pods += sign;
    addPhase(ns.phases, record, sign);
    if (!isTerminated(record)) {
      addSums(this.pods, record, big);
      addSums(ns, record, big);
      if (record.nodeName) {
        const node = this.nodeEntry(record.nodeName);
        node.pods += sign;
        addSums(node, record, big);
        if (node.pods === 0) this.byNode.delete(record.nodeName);
      }
    }
    this.dropIfEmpty(record.namespace, ns);
  }

  named(kind: CountedKind, record: NamedRecord, sign: 1 | -1): void {
    this.counts[kind] += sign;
    const ns = this.namespaceEntry(record.namespace);
    ns.counts[kind] += sign;
    this.dropIfEmpty(record.namespace, ns);
  }

  node(record: NodeRecord, sign: 1 | -1): void {
    const big = sign === 1 ? 1n : -1n;
    const n = this.nodes;
    n.total += sign;
    if (record.ready) n.ready += sign;
    else n.notReady += sign;
    if (record.unschedulable) n.unschedulable += sign;
    n.capacity.cpu += big * record.capacity.cpu;
    n.capacity.memory += big * record.capacity.memory;
    n.allocatable.cpu += big * record.allocatable.cpu;
    n.allocatable.memory += big * record.allocatable.memory;
  }

  private namespaceEntry(name: string): NamespaceAggregate {
    let entry = this.byNamespace.get(name);
    if (!entry) {
      entry = emptyNamespaceAggregate();
      this.byNamespace.set(name, entry);
    }
    return entry;
  }

  private nodeEntry(name: string): NodeAllocation {
    let entry = this.byNode.get(name);
    if (!entry) {
      entry = { pods: 0, ...zeroSums() };
      this.byNode.set(name, entry);
    }
    return entry;
  }

  /** Keeps the map from growing with every namespace ever seen. */
  private dropIfEmpty(name: string, entry: NamespaceAggregate): void {
    if (entry.pods === 0 && Object.values(entry.counts).every((c) => c === 0))
      this.byNamespace.delete(name);
  }
}
