import type { Forecast } from './forecast';
import { forecastCrossing, noCrossing } from './methods/crossing-forecast';
import type { Sample } from './samples';

/** What runs out: a growing metric of the history and the capacity it must stay below. */
export interface SaturationSpec {
  code: string;
  /** What the metric is, in one sentence a person acts on. */
  meaning: string;
  metric: string;
  value: (values: Record<string, number | null>) => number | null;
  /** The capacity now; null when unknown (then there is no forecast). */
  threshold: (latest: Record<string, number | null>, podCapacity: number) => number | null;
}

const sum = (...xs: Array<number | null | undefined>) =>
  xs.some((x) => x === null || x === undefined) ? null : xs.reduce<number>((a, b) => a + b!, 0);

/** The saturation forecasts of a cluster. Pods count as the scheduler does: non-terminated ones. */
export const SATURATION_SPECS: readonly SaturationSpec[] = [
  {
    code: 'FORECAST_CPU_REQUESTS_SATURATION',
    meaning: 'CPU requests reach allocatable CPU: new pods stop scheduling',
    metric: 'requestsCpu',
    value: (v) => v.requestsCpu ?? null,
    threshold: (latest) => latest.allocatableCpu ?? null,
  },
  {
    code: 'FORECAST_MEMORY_REQUESTS_SATURATION',
    meaning: 'Memory requests reach allocatable memory: new pods stop scheduling',
    metric: 'requestsMemory',
    value: (v) => v.requestsMemory ?? null,
    threshold: (latest) => latest.allocatableMemory ?? null,
  },
  {
    code: 'FORECAST_POD_CAPACITY',
    meaning: "Pods reach the nodes' pod capacity: new pods stop scheduling",
    metric: 'pods',
    value: (v) => sum(v.podsRunning, v.podsPending),
    threshold: (_latest, podCapacity) => (podCapacity > 0 ? podCapacity : null),
  },
];

export type SaturationForecast = Forecast;

/**
 * A node pool's capacities: the same codes as the cluster's, over the pool's nodes. Its pods are
 * those bound to its nodes (a Pending pod belongs to no pool yet), against their allocatable pods.
 */
export const POOL_SATURATION_SPECS: readonly SaturationSpec[] = [
  ...SATURATION_SPECS.slice(0, 2).map((spec) => ({
    ...spec,
    meaning: spec.meaning.replace(
      'new pods stop scheduling',
      'new pods stop scheduling in the pool',
    ),
  })),
  {
    code: 'FORECAST_POD_CAPACITY',
    meaning: "Pods reach the pool's pod capacity: new pods stop scheduling in the pool",
    metric: 'pods',
    value: (v) => v.pods ?? null,
    threshold: (latest) => latest.allocatablePods || null,
  },
];

/** The saturation forecasts of every node pool (samples by pool name, oldest first); pure. */
export function poolSaturationForecasts(
  byPool: ReadonlyMap<string, readonly Sample[]>,
  now: number,
  horizonMs: number,
): Forecast[] {
  return [...byPool.entries()].flatMap(([pool, samples]) =>
    saturationForecasts(samples, 0, now, horizonMs, POOL_SATURATION_SPECS).map((f) => ({
      ...f,
      scope: 'nodePool' as const,
      name: pool,
    })),
  );
}

/** Forecasts every saturation spec over the samples (oldest first); pure. */
export function saturationForecasts(
  samples: readonly Sample[],
  podCapacity: number,
  now: number,
  horizonMs: number,
  specs: readonly SaturationSpec[] = SATURATION_SPECS,
): SaturationForecast[] {
  const latest = samples.length ? samples[samples.length - 1].values : {};
  return specs.map((spec) => {
    const basis = samples.flatMap((s) => {
      const v = spec.value(s.values);
      return v === null ? [] : [{ t: Date.parse(s.at), v }];
    });
    const threshold = spec.threshold(latest, podCapacity);
    const forecast =
      threshold === null
        ? noCrossing(basis.length, 'capacity unknown')
        : forecastCrossing(basis, threshold, { now, horizonMs });
    return {
      code: spec.code,
      meaning: spec.meaning,
      metric: spec.metric,
      scope: 'cluster' as const,
      namespace: null,
      name: null,
      threshold,
      basis,
      ...forecast,
    };
  });
}
