import { AppError } from '../common/app-error';
import { PrometheusTransport, timedOut, tooLarge } from './prometheus-transport';

/** One series of an instant vector: its labels and value (NaN and ±Inf kept as numbers). */
export interface Sample {
  metric: Record<string, string>;
  value: number;
}

/** One series of a range query, points oldest first as [unix seconds, value]. */
export interface RangeSeries {
  metric: Record<string, string>;
  points: Array<[number, number]>;
}

export interface QueryLimits {
  timeoutMs: number;
  maxSeries: number;
  maxPoints: number;
  maxBytes: number;
}

interface ApiBody {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

type RawVector = Array<{ metric?: Record<string, string>; value?: [number, string] }>;
type RawMatrix = Array<{ metric?: Record<string, string>; values?: Array<[number, string]> }>;

/** Prometheus's own message about a refused query names only the query; cap it all the same. */
function relay(body: ApiBody): string {
  return String(body.error ?? 'no message').slice(0, 300);
}

/** The JSON body, or undefined: a proxy's HTML page or a truncated body is not the query API. */
function parse(text: string): ApiBody | undefined {
  try {
    const body = JSON.parse(text) as ApiBody;
    return body && typeof body === 'object' ? body : undefined;
  } catch {
    return undefined;
  }
}

/** Prometheus's documented statuses: 400 bad_data, 422 execution, 503 timeout/canceled. */
function failure(status: number, body: ApiBody, timeoutMs: number): AppError {
  if (status === 401 || status === 403)
    return new AppError('PROMETHEUS_AUTH_FAILED', `Prometheus refused the credential (${status})`);
  if (status === 400 || status === 422 || body.errorType === 'bad_data')
    return new AppError('PROMETHEUS_BAD_QUERY', `Prometheus refused the query: ${relay(body)}`);
  if (body.errorType === 'timeout') return timedOut(timeoutMs);
  return new AppError('PROMETHEUS_ERROR', `Prometheus answered ${status}: ${relay(body)}`);
}

/**
 * The Prometheus HTTP query API (/api/v1/query, /api/v1/query_range), shared by Prometheus,
 * Thanos Query, Mimir and VictoriaMetrics. Every query carries a deadline (also sent as the
 * server-side `timeout`); answers over the series, points or byte caps are refused whole.
 * https://prometheus.io/docs/prometheus/latest/querying/api/
 */
export class PrometheusClient {
  /** Queries sent, for tests and benchmarks that hold the count per request constant. */
  queries = 0;

  constructor(
    private readonly transport: PrometheusTransport,
    readonly limits: QueryLimits,
  ) {}

  async instant(query: string, at?: Date, signal?: AbortSignal): Promise<Sample[]> {
    return this.vector(query, at, signal, (result) => result.length);
  }

  /**
   * An instant query whose answer is a histogram's buckets (series with `le`): the series cap
   * counts histograms, not their buckets, so a view of N services costs what N quantiles did,
   * while the answer's bytes stay capped as any other.
   */
  async histogram(query: string, at?: Date, signal?: AbortSignal): Promise<Sample[]> {
    return this.vector(query, at, signal, histogramsIn);
  }

  private async vector(
    query: string,
    at: Date | undefined,
    signal: AbortSignal | undefined,
    seriesIn: (result: RawVector) => number,
  ): Promise<Sample[]> {
    const params: Record<string, string> = { query };
    if (at) params.time = String(at.getTime() / 1000);
    const data = await this.send('/api/v1/query', params, signal);
    if (data.resultType === 'scalar') {
      const [, value] = data.result as [number, string];
      return [{ metric: {}, value: Number(value) }];
    }
    if (data.resultType !== 'vector') throw unexpected(data.resultType);
    const result = data.result as RawVector;
    this.assertSeries(seriesIn(result));
    return result.map((s) => ({ metric: s.metric ?? {}, value: Number(s.value?.[1]) }));
  }

  async range(
    query: string,
    start: Date,
    end: Date,
    stepSeconds: number,
    signal?: AbortSignal,
  ): Promise<RangeSeries[]> {
    const steps = Math.floor((end.getTime() - start.getTime()) / 1000 / stepSeconds) + 1;
    if (steps > this.limits.maxPoints) throw tooLarge(`${this.limits.maxPoints} points`);
    const data = await this.send(
      '/api/v1/query_range',
      {
        query,
        start: String(start.getTime() / 1000),
        end: String(end.getTime() / 1000),
        step: String(stepSeconds),
      },
      signal,
    );
    if (data.resultType !== 'matrix') throw unexpected(data.resultType);
    const result = data.result as RawMatrix;
    this.assertSeries(result.length);
    const points = result.reduce((n, s) => n + (s.values?.length ?? 0), 0);
    if (points > this.limits.maxPoints) throw tooLarge(`${this.limits.maxPoints} points`);
    return result.map((s) => ({
      metric: s.metric ?? {},
      points: (s.values ?? []).map(([t, v]) => [t, Number(v)] as [number, number]),
    }));
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  private async send(
    path: '/api/v1/query' | '/api/v1/query_range',
    params: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<NonNullable<ApiBody['data']>> {
    const { timeoutMs, maxBytes } = this.limits;
    this.queries += 1;
    const answer = await this.transport.get({
      path,
      params: { ...params, timeout: `${timeoutMs / 1000}s` },
      timeoutMs,
      maxBytes,
      signal,
    });
    const body = parse(answer.body);
    if (answer.status < 200 || answer.status >= 300 || body?.status === 'error')
      throw failure(answer.status, body ?? {}, timeoutMs);
    if (body?.status !== 'success')
      throw new AppError('PROMETHEUS_ERROR', 'The answer is not the Prometheus query API');
    if (!body.data || !Array.isArray(body.data.result)) throw unexpected(body.data?.resultType);
    return body.data;
  }

  private assertSeries(count: number): void {
    if (count > this.limits.maxSeries) throw tooLarge(`${this.limits.maxSeries} series`);
  }
}

/** Distinct label sets once `le` is set aside: the histograms a bucket answer holds. */
function histogramsIn(result: RawVector): number {
  const seen = new Set<string>();
  for (const s of result) {
    // One text per label set, built by hand: a JSON text per bucket cost ~20 ms at 10,000 buckets.
    let key = '';
    for (const name in s.metric) if (name !== 'le') key += `${name}\0${s.metric[name]}\u0001`;
    seen.add(key);
  }
  return seen.size;
}

function unexpected(resultType: string | undefined): AppError {
  return new AppError('PROMETHEUS_ERROR', `Unexpected result type ${String(resultType)}`);
}
