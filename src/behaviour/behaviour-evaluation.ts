import type { HealthOverride } from '../config/config.types';
import { tolerancesFor } from '../telemetry/health';
import type { Sample } from '../telemetry/prometheus-client';
import type { Queries } from '../telemetry/telemetry-runner';
import { behaviourQueries, BehaviourQueryName, BehaviourWindows } from './behaviour-promql';
import {
  BehaviourHit,
  errorRateHits,
  latencyHits,
  ratesByWorkload,
  trafficHits,
} from './behaviour-rules';
import { containerHits, memoryForecastHits, volumeHits } from './resource-rules';

export interface EvaluationContext extends BehaviourWindows {
  now: number;
  healthOverrides: readonly HealthOverride[];
  volumeLinePercent: number;
  horizonMs: number;
  hasReadyPods: (namespace: string, name: string) => boolean;
}

/** Sends the fixed set of queries at once; each answer by its name. */
async function answers(
  q: Queries,
  texts: Record<BehaviourQueryName, string>,
): Promise<Record<BehaviourQueryName, Sample[]>> {
  const names = Object.keys(texts) as BehaviourQueryName[];
  const results = await Promise.all(names.map((name) => q.instant(texts[name])));
  return Object.fromEntries(names.map((name, i) => [name, results[i]])) as Record<
    BehaviourQueryName,
    Sample[]
  >;
}

/** One evaluation of a cluster's behaviour: the same queries whatever its size, then pure rules. */
export async function evaluateBehaviour(
  q: Queries,
  ctx: EvaluationContext,
): Promise<BehaviourHit[]> {
  const texts = behaviourQueries(ctx);
  const a = await answers(q, texts);
  const rates = ratesByWorkload(a.requests);
  const baselineRates = ratesByWorkload(a.baselineRequests);
  const windows = {
    windowSeconds: ctx.windowSeconds,
    baselineOffsetSeconds: ctx.baselineOffsetSeconds,
  };
  return [
    ...errorRateHits(
      a.requests,
      (subject) => tolerancesFor(subject, ctx.healthOverrides),
      texts.requests,
      ctx.windowSeconds,
    ),
    ...latencyHits({
      p95: a.p95,
      baselineP95: a.baselineP95,
      rates,
      baselineRates,
      queries: texts,
      ...windows,
    }),
    ...trafficHits({
      rates,
      baselineRates,
      hasReadyPods: ctx.hasReadyPods,
      queries: texts,
      ...windows,
    }),
    ...containerHits(a.throttling, 'throttling', texts.throttling, ctx.windowSeconds),
    ...containerHits(a.memory, 'memory', texts.memory, ctx.windowSeconds),
    ...memoryForecastHits(a.memoryToLimit, texts.memoryToLimit, ctx.now, ctx.horizonMs),
    ...volumeHits({
      slope: a.volumeSlope,
      used: a.volumeUsed,
      capacity: a.volumeCapacity,
      queries: texts,
      now: ctx.now,
      linePercent: ctx.volumeLinePercent,
      horizonMs: ctx.horizonMs,
      volumeWindowSeconds: ctx.volumeWindowSeconds,
    }),
  ];
}
