import { Injectable } from '@nestjs/common';
import { ConfigProvider } from '../config/config.provider';
import {
  GoldenSignals,
  keyOf,
  GroupKey,
  latencyByKey,
  signalsOf,
  tallyRates,
} from './golden-signals';
import { healthOf, tolerancesFor } from './health';
import { Direction, latencyBuckets, requestRates, Scope } from './promql';
import { itemsOfNamespace } from './namespace-views';
import { RecentViews } from './recent-views';
import { Queries, SharedView, TelemetryRunner } from './telemetry-runner';
import type { ServiceSignalsDto, SignalsListDto, SignalsQueryDto } from './telemetry.dto';

interface DirectionResult {
  groups: Map<string, GroupKey>;
  signals: (key: string) => GoldenSignals;
}

/**
 * Golden signals and health per Service or workload: two queries per direction (rates by outcome,
 * and the duration buckets from which p50, p95 and p99 are interpolated here), each grouped over
 * every service at once, so a request costs the same number of queries for five services or five
 * thousand.
 */
@Injectable()
export class SignalsService {
  constructor(
    private readonly runner: TelemetryRunner,
    private readonly configProvider: ConfigProvider,
    private readonly recent: RecentViews,
  ) {}

  async list(clusterId: string, scope: Scope, query: SignalsQueryDto): Promise<SignalsListDto> {
    const { windowSeconds, namespace } = query;
    const whole = this.sharedView(scope, windowSeconds);
    const run = namespace
      ? await this.runner.runFiltered(
          clusterId,
          whole,
          (items) => itemsOfNamespace(items, namespace),
          {
            key: `${scope}s|${windowSeconds}|${namespace}`,
            empty: [],
            view: (q) => this.collect(q, scope, windowSeconds, namespace),
          },
        )
      : await this.runner.run(clusterId, whole.empty, whole.view, whole.key);
    this.recent.note(run.cluster.id, { view: `${scope}s`, windowSeconds });
    const matching = run.data.filter(
      (item) =>
        (!query.name || item.name === query.name) &&
        (!query.health || item.health.status === query.health),
    );
    return {
      cluster: run.cluster,
      telemetry: run.telemetry,
      windowSeconds,
      generatedAt: new Date().toISOString(),
      total: matching.length,
      limit: query.limit,
      offset: query.offset,
      items: matching.slice(query.offset, query.offset + query.limit),
    };
  }

  /** The cluster-wide view of a scope and window, as it is shared and kept warm. */
  sharedView(scope: Scope, windowSeconds: number): SharedView<ServiceSignalsDto[]> {
    return {
      key: `${scope}s|${windowSeconds}|`,
      empty: [],
      view: (q) => this.collect(q, scope, windowSeconds),
    };
  }

  /** Every service or workload with traffic in the window, worst health first, then by name. */
  async collect(
    q: Queries,
    scope: Scope,
    windowSeconds: number,
    namespace?: string,
  ): Promise<ServiceSignalsDto[]> {
    const directions: Direction[] = scope === 'workload' ? ['inbound', 'outbound'] : ['inbound'];
    const results = await Promise.all(
      directions.map((d) => this.direction(q, scope, d, windowSeconds, namespace)),
    );
    const [inbound, outbound] = results;
    const keys = new Map<string, GroupKey>();
    for (const r of results) for (const [k, g] of r.groups) keys.set(k, g);
    const overrides = this.configProvider.config.telemetry.healthOverrides;
    return [...keys]
      .map(([key, group]) => {
        const inSignals = inbound.signals(key);
        const outSignals = outbound?.signals(key) ?? null;
        const subject = { ...group, kind: scope };
        const health = healthOf(
          { inbound: inSignals, ...(outSignals ? { outbound: outSignals } : {}) },
          tolerancesFor(subject, overrides),
        );
        return { ...subject, inbound: inSignals, outbound: outSignals, health };
      })
      .sort((a, b) => severity(b) - severity(a) || byText(keyOf(a), keyOf(b)));
  }

  private async direction(
    q: Queries,
    scope: Scope,
    direction: Direction,
    windowSeconds: number,
    namespace?: string,
  ): Promise<DirectionResult> {
    const [rates, buckets] = await Promise.all([
      q.instant(requestRates(scope, direction, windowSeconds, namespace)),
      q.histogram(latencyBuckets(scope, direction, windowSeconds, namespace)),
    ]);
    const tallies = tallyRates(rates, scope, direction);
    const latencies = latencyByKey(buckets, scope, direction);
    const none = { p50: null, p95: null, p99: null };
    return {
      groups: new Map([...tallies].map(([k, v]) => [k, v.group])),
      signals: (key) => signalsOf(tallies.get(key)?.tally, latencies.get(key) ?? none),
    };
  }
}

/** localeCompare's order, without building its collator at each comparison of a large list. */
const byText = new Intl.Collator().compare;

const RANK = { failure: 3, degraded: 2, healthy: 1, noTraffic: 0 } as const;

function severity(item: ServiceSignalsDto): number {
  return RANK[item.health.status];
}
