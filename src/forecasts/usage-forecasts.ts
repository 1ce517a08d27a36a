import type { RangeSeries } from '../telemetry/prometheus-client';
import type { Forecast } from './forecast';
import { forecastCrossing, noCrossing } from './methods/crossing-forecast';
import type { Point } from './methods/series';

/** A node's capacity for usage, from the live cache (CPU in cores, memory in bytes). */
export interface NodeCapacity {
  name: string;
  allocatableCpu: number;
  allocatableMemory: number;
}

/** Where a pod runs now, from the live cache: the answers of the usage queries are per pod. */
export interface PodPlacement {
  nodes: readonly NodeCapacity[];
  nodeOf(namespace: string, pod: string): string | undefined;
}

interface UsageSpec {
  code: string;
  metric: 'usageCpu' | 'usageMemory';
  meaning: string;
  capacity: (n: Pick<NodeCapacity, 'allocatableCpu' | 'allocatableMemory'>) => number;
}

/** Usage against allocatable: per node and for the cluster, CPU in cores and memory in bytes. */
export const USAGE_SPECS = {
  cpu: {
    code: 'FORECAST_CPU_USAGE_SATURATION',
    metric: 'usageCpu',
    meaning: 'CPU usage reaches allocatable CPU: pods get only their requests, latency climbs',
    capacity: (n) => n.allocatableCpu,
  },
  memory: {
    code: 'FORECAST_MEMORY_USAGE_SATURATION',
    metric: 'usageMemory',
    meaning:
      'Memory usage reaches allocatable memory: the kubelet evicts pods under memory pressure',
    capacity: (n) => n.allocatableMemory,
  },
} satisfies Record<string, UsageSpec>;

/**
 * The series summed per key and timestamp (Prometheus's range steps are aligned, so one step of
 * every series has the same time). A key of undefined drops the series.
 */
export function sumSeries(
  series: readonly RangeSeries[],
  keyOf: (metric: Record<string, string>) => string | undefined,
  combine: (a: number, b: number) => number = (a, b) => a + b,
): Map<string, Point[]> {
  const sums = new Map<string, Map<number, number>>();
  for (const s of series) {
    const key = keyOf(s.metric);
    if (key === undefined) continue;
    const byTime = sums.get(key) ?? new Map<number, number>();
    for (const [t, v] of s.points) {
      if (!Number.isFinite(v)) continue;
      const before = byTime.get(t);
      byTime.set(t, before === undefined ? v : combine(before, v));
    }
    sums.set(key, byTime);
  }
  return new Map(
    [...sums].map(([key, byTime]) => [
      key,
      [...byTime].sort((a, b) => a[0] - b[0]).map(([t, v]) => ({ t: t * 1000, v })),
    ]),
  );
}

/** One usage forecast of the cluster (name null) or of a node. */
function usageForecast(
  spec: UsageSpec,
  name: string | null,
  basis: Point[],
  threshold: number,
  window: { now: number; horizonMs: number },
): Forecast {
  const forecast =
    threshold > 0
      ? forecastCrossing(basis, threshold, window)
      : noCrossing(basis.length, 'capacity unknown');
  return {
    code: spec.code,
    meaning: name === null ? spec.meaning : spec.meaning.replace('pods get', "the node's pods get"),
    metric: spec.metric,
    scope: name === null ? 'cluster' : 'node',
    namespace: null,
    name,
    threshold: threshold > 0 ? threshold : null,
    basis,
    ...forecast,
  };
}

/**
 * CPU and memory usage against allocatable, for the cluster and each node, fitted over the range
 * answers (per pod, oldest first). A pod counts on the node it runs on now; a pod gone from the
 * cache counts in the cluster only. Pure.
 */
export function usageForecasts(
  answers: { podCpu: readonly RangeSeries[]; podMemory: readonly RangeSeries[] },
  placement: PodPlacement,
  window: { now: number; horizonMs: number },
): Forecast[] {
  const total = placement.nodes.reduce(
    (sum, n) => ({
      allocatableCpu: sum.allocatableCpu + n.allocatableCpu,
      allocatableMemory: sum.allocatableMemory + n.allocatableMemory,
    }),
    { allocatableCpu: 0, allocatableMemory: 0 },
  );
  const pairs = [
    [USAGE_SPECS.cpu, answers.podCpu],
    [USAGE_SPECS.memory, answers.podMemory],
  ] as const;
  return pairs.flatMap(([spec, series]) => {
    const cluster = sumSeries(series, () => '').get('') ?? [];
    const byNode = sumSeries(series, (m) => placement.nodeOf(m.namespace ?? '', m.pod ?? ''));
    return [
      usageForecast(spec, null, cluster, spec.capacity(total), window),
      ...placement.nodes.map((node) =>
        usageForecast(spec, node.name, byNode.get(node.name) ?? [], spec.capacity(node), window),
      ),
    ];
  });
}
