import { Injectable, Logger } from '@nestjs/common';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import { AppError } from '../common/app-error';
import { ConfigProvider } from '../config/config.provider';
import { PrometheusClient, RangeSeries, Sample } from './prometheus-client';
import { PrometheusConnections } from './prometheus-connections';
import { timedOut } from './prometheus-transport';
import { Shared, SharedViews, ShareRequest } from './shared-views';
import type { TelemetryClusterDto, TelemetryStateDto } from './telemetry.dto';

/** The queries of one request: counted, and cancelled together at the request's deadline. */
export interface Queries {
  instant(promql: string): Promise<Sample[]>;
  /** An instant query answering a histogram's buckets (its series cap counts histograms). */
  histogram(promql: string): Promise<Sample[]>;
  range(promql: string, start: Date, end: Date, stepSeconds: number): Promise<RangeSeries[]>;
}

/** A view shared per cluster under `key` (the view and its parameters), and how to evaluate it. */
export interface SharedView<T> {
  key: string;
  /** The answer's data when there is none (not configured, or failed). */
  empty: T;
  view: (q: Queries) => Promise<T>;
}

type RunState = TelemetryStateDto['state'];

interface Connected {
  cluster: TelemetryClusterDto;
  started: number;
  /** Undefined: not configured, or the source could not be reached (`state` says which). */
  client: PrometheusClient | undefined;
  state: TelemetryStateDto;
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
    const c = await this.connect(clusterIdOrName);
    if (!c.client) return { cluster: c.cluster, telemetry: c.state, data: empty };
    return this.shareOrEvaluate(c, c.client, { key: shareKey, empty, view });
  }

  /**
   * A filtered view (a namespace of the cluster) answered from the cluster-wide view `whole` when
   * that one is shared right now (being evaluated, within its time, or served stale while it
   * refreshes): `filter` picks this view's part, the same numbers its own queries would answer
   * (they touch the same series), at no cost to Prometheus. Otherwise `own` is evaluated (and
   * shared) as `run` does. A derived answer says so in `telemetry.derivedFromCluster`.
   */
  async runFiltered<W, T>(
    clusterIdOrName: string,
    whole: SharedView<W>,
    filter: (whole: W) => T,
    own: SharedView<T>,
  ): Promise<TelemetryRun<T>> {
    const c = await this.connect(clusterIdOrName);
    if (!c.client) return { cluster: c.cluster, telemetry: c.state, data: own.empty };
    const found =
      this.sharing().ttlMs > 0 && this.shared.ifShared(this.request(c, c.client, whole));
    if (!found) return this.shareOrEvaluate(c, c.client, own);
    const run = this.answer(c, await found);
    if (run.telemetry.state !== 'ok') return { ...run, data: own.empty };
    const telemetry = { ...run.telemetry, derivedFromCluster: true };
    return { cluster: run.cluster, telemetry, data: filter(run.data) };
  }

  /**
   * Evaluates a shared view of a cluster ahead of its readers (the warm-keeping job): `skipped`
   * when its answer is still within its time or already being evaluated (or sharing is off), else
   * the state of the evaluation, whose answer replaces the shared one when it is ok.
   */
  async renew<T>(clusterId: string, spec: SharedView<T>): Promise<'skipped' | RunState> {
    const c = await this.connect(clusterId);
    if (!c.client) return c.state.state;
    if (this.sharing().ttlMs <= 0) return 'skipped';
    const run = await this.shared.renew(this.request(c, c.client, spec));
    return run?.telemetry.state ?? 'skipped';
  }

  /** The cluster, and its Prometheus client or why there is none (not configured, or failing). */
  private async connect(clusterIdOrName: string): Promise<Connected> {
    const found = await this.directory.get(clusterIdOrName);
    const cluster = { id: found.id, name: found.name };
    const started = Date.now();
    const elapsed = () => Date.now() - started;
    try {
      const client = await this.connections.client(cluster.id);
      const state = { state: 'notConfigured' as const, error: null, queries: 0 };
      return { cluster, started, client, state: { ...state, elapsedMs: elapsed() } };
    } catch (error) {
      const state = this.failure(cluster.id, error, 0, elapsed());
      return { cluster, started, client: undefined, state };
    }
  }

  private sharing(): { ttlMs: number; staleMs: number } {
    const { viewCacheSeconds, viewStaleSeconds } = this.configProvider.config.telemetry;
    return { ttlMs: viewCacheSeconds * 1000, staleMs: viewStaleSeconds * 1000 };
  }

  /** The view of the cluster as SharedViews takes it: keyed per cluster, only an ok answer kept. */
  private request<T>(
    c: Connected,
    client: PrometheusClient,
    spec: SharedView<T>,
  ): ShareRequest<TelemetryRun<T>> {
    const evaluate = () =>
      this.evaluate(c.cluster, client, spec.empty, spec.view, c.started).then((run) => ({
        value: run,
        keep: run.telemetry.state === 'ok',
      }));
    return { key: `${c.cluster.id}\n${spec.key}`, owner: client, ...this.sharing(), evaluate };
  }

  private async shareOrEvaluate<T>(
    c: Connected,
    client: PrometheusClient,
    spec: Omit<SharedView<T>, 'key'> & { key?: string },
  ): Promise<TelemetryRun<T>> {
    if (!spec.key || this.sharing().ttlMs <= 0)
      return this.evaluate(c.cluster, client, spec.empty, spec.view, c.started);
    return this.answer(
      c,
      await this.shared.share(this.request(c, client, { ...spec, key: spec.key })),
    );
  }

  /** A shared answer as this request gives it: its own elapsed time, and the answer's age. */
  private answer<T>(c: Connected, shared: Shared<TelemetryRun<T>>): TelemetryRun<T> {
    if (shared.ageMs === null) return shared.value;
    const elapsedMs = Date.now() - c.started;
    const telemetry = { ...shared.value.telemetry, elapsedMs, cacheAgeMs: shared.ageMs };
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
