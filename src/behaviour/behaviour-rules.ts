import type { Severity } from '../cluster-state/finding';
import type { HealthTolerance } from '../config/config.types';
import type { Sample } from '../telemetry/prometheus-client';
import { quantilesByKey, signalsOf, tallyRates } from '../telemetry/golden-signals';
import { healthOf, HealthSubject } from '../telemetry/health';

/** What a behaviour hit is about, as Prometheus names it; the service resolves the object. */
export type HitTarget =
  | { type: 'workload'; namespace: string; name: string }
  | { type: 'container'; namespace: string; pod: string; container: string }
  | { type: 'pvc'; namespace: string; name: string };

/** One behaviour that is not right now, with the numbers that show it. */
export interface BehaviourHit {
  code: string;
  severity: Severity;
  target: HitTarget;
  message: string;
  fields: Record<string, unknown>;
}

/** p95 must at least double AND grow by this much AND both windows hold enough requests. */
export const LATENCY_RATIO = 2;
export const LATENCY_FLOOR_MS = 50;
/** Requests a window must hold before its rate or p95 is compared: less is noise. */
export const MIN_REQUESTS = 100;
/** Traffic at or below this share of its baseline is a drop. */
export const TRAFFIC_DROP_RATIO = 0.1;

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

function workloadOf(key: string): HitTarget & { type: 'workload' } {
  const [namespace, ...name] = key.split('/');
  return { type: 'workload', namespace, name: name.join('/') };
}

/** Inbound error ratios past the workload's health tolerances (telemetry's, overrides included). */
export function errorRateHits(
  requests: readonly Sample[],
  tolerancesOf: (subject: HealthSubject) => readonly HealthTolerance[],
  query: string,
  windowSeconds: number,
): BehaviourHit[] {
  return [...tallyRates(requests, 'workload', 'inbound')].flatMap(([key, { group, tally }]) => {
    const signals = signalsOf(tally, { p50: null, p95: null, p99: null });
    const health = healthOf({ inbound: signals }, tolerancesOf({ ...group, kind: 'workload' }));
    const worst = health.reasons[0];
    if (!worst) return [];
    return [
      {
        code: 'BEHAVIOUR_ERROR_RATE',
        severity: worst.status === 'failure' ? 'critical' : 'warning',
        target: workloadOf(key),
        message: `${worst.percent} % of inbound requests answered ${worst.code} (tolerance: degraded from ${worst.degraded} %, failing above ${worst.failure} %)`,
        fields: {
          query,
          windowSeconds,
          requestsPerSecond: signals.requestsPerSecond,
          errorPercent: worst.percent,
          errorClass: worst.code,
          tolerance: { degraded: worst.degraded, failure: worst.failure },
          reasons: health.reasons,
          responseCodes: signals.responseCodes,
        },
      },
    ];
  });
}

/** Request rate per workload key, from `requests` (by outcome) or a baseline (already summed). */
export function ratesByWorkload(samples: readonly Sample[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, { tally }] of tallyRates(samples, 'workload', 'inbound'))
    out.set(key, tally.total);
  return out;
}

export interface LatencyInput {
  p95: readonly Sample[];
  baselineP95: readonly Sample[];
  rates: ReadonlyMap<string, number>;
  baselineRates: ReadonlyMap<string, number>;
  queries: { p95: string; baselineP95: string };
  windowSeconds: number;
  baselineOffsetSeconds: number;
}

/**
 * A p95 regression: the last window's p95 against the same window `offset` back, raised only when
 * it is at least LATENCY_RATIO times the baseline, LATENCY_FLOOR_MS above it, and both windows
 * hold MIN_REQUESTS: a 2 → 5 ms jump or a quiet hour's three slow requests are not regressions.
 */
export function latencyHits(input: LatencyInput): BehaviourHit[] {
  const now = quantilesByKey(input.p95, 'workload', 'inbound');
  const before = quantilesByKey(input.baselineP95, 'workload', 'inbound');
  const w = input.windowSeconds;
  return [...now].flatMap(([key, p95]): BehaviourHit[] => {
    const baseline = before.get(key);
    if (p95 === null || baseline === null || baseline === undefined || baseline <= 0) return [];
    const requests = (input.rates.get(key) ?? 0) * w;
    const baselineRequests = (input.baselineRates.get(key) ?? 0) * w;
    if (requests < MIN_REQUESTS || baselineRequests < MIN_REQUESTS) return [];
    if (p95 < LATENCY_RATIO * baseline || p95 - baseline < LATENCY_FLOOR_MS) return [];
    return [
      {
        code: 'BEHAVIOUR_LATENCY_REGRESSION',
        severity: 'warning',
        target: workloadOf(key),
        message: `p95 latency ${p95} ms over the last ${w} s, ${round(p95 / baseline, 2)}× the ${baseline} ms of the same window ${input.baselineOffsetSeconds} s before`,
        fields: {
          query: input.queries.p95,
          baselineQuery: input.queries.baselineP95,
          windowSeconds: w,
          baselineOffsetSeconds: input.baselineOffsetSeconds,
          p95Ms: p95,
          baselineP95Ms: baseline,
          ratio: round(p95 / baseline, 3),
          requests: Math.round(requests),
          baselineRequests: Math.round(baselineRequests),
        },
      },
    ];
  });
}

export interface TrafficInput {
  rates: ReadonlyMap<string, number>;
  baselineRates: ReadonlyMap<string, number>;
  /** True when the workload has at least one ready pod now (from the live cache). */
  hasReadyPods: (namespace: string, name: string) => boolean;
  queries: { requests: string; baselineRequests: string };
  windowSeconds: number;
  baselineOffsetSeconds: number;
}

/**
 * Traffic that fell to TRAFFIC_DROP_RATIO of its baseline (or to nothing) while the workload's
 * pods are ready: callers stopped calling, not pods stopped answering (other findings say that).
 * A workload idle by design had no baseline traffic, so it never drops.
 */
export function trafficHits(input: TrafficInput): BehaviourHit[] {
  const w = input.windowSeconds;
  return [...input.baselineRates].flatMap(([key, baseline]): BehaviourHit[] => {
    if (baseline * w < MIN_REQUESTS) return [];
    const rate = input.rates.get(key) ?? 0;
    if (rate > TRAFFIC_DROP_RATIO * baseline) return [];
    const target = workloadOf(key);
    if (!input.hasReadyPods(target.namespace, target.name)) return [];
    const what = rate === 0 ? 'stopped' : `fell ${Math.round((1 - rate / baseline) * 100)} %`;
    return [
      {
        code: 'BEHAVIOUR_TRAFFIC_DROP',
        severity: 'warning',
        target,
        message: `Inbound traffic ${what}: ${round(rate)} req/s over the last ${w} s against ${round(baseline)} req/s ${input.baselineOffsetSeconds} s before, with pods ready`,
        fields: {
          query: input.queries.requests,
          baselineQuery: input.queries.baselineRequests,
          windowSeconds: w,
          baselineOffsetSeconds: input.baselineOffsetSeconds,
          requestsPerSecond: round(rate),
          baselineRequestsPerSecond: round(baseline),
        },
      },
    ];
  });
}
