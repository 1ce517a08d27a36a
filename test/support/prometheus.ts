/**
 * The test cluster's Prometheus (started by cluster:up next to the telemetry simulator, see
 * docs/testing.md "Telemetry") for integration tests: its URL, PromQL queries, and waiting until
 * an expression has a value — never a fixed sleep.
 */

/** One element of an instant vector: labels and value. */
export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

interface PromResponse {
  status: 'success' | 'error';
  errorType?: string;
  error?: string;
  data?: {
    resultType: string;
    result: { metric: Record<string, string>; value: [number, string] }[];
  };
}

function requiredEnv(name: string, hint: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: ${hint}`);
  return value;
}

const HINT =
  "run integration suites through Jest's integration project (its set-up starts Prometheus), " +
  'and do not start the test cluster with --no-prometheus';

export const testPrometheus = {
  /** Base URL of the cluster's Prometheus, e.g. http://127.0.0.1:41234 (no trailing slash). */
  get url(): string {
    return requiredEnv('CLOUDPILOT_TEST_PROMETHEUS_URL', HINT);
  },
  /** Base URL of the telemetry simulator; GET /metrics is what Prometheus scrapes. */
  get simulatorUrl(): string {
    return requiredEnv('CLOUDPILOT_TEST_SIMULATOR_URL', HINT);
  },
};

/** Runs an instant PromQL query (at `time`, seconds, default now); throws on a PromQL error. */
export async function promQuery(expr: string, time?: number): Promise<PromSample[]> {
  const params = new URLSearchParams({ query: expr });
  if (time !== undefined) params.set('time', String(time));
  const res = await fetch(`${testPrometheus.url}/api/v1/query`, {
    method: 'POST',
    body: params,
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await res.json()) as PromResponse;
  if (body.status !== 'success' || !body.data)
    throw new Error(`PromQL ${expr}: ${body.errorType ?? res.status} ${body.error ?? ''}`);
  if (body.data.resultType !== 'vector')
    throw new Error(`PromQL ${expr}: expected an instant vector, got ${body.data.resultType}`);
  return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}

/**
 * Polls `expr` until it returns exactly one sample whose value satisfies `accept` (default: any
 * value), and returns that value. Times out with the last answer in the message.
 */
export async function untilPromValue(
  expr: string,
  {
    accept = () => true,
    timeoutMs = 30_000,
    intervalMs = 250,
  }: {
    accept?: (value: number) => boolean;
    timeoutMs?: number;
    intervalMs?: number;
  } = {},
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    const samples = await promQuery(expr);
    if (samples.length === 1 && Number.isFinite(samples[0].value) && accept(samples[0].value))
      return samples[0].value;
    last = samples.length === 1 ? String(samples[0].value) : `${samples.length} samples`;
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for a value of ${expr} (last: ${last})`,
      );
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** `accept` predicate: the value is within `tolerance` (relative, default 5 %) of `expected`. */
export function near(expected: number, tolerance = 0.05): (value: number) => boolean {
  return (value) =>
    expected === 0
      ? Math.abs(value) < 1e-9
      : Math.abs(value - expected) <= tolerance * Math.abs(expected);
}
