import { AppError } from '../common/app-error';

/** One call of the query API; `params` are PromQL and times, never credentials. */
export interface PrometheusRequest {
  path: '/api/v1/query' | '/api/v1/query_range';
  params: Record<string, string>;
  timeoutMs: number;
  /** Most bytes of answer read; a longer answer is refused, not buffered. */
  maxBytes: number;
  signal?: AbortSignal;
}

/** The raw HTTP answer: Prometheus's own error bodies matter, so non-2xx is not thrown here. */
export interface PrometheusAnswer {
  status: number;
  body: string;
}

/** How the query API is reached: directly by URL, or through the API server's service proxy. */
export interface PrometheusTransport {
  get(req: PrometheusRequest): Promise<PrometheusAnswer>;
  close(): Promise<void>;
}

export function timedOut(timeoutMs: number): AppError {
  return new AppError(
    'PROMETHEUS_TIMEOUT',
    `Prometheus did not answer within ${timeoutMs / 1000} s`,
  );
}

export function tooLarge(what: string): AppError {
  return new AppError(
    'PROMETHEUS_RESULT_TOO_LARGE',
    `The Prometheus answer exceeds ${what}; narrow the query (labels, range, step)`,
  );
}

/** An answer longer than the request's `maxBytes`, whichever transport read it: the cap in MiB. */
export function answerTooLarge(maxBytes: number): AppError {
  return tooLarge(`${Math.round(maxBytes / 1048576)} MiB`);
}
