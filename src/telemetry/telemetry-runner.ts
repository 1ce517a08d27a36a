import { Injectable, Logger } from '@nestjs/common';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import { AppError } from '../common/app-error';
import { ConfigProvider } from '../config/config.provider';
import { PrometheusClient, RangeSeries, Sample } from './prometheus-client';
import { PrometheusConnections } from './prometheus-connections';
import { timedOut } from './prometheus-transport';
import { SharedViews } from './shared-views';
import type { TelemetryClusterDto, TelemetryStateDto } from './telemetry.dto';

/** The queries of one request: counted, and cancelled together at the request's deadline. */
export interface Queries {
  instant(promql: string): Promise<Sample[]>;
  /** An instant query answering a histogram's buckets (its series cap counts histograms). */
  histogram(promql: string): Promise<Sample[]>;
  range(promql: string, start: Date, end: Date, stepSeconds: number): Promise<RangeSeries[]>;
}

export interface TelemetryRun<T> {
  cluster: TelemetryClusterDto;
  telemetry: TelemetryStateDto;
  /** The result, or `empty` when not configured or failed. */
  data: T;
}

/** Time beyond the per-query deadline for finding an in-cluster Service and building the answer. */
const SLACK_MS = 1000;

/**
 * Runs a telemetry view for one cluster: resolves the cluster (CLUSTER_NOT_FOUND stays an HTTP
 * error), then the view's queries under one deadline. Prometheus failures of any kind come back
 * as data (`telemetry.state: error`), never as a failed request: a dead, slow or refusing
 * Prometheus costs at most the deadline, and no other route or cluster.
 */
@Injectable()
export class TelemetryRunner {
  private readonly logger = new Logger(TelemetryRunner.name);
  private readonly shared = new SharedViews();

  constructor(
    private readonly directory: ClusterDirectory,
    private readonly connections: PrometheusConnections,
    private readonly configProvider: ConfigProvider,
  ) {}

  /**
   * With a `shareKey` (the view and its parameters), concurrent and recent requests of the same
   * view of the cluster share one evaluation for `telemetry.viewCacheSeconds`; `telemetry.queries`
   * is then what that evaluation sent and `telemetry.cacheAgeMs` how long ago it ended.
   */
  async run<T>(
    clusterIdOrName: string,
    empty: T,
    view: (q: Queries) => Promise<T>,
    shareKey?: string,
  ): Promise<TelemetryRun<T>> {
    const found = await this.directory.get(clusterIdOrName);
    const cluster = { id: found.id, name: found.name };
    const started = Date.now();
    const elapsed = () => Date.now() - started;
    let client: PrometheusClient | undefined;
    try {
      client = await this.connections.client(cluster.id);
    } catch (error) {
      return { cluster, telemetry: this.failure(cluster.id, error, 0, elapsed()), data: empty };
    }
    const state = { state: 'notConfigured' as const, error: null, queries: 0 };
    if (!client) return { cluster, telemetry: { ...state, elapsedMs: elapsed() }, data: empty };
    const { viewCacheSeconds, viewStaleSeconds } = this.configProvider.config.telemetry;
    const ttlMs = viewCacheSeconds * 1000;
    const live = client;
    const evaluate = () => this.evaluate(cluster, live, empty, view, started);
    if (!shareKey || ttlMs <= 0) return evaluate();
    const shared = await this.shared.share(
      `${cluster.id}\n${shareKey}`,
      client,
      ttlMs,
      () => evaluate().then((run) => ({ value: run, keep: run.telemetry.state === 'ok' })),
      viewStaleSeconds * 1000,
    );
    if (shared.ageMs === null) return shared.value;
    const telemetry = { ...shared.value.telemetry, elapsedMs: elapsed(), cacheAgeMs: shared.ageMs };
    return { ...shared.value, telemetry };
  }

  private async evaluate<T>(
    cluster: TelemetryClusterDto,
    client: PrometheusClient,
    empty: T,
    view: (q: Queries) => Promise<T>,
    started: number,
  ): Promise<TelemetryRun<T>> {
    const controller = new AbortController();
    let queries = 0;
    try {
      const counted = this.counted(client, controller.signal, () => (queries += 1));
      const data = await withDeadline(
        view(counted),
        client.limits.timeoutMs + SLACK_MS,
        controller,
      );
      const elapsedMs = Date.now() - started;
      return { cluster, telemetry: { state: 'ok', error: null, queries, elapsedMs }, data };
    } catch (error) {
      const telemetry = this.failure(cluster.id, error, queries, Date.now() - started);
      return { cluster, telemetry, data: empty };
    } finally {
      controller.abort();
    }
  }

  private failure(
    clusterId: string,
    error: unknown,
    queries: number,
    elapsedMs: number,
  ): TelemetryStateDto {
    const { code, message } = this.asData(error, clusterId);
    return { state: 'error', error: { code, message }, queries, elapsedMs };
  }

  private counted(client: PrometheusClient, signal: AbortSignal, count: () => void): Queries {
    return {
      instant: (promql) => (count(), client.instant(promql, undefined, signal)),
      histogram: (promql) => (count(), client.histogram(promql, undefined, signal)),
      range: (promql, start, end, step) => (
        count(),
        client.range(promql, start, end, step, signal)
      ),
    };
  }

  private asData(error: unknown, clusterId: string): { code: string; message: string } {
    if (error instanceof AppError) return { code: error.code, message: error.message };
    // Only the code and the cluster go to the log: an unknown error may embed a credential.
    this.logger.warn(
      { cluster: clusterId, error: (error as Error)?.name },
      'telemetry view failed',
    );
    return { code: 'PROMETHEUS_ERROR', message: 'The telemetry view failed' };
  }
}

/** The view's result, or PROMETHEUS_TIMEOUT once `ms` have passed (its queries are then aborted). */
function withDeadline<T>(work: Promise<T>, ms: number, controller: AbortController): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(timedOut(ms - SLACK_MS));
    }, ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
