import { AppError } from '../common/app-error';
import { PrometheusClient } from './prometheus-client';
import type {
  PrometheusAnswer,
  PrometheusRequest,
  PrometheusTransport,
} from './prometheus-transport';

/** A transport that answers what the test says: the client's parsing and caps, without a network. */
class Scripted implements PrometheusTransport {
  sent: PrometheusRequest[] = [];
  constructor(private readonly answer: PrometheusAnswer) {}
  async get(req: PrometheusRequest): Promise<PrometheusAnswer> {
    this.sent.push(req);
    return this.answer;
  }
  async close(): Promise<void> {}
}

const limits = { timeoutMs: 2000, maxSeries: 3, maxPoints: 10, maxBytes: 1 << 20 };
const ok = (resultType: string, result: unknown) => ({
  status: 200,
  body: JSON.stringify({ status: 'success', data: { resultType, result } }),
});
const vector = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ metric: { i: String(i) }, value: [1, String(i)] }));

async function codeOf(work: Promise<unknown>): Promise<string> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  return error instanceof AppError ? error.code : String(error);
}

describe('PrometheusClient', () => {
  it('reads an instant vector and sends the deadline as the server-side timeout', async () => {
    const transport = new Scripted(ok('vector', vector(2)));
    const client = new PrometheusClient(transport, limits);
    await expect(client.instant('up')).resolves.toEqual([
      { metric: { i: '0' }, value: 0 },
      { metric: { i: '1' }, value: 1 },
    ]);
    expect(transport.sent[0]).toMatchObject({
      path: '/api/v1/query',
      params: { query: 'up', timeout: '2s' },
    });
  });

  it('caps a bucket answer by its histograms, not by its buckets', async () => {
    const buckets = (histograms: number) =>
      Array.from({ length: histograms }, (_, i) =>
        ['1', '10', '+Inf'].map((le) => ({ metric: { svc: `s${i}`, le }, value: [1, '1'] })),
      ).flat();
    const three = new PrometheusClient(new Scripted(ok('vector', buckets(3))), limits);
    await expect(three.histogram('b')).resolves.toHaveLength(9);
    const four = new PrometheusClient(new Scripted(ok('vector', buckets(4))), limits);
    expect(await codeOf(four.histogram('b'))).toBe('PROMETHEUS_RESULT_TOO_LARGE');
    const asSeries = new PrometheusClient(new Scripted(ok('vector', buckets(3))), limits);
    expect(await codeOf(asSeries.instant('b'))).toBe('PROMETHEUS_RESULT_TOO_LARGE');
  });

  it('refuses an answer over the series cap, and a range over the points cap before sending it', async () => {
    await expect(
      codeOf(new PrometheusClient(new Scripted(ok('vector', vector(4))), limits).instant('up')),
    ).resolves.toBe('PROMETHEUS_RESULT_TOO_LARGE');
    const transport = new Scripted(ok('matrix', []));
    const client = new PrometheusClient(transport, limits);
    const start = new Date(0);
    await expect(codeOf(client.range('up', start, new Date(60_000), 1))).resolves.toBe(
      'PROMETHEUS_RESULT_TOO_LARGE',
    );
    expect(transport.sent).toHaveLength(0);
  });

  it.each([
    [400, { status: 'error', errorType: 'bad_data', error: 'parse error' }, 'PROMETHEUS_BAD_QUERY'],
    [
      422,
      { status: 'error', errorType: 'execution', error: 'too many samples' },
      'PROMETHEUS_BAD_QUERY',
    ],
    [
      503,
      { status: 'error', errorType: 'timeout', error: 'query timed out' },
      'PROMETHEUS_TIMEOUT',
    ],
    [401, { status: 'error' }, 'PROMETHEUS_AUTH_FAILED'],
    [500, { status: 'error', errorType: 'internal', error: 'boom' }, 'PROMETHEUS_ERROR'],
  ])('maps a %i answer to its code', async (status, body, code) => {
    const client = new PrometheusClient(
      new Scripted({ status, body: JSON.stringify(body) }),
      limits,
    );
    await expect(codeOf(client.instant('up'))).resolves.toBe(code);
  });

  it('an answer that is not the query API is PROMETHEUS_ERROR', async () => {
    const client = new PrometheusClient(
      new Scripted({ status: 200, body: '<html>login</html>' }),
      limits,
    );
    await expect(codeOf(client.instant('up'))).resolves.toBe('PROMETHEUS_ERROR');
  });
});
