import type { VolumeForecast } from '../behaviour/resource-rules';
import type { RangeSeries, Sample } from '../telemetry/prometheus-client';
import type { Forecast } from './forecast';
import { fitLine } from './methods/linear-trend';
import type { Point } from './methods/series';
import { sumSeries } from './usage-forecasts';

const HOUR = 3_600_000;
/** Containers listed per cluster at most, the nearest their limit first: flat ones are many. */
export const MAX_CONTAINER_FORECASTS = 200;

const round = (x: number) => Math.round(x * 1000) / 1000;

/** How well a line explains the points Prometheus fitted, discounted for few points (as linear). */
function lineConfidence(basis: readonly Point[]): number {
  const fit = fitLine(basis);
  return fit ? round(fit.r2 * Math.min(1, basis.length / 10)) : 0;
}

interface Crossing {
  current: number;
  threshold: number;
  /** Time left at the slope Prometheus fitted; undefined when not growing. */
  msLeft: number | undefined;
  basis: Point[];
}

/** The forecast fields of a crossing Prometheus's `deriv` computed: the line, its basis, a reason. */
function crossingFields(c: Crossing, now: number, horizonMs: number, notGrowing: string) {
  const past = c.current >= c.threshold;
  const crossesAt = past ? now : c.msLeft === undefined ? null : now + c.msLeft;
  const slopePerHour =
    !past && c.msLeft ? round(((c.threshold - c.current) / c.msLeft) * HOUR) : null;
  return {
    method: 'linear' as const,
    threshold: c.threshold,
    current: c.current,
    crossesAt,
    withinHorizon: crossesAt !== null && !past && crossesAt - now <= horizonMs,
    confidence: crossesAt === null || past ? 0 : lineConfidence(c.basis),
    slopePerHour,
    points: c.basis.length,
    basis: c.basis,
    ...(past
      ? { reason: 'already at or above the threshold' }
      : crossesAt === null
        ? { reason: notGrowing }
        : {}),
  };
}

/** What the memory-limit forecasts read: behaviour's `memoryToLimit` and the usage queries. */
export interface MemoryLimitInput {
  /** Seconds until each growing container's working set reaches its limit (behaviour's query). */
  secondsToLimit: readonly Sample[];
  containerMemory: readonly RangeSeries[];
  containerLimits: readonly Sample[];
  /** The workload of a pod as `<Kind>/<name>` (the pod itself when nothing owns it). */
  workloadOf(namespace: string, pod: string): string;
}

const SEP = '\u0000';

/**
 * FORECAST_MEMORY_LIMIT per workload and container with a memory limit: the crossing is the
 * behaviour evaluation's (the working set's `deriv` over the volume window, the soonest of the
 * workload's pods), the basis the highest working set of its pods at each step. Pure.
 */
export function memoryLimitForecasts(
  input: MemoryLimitInput,
  now: number,
  horizonMs: number,
): Forecast[] {
  const keyOf = (m: Record<string, string>) =>
    m.namespace && m.pod && m.container
      ? [m.namespace, input.workloadOf(m.namespace, m.pod), m.container].join(SEP)
      : undefined;
  const limits = new Map<string, number>();
  for (const s of input.containerLimits) {
    const key = keyOf(s.metric);
    if (key && s.value > 0) limits.set(key, Math.min(limits.get(key) ?? Infinity, s.value));
  }
  const msLeft = new Map<string, number>();
  for (const s of input.secondsToLimit) {
    const key = keyOf(s.metric);
    const ms = s.value * 1000;
    if (key && ms > 0) msLeft.set(key, Math.min(msLeft.get(key) ?? Infinity, ms));
  }
  const series = sumSeries(input.containerMemory, keyOf, Math.max);
  const forecasts = [...limits].flatMap(([key, threshold]): Forecast[] => {
    const basis = series.get(key) ?? [];
    if (!basis.length) return [];
    const [namespace, name, container] = key.split(SEP);
    const c = { current: basis[basis.length - 1].v, threshold, msLeft: msLeft.get(key), basis };
    return [
      {
        code: 'FORECAST_MEMORY_LIMIT',
        meaning: `Container ${container}'s working set reaches its memory limit: the kernel OOM-kills it`,
        metric: 'workingSetBytes',
        scope: 'workload',
        namespace,
        name,
        container,
        ...crossingFields(c, now, horizonMs, 'not growing'),
      },
    ];
  });
  return forecasts.sort(nearestFirst).slice(0, MAX_CONTAINER_FORECASTS);
}

/** Crossings soonest first, then those without one by how full they are. */
function nearestFirst(a: Forecast, b: Forecast): number {
  const at = (f: Forecast) => f.crossesAt ?? Infinity;
  if (at(a) !== at(b)) return at(a) - at(b);
  const full = (f: Forecast) => (f.current ?? 0) / (f.threshold || 1);
  return full(b) - full(a);
}

/**
 * FORECAST_PVC_FULL per claim, from behaviour's volumeForecasts (the one computation of a volume
 * filling up), with the used bytes over the volume window as its basis. Pure.
 */
export function volumeFillForecasts(
  volumes: readonly VolumeForecast[],
  usedSeries: readonly RangeSeries[],
  now: number,
  horizonMs: number,
): Forecast[] {
  const basisOf = sumSeries(usedSeries, (m) =>
    m.namespace && m.persistentvolumeclaim
      ? `${m.namespace}/${m.persistentvolumeclaim}`
      : undefined,
  );
  return volumes.map((v) => {
    const c = {
      current: v.usedBytes,
      threshold: v.lineBytes,
      msLeft: Number.isFinite(v.msLeft) ? v.msLeft : undefined,
      basis: basisOf.get(`${v.namespace}/${v.name}`) ?? [],
    };
    return {
      code: 'FORECAST_PVC_FULL',
      meaning: 'The volume fills to its line: writes fail when it is full',
      metric: 'usedBytes',
      scope: 'pvc' as const,
      namespace: v.namespace,
      name: v.name,
      ...crossingFields(c, now, horizonMs, 'not filling'),
    };
  });
}
