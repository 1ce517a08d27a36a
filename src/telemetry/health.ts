import type { HealthOverride, HealthTolerance } from '../config/config.types';
import type { GoldenSignals } from './golden-signals';

export type HealthStatus = 'healthy' | 'degraded' | 'failure' | 'noTraffic';

/**
 * Kiali's default tolerances, in percent of requests: application errors (HTTP 5xx, gRPC
 * non-OK) degrade from 0.1 % and fail above 10 %; client errors (HTTP 4xx) degrade from 10 %
 * and fail above 20 %. https://kiali.io/docs/configuration/health/
 */
export const DEFAULT_TOLERANCES: readonly HealthTolerance[] = [
  { code: '5xx', degraded: 0.1, failure: 10 },
  { code: 'grpc', degraded: 0.1, failure: 10 },
  { code: '4xx', degraded: 10, failure: 20 },
];

export interface HealthReason {
  code: HealthTolerance['code'];
  direction: 'inbound' | 'outbound';
  /** The error ratio in percent. */
  percent: number;
  degraded: number;
  failure: number;
  status: 'degraded' | 'failure';
}

export interface Health {
  status: HealthStatus;
  /** The ratios that are not healthy, worst first. */
  reasons: HealthReason[];
}

export interface HealthSubject {
  namespace: string;
  kind: 'service' | 'workload';
  name: string;
}

/** The tolerances of a subject: the first override whose three patterns match it, else Kiali's. */
export function tolerancesFor(
  subject: HealthSubject,
  overrides: readonly HealthOverride[],
): readonly HealthTolerance[] {
  const whole = (pattern: string, value: string) => new RegExp(`^(?:${pattern})$`).test(value);
  const match = overrides.find(
    (o) =>
      whole(o.namespace, subject.namespace) &&
      whole(o.kind, subject.kind) &&
      whole(o.name, subject.name),
  );
  return match?.tolerances ?? DEFAULT_TOLERANCES;
}

const RANK: Record<HealthStatus, number> = { noTraffic: 0, healthy: 1, degraded: 2, failure: 3 };

function ratioOf(signals: GoldenSignals, code: HealthTolerance['code']): number {
  if (code === '5xx') return signals.errorRatio5xx;
  if (code === '4xx') return signals.errorRatio4xx;
  return signals.grpcErrorRatio;
}

function judge(
  signals: GoldenSignals,
  direction: HealthReason['direction'],
  tolerances: readonly HealthTolerance[],
): HealthReason[] {
  return tolerances.flatMap((t): HealthReason[] => {
    const percent = Math.round(ratioOf(signals, t.code) * 100 * 10_000) / 10_000;
    // Kiali: at or above `degraded` is degraded, above `failure` is failure; 0 % is always healthy.
    const status =
      percent > t.failure
        ? 'failure'
        : percent >= t.degraded && percent > 0
          ? 'degraded'
          : undefined;
    return status
      ? [{ code: t.code, direction, percent, degraded: t.degraded, failure: t.failure, status }]
      : [];
  });
}

/** Health from the error ratios of the directions that had traffic; no traffic at all is its own state. */
export function healthOf(
  directions: Partial<Record<HealthReason['direction'], GoldenSignals>>,
  tolerances: readonly HealthTolerance[],
): Health {
  const active = Object.entries(directions).filter(
    ([, s]) => s && s.requestsPerSecond > 0,
  ) as Array<[HealthReason['direction'], GoldenSignals]>;
  if (!active.length) return { status: 'noTraffic', reasons: [] };
  const reasons = active
    .flatMap(([direction, signals]) => judge(signals, direction, tolerances))
    .sort((a, b) => RANK[b.status] - RANK[a.status] || b.percent - a.percent);
  return { status: reasons[0]?.status ?? 'healthy', reasons };
}

export function worse(a: HealthStatus, b: HealthStatus): HealthStatus {
  return RANK[a] >= RANK[b] ? a : b;
}
