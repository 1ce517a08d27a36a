import type { Sample } from '../telemetry/prometheus-client';
import { severityByTimeLeft } from '../forecasts/forecast-findings';
import type { BehaviourHit } from './behaviour-rules';
import { MEMORY_LIMIT_RATIO, THROTTLE_RATIO } from './behaviour-promql';

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Containers whose ratio the query already filtered past its line (throttling or memory). */
export function containerHits(
  samples: readonly Sample[],
  kind: 'throttling' | 'memory',
  query: string,
  windowSeconds: number,
): BehaviourHit[] {
  return samples.flatMap((s): BehaviourHit[] => {
    const { namespace, pod, container } = s.metric;
    if (!namespace || !pod || !container || !Number.isFinite(s.value)) return [];
    const percent = round(s.value * 100, 2);
    const throttling = kind === 'throttling';
    return [
      {
        code: throttling ? 'BEHAVIOUR_CPU_THROTTLING' : 'BEHAVIOUR_MEMORY_NEAR_LIMIT',
        severity: 'warning',
        target: { type: 'container', namespace, pod, container },
        message: throttling
          ? `Container ${container} throttled in ${percent} % of its CPU periods (line ${THROTTLE_RATIO * 100} %)`
          : `Container ${container} uses ${percent} % of its memory limit (line ${MEMORY_LIMIT_RATIO * 100} %): an OOM kill is near`,
        fields: {
          query,
          ...(throttling ? { windowSeconds } : {}),
          pod,
          container,
          percent,
          linePercent: (throttling ? THROTTLE_RATIO : MEMORY_LIMIT_RATIO) * 100,
        },
      },
    ];
  });
}

export interface VolumeInput {
  slope: readonly Sample[];
  used: readonly Sample[];
  capacity: readonly Sample[];
  queries: { volumeSlope: string; volumeUsed: string; volumeCapacity: string };
  now: number;
  linePercent: number;
  horizonMs: number;
  volumeWindowSeconds: number;
}

const pvcKey = (m: Record<string, string>) => `${m.namespace}/${m.persistentvolumeclaim}`;

function byPvc(samples: readonly Sample[]): Map<string, number> {
  return new Map(
    samples.filter((s) => Number.isFinite(s.value)).map((s) => [pvcKey(s.metric), s.value]),
  );
}

/** One claim's fill-up, as both the finding and GET /forecasts state it. */
export interface VolumeForecast {
  namespace: string;
  name: string;
  usedBytes: number;
  capacityBytes: number;
  /** `linePercent` of the capacity: where the forecast crosses. */
  lineBytes: number;
  /** Prometheus's least-squares slope over the volume window; 0 when not filling. */
  slopeBytesPerSecond: number;
  /** Time to the line at that slope: 0 past it already, Infinity when not filling. */
  msLeft: number;
}

/**
 * Every claim with used and capacity bytes: the used bytes' linear trend (`deriv` over the volume
 * window) to `linePercent` of capacity. The one computation of a volume filling up: the
 * FORECAST_PVC_FULL finding (volumeHits) and the pvc forecasts of GET /forecasts both read it.
 */
export function volumeForecasts(
  input: Pick<VolumeInput, 'slope' | 'used' | 'capacity' | 'linePercent'>,
): VolumeForecast[] {
  const used = byPvc(input.used);
  const slopes = byPvc(input.slope);
  return [...byPvc(input.capacity)].flatMap(([key, capacity]): VolumeForecast[] => {
    const current = used.get(key);
    if (current === undefined || capacity <= 0) return [];
    const line = (capacity * input.linePercent) / 100;
    const slope = Math.max(0, slopes.get(key) ?? 0);
    const msLeft = current >= line ? 0 : slope > 0 ? ((line - current) / slope) * 1000 : Infinity;
    const [namespace, ...name] = key.split('/');
    return [
      {
        namespace,
        name: name.join('/'),
        usedBytes: current,
        capacityBytes: capacity,
        lineBytes: line,
        slopeBytesPerSecond: slope,
        msLeft,
      },
    ];
  });
}

/**
 * FORECAST_PVC_FULL: a volume reaching `linePercent` of capacity within the horizon
 * (volumeForecasts), or past the line already. A volume filling months from its line, or not
 * filling, stays silent.
 */
export function volumeHits(input: VolumeInput): BehaviourHit[] {
  return volumeForecasts(input).flatMap((v): BehaviourHit[] => {
    if (v.msLeft > input.horizonMs) return [];
    const past = v.msLeft === 0;
    const crossesAt = new Date(input.now + v.msLeft).toISOString();
    const usedPercent = round((v.usedBytes / v.capacityBytes) * 100, 2);
    return [
      {
        code: 'FORECAST_PVC_FULL',
        severity: past ? 'critical' : severityByTimeLeft(v.msLeft),
        target: { type: 'pvc', namespace: v.namespace, name: v.name },
        message: past
          ? `The volume is ${usedPercent} % full, past the ${input.linePercent} % line`
          : `The volume (${usedPercent} % full) reaches ${input.linePercent} % at ${crossesAt}, in ${describe(v.msLeft)}, filling ${round(v.slopeBytesPerSecond)} B/s`,
        fields: {
          query: input.queries.volumeSlope,
          usedQuery: input.queries.volumeUsed,
          capacityQuery: input.queries.volumeCapacity,
          windowSeconds: input.volumeWindowSeconds,
          usedBytes: v.usedBytes,
          capacityBytes: v.capacityBytes,
          usedPercent,
          linePercent: input.linePercent,
          slopeBytesPerSecond: round(v.slopeBytesPerSecond),
          crossesAt,
        },
      },
    ];
  });
}

function describe(ms: number): string {
  const hours = ms / 3_600_000;
  if (hours < 1) return `${Math.round(ms / 60_000)} min`;
  return hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} days`;
}

/**
 * FORECAST_MEMORY_LIMIT: a container's working set, at its trend over the volume window, reaches
 * its memory limit (the OOM kill) within the horizon. At or past the limit already is
 * BEHAVIOUR_MEMORY_NEAR_LIMIT's (and the kubelet's OOMKilled), not a forecast.
 */
export function memoryForecastHits(
  secondsToLimit: readonly Sample[],
  query: string,
  now: number,
  horizonMs: number,
): BehaviourHit[] {
  return secondsToLimit.flatMap((s): BehaviourHit[] => {
    const { namespace, pod, container } = s.metric;
    const msLeft = s.value * 1000;
    if (!namespace || !pod || !container || !(msLeft > 0) || msLeft > horizonMs) return [];
    const crossesAt = new Date(now + msLeft).toISOString();
    return [
      {
        code: 'FORECAST_MEMORY_LIMIT',
        severity: severityByTimeLeft(msLeft),
        target: { type: 'container', namespace, pod, container },
        message: `Container ${container}'s working set grows to its memory limit at ${crossesAt}, in ${describe(msLeft)}: an OOM kill then`,
        fields: { query, pod, container, secondsLeft: round(s.value, 1), crossesAt },
      },
    ];
  });
}
