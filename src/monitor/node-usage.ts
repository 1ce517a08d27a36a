import { CpuMemoryNanos } from '../cluster-state/pod-resources';
import { nanosOrZero as nanos } from '../cluster-state/records/object-fields';

/** Live usage from metrics.k8s.io (metrics-server), which has no watch: refreshed by the scheduled tick. */
export interface ClusterUsage {
  /** When the numbers were read (ISO time). */
  at: string;
  total: CpuMemoryNanos;
  byNode: Map<string, CpuMemoryNanos>;
  /** Per namespace, when read per pod (Prometheus's cAdvisor series); metrics.k8s.io nodes have none. */
  byNamespace?: Map<string, CpuMemoryNanos>;
}

/** Sums a NodeMetricsList (`/apis/metrics.k8s.io/v1beta1/nodes`); malformed entries count as zero. */
export function usageFromNodeMetrics(
  list: { items?: Array<{ metadata?: { name?: string }; usage?: Record<string, unknown> }> },
  at: Date,
): ClusterUsage {
  const byNode = new Map<string, CpuMemoryNanos>();
  const total: CpuMemoryNanos = { cpu: 0n, memory: 0n };
  for (const item of list.items ?? []) {
    const usage = { cpu: nanos(item.usage?.cpu), memory: nanos(item.usage?.memory) };
    total.cpu += usage.cpu;
    total.memory += usage.memory;
    if (item.metadata?.name) byNode.set(item.metadata.name, usage);
  }
  return { at: at.toISOString(), total, byNode };
}
