import {
  parseCalls,
  parseQuantity,
  parseRate,
  simSpec,
} from '../../scripts/cluster/telemetry-sim/annotations.mjs';
import {
  ISTIO_BUCKETS,
  bucketFractions,
  meanOf,
  quantileOf,
} from '../../scripts/cluster/telemetry-sim/histogram.mjs';
import { desiredSeries } from '../../scripts/cluster/telemetry-sim/model.mjs';
import { SeriesStore } from '../../scripts/cluster/telemetry-sim/series.mjs';

const MI = 2 ** 20;

describe('the simulator annotations', () => {
  it('reads Kubernetes quantities and growth rates', () => {
    expect(parseQuantity('200Mi')).toBe(200 * MI);
    expect(parseQuantity('250m')).toBeCloseTo(0.25);
    expect(parseQuantity('1.5G')).toBe(1.5e9);
    expect(parseQuantity('lots')).toBeNaN();
    expect(parseRate('1Mi/s')).toBe(MI);
    expect(parseRate('60Mi/m')).toBe(MI);
    expect(parseRate('1Mi')).toBeNaN();
  });

  it('reads calls, defaulting the namespace to the caller’s', () => {
    expect(parseCalls('payments.shop=20, inventory=5', 'web')).toEqual([
      { service: 'payments', namespace: 'shop', rps: 20 },
      { service: 'inventory', namespace: 'web', rps: 5 },
    ]);
    expect(() => parseCalls('a.b.c=1', 'web')).toThrow(/SERVICE\[.NAMESPACE\]=RATE/);
    expect(() => parseCalls('a=fast', 'web')).toThrow();
  });

  it('keeps defaults and reports each malformed value', () => {
    const spec = simSpec(
      {
        'sim.cloudpilot.dev/error-ratio': '1.5',
        'sim.cloudpilot.dev/latency-ms': 'p50=30,p95=20',
        'sim.cloudpilot.dev/protocol': 'grpc',
        'sim.cloudpilot.dev/memory': '64Mi',
      },
      'shop',
    );
    expect(spec).toMatchObject({
      errorRatio: 0,
      latencyMs: { p50: 10, p95: 40, p99: 80 },
      protocol: 'grpc',
      memory: 64 * MI,
      mtls: true,
      cpu: 0.01,
    });
    expect(spec.problems).toHaveLength(2);
    expect(spec.problems.join()).toMatch(/error-ratio.*latency-ms/);
  });
});

describe('the duration histogram', () => {
  it.each([
    { p50: 10, p95: 40, p99: 80 },
    { p50: 20, p95: 80, p99: 150 },
    { p50: 50, p95: 100, p99: 250 },
    { p50: 2, p95: 700, p99: 100_000 },
    { p50: 1, p95: 5, p99: 10 },
  ])('has histogram_quantile return the configured quantiles %o', (latency) => {
    const fractions = bucketFractions(latency);
    expect(fractions).toHaveLength(ISTIO_BUCKETS.length);
    fractions.forEach((f, i) => expect(f).toBeGreaterThanOrEqual(i ? fractions[i - 1] : 0));
    expect(fractions.at(-1)).toBe(1);
    expect(quantileOf(fractions, 0.5)).toBeCloseTo(latency.p50, 6);
    expect(quantileOf(fractions, 0.95)).toBeCloseTo(latency.p95, 6);
    expect(quantileOf(fractions, 0.99)).toBeCloseTo(latency.p99, 6);
    expect(meanOf(fractions)).toBeGreaterThan(0);
  });

  it('keeps the lower quantile exact when two share a bucket', () => {
    const fractions = bucketFractions({ p50: 10, p95: 60, p99: 90 });
    expect(quantileOf(fractions, 0.5)).toBeCloseTo(10, 6);
    expect(quantileOf(fractions, 0.95)).toBeCloseTo(60, 6);
    expect(quantileOf(fractions, 0.99)).not.toBeCloseTo(90, 0);
  });
});

describe('the series store', () => {
  const counter = (rate: number, owner = 'ns/p') => ({
    family: 'istio_requests_total',
    labels: { reporter: 'destination', pod: 'p' },
    owner,
    rate,
  });
  const value = (text: string) => Number(text.trim().split('\n').at(-1)!.split(' ').at(-1));

  it('integrates a counter across rate changes and keeps it at rate 0 while its pod lives', () => {
    const store = new SeriesStore();
    store.update([counter(10)], new Set(['ns/p']), 100);
    expect(value(store.render(102))).toBeCloseTo(20);
    store.update([counter(4)], new Set(['ns/p']), 102);
    expect(value(store.render(107))).toBeCloseTo(40);
    store.update([], new Set(['ns/p']), 107);
    expect(value(store.render(200))).toBeCloseTo(40);
    store.update([], new Set(), 200);
    expect(store.render(201)).toBe('');
  });

  it('serves cumulative buckets, sum and count of a histogram', () => {
    const store = new SeriesStore();
    const fractions = bucketFractions({ p50: 20, p95: 80, p99: 150 });
    store.update(
      [
        {
          family: 'istio_request_duration_milliseconds',
          labels: { reporter: 'source' },
          owner: 'ns/p',
          histogram: { rate: 10, fractions, mean: meanOf(fractions) },
        },
      ],
      new Set(['ns/p']),
      0,
    );
    const lines = store.render(10).split('\n');
    const get = (prefix: string) => Number(lines.find((l) => l.startsWith(prefix))!.split(' ')[1]);
    expect(get('istio_request_duration_milliseconds_count')).toBeCloseTo(100);
    expect(
      get('istio_request_duration_milliseconds_bucket{reporter="source",le="+Inf"}'),
    ).toBeCloseTo(100);
    expect(
      get('istio_request_duration_milliseconds_bucket{reporter="source",le="25"}'),
    ).toBeCloseTo(100 * fractions[ISTIO_BUCKETS.indexOf(25)]);
    expect(get('istio_request_duration_milliseconds_sum')).toBeCloseTo(100 * meanOf(fractions));
  });

  it('moves a gauge linearly and clamps it', () => {
    const store = new SeriesStore();
    store.update(
      [
        {
          family: 'kubelet_volume_stats_used_bytes',
          labels: { persistentvolumeclaim: 'data' },
          owner: 'ns/p',
          gauge: { base: 100, slope: 10, t0: 0, min: 0, max: 150 },
        },
      ],
      new Set(['ns/p']),
      0,
    );
    expect(value(store.render(2))).toBe(120);
    expect(value(store.render(60))).toBe(150);
  });
});

describe('the traffic model', () => {
  const kwok = new Map([['/n', { name: 'n', kwok: true }]]);
  const pod = (
    name: string,
    labels: Record<string, string>,
    annotations = {},
    ready = true,
  ): [string, object] => [
    `shop/${name}`,
    {
      namespace: 'shop',
      name,
      uid: name,
      labels,
      annotations,
      owner: null,
      node: 'n',
      serviceAccount: 'default',
      running: true,
      ready,
      startedAt: 0,
      containers: [{ name: 'app', image: 'img', cpuLimit: 0, memoryLimit: 0 }],
      claims: [],
    },
  ];
  const view = (pods: [string, object][]) => ({
    nodes: kwok,
    pods: new Map(pods),
    replicasets: new Map(),
    deployments: new Map(),
    statefulsets: new Map(),
    daemonsets: new Map(),
    jobs: new Map(),
    pvcs: new Map(),
    services: new Map([
      ['shop/payments', { namespace: 'shop', name: 'payments', selector: { app: 'payments' } }],
    ]),
  });
  const requests = (series: ReturnType<typeof desiredSeries>['series'], reporter: string) =>
    series.filter(
      (s) => s.family === 'istio_requests_total' && s.text?.startsWith(`reporter="${reporter}"`),
    );
  const sum = (series: { rate?: number }[]) => series.reduce((n, s) => n + (s.rate ?? 0), 0);

  it('spreads a call over the ready pods behind the Service, reported on both sides', () => {
    const calls = { 'sim.cloudpilot.dev/calls': 'payments=12' };
    const { series } = desiredSeries(
      view([
        pod('checkout', { app: 'checkout' }, calls),
        pod('payments-a', { app: 'payments', version: 'v1' }),
        pod('payments-b', { app: 'payments', version: 'v2' }),
        pod('payments-c', { app: 'payments', version: 'v2' }, {}, false),
      ]),
      { now: 0, since: () => 0 },
    );
    const dst = requests(series, 'destination');
    expect(sum(dst)).toBeCloseTo(12);
    expect(dst.map((s) => s.owner).sort()).toEqual(['shop/payments-a', 'shop/payments-b']);
    expect(sum(requests(series, 'source'))).toBeCloseTo(12);
    expect(dst.every((s) => s.text!.includes('connection_security_policy="mutual_tls"'))).toBe(
      true,
    );
  });

  it('has the caller see 503 UH when no pod behind the Service is ready', () => {
    const calls = { 'sim.cloudpilot.dev/calls': 'payments=3' };
    const { series } = desiredSeries(
      view([
        pod('checkout', { app: 'checkout' }, calls),
        pod('payments-a', { app: 'payments' }, {}, false),
      ]),
      { now: 0, since: () => 0 },
    );
    expect(requests(series, 'destination')).toEqual([]);
    const src = requests(series, 'source');
    expect(src).toHaveLength(1);
    expect(src[0].rate).toBe(3);
    expect(src[0].text).toMatch(
      /destination_workload="unknown".*response_code="503",response_flags="UH"/,
    );
  });
});
