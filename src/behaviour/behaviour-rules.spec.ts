import type { Sample } from '../telemetry/prometheus-client';
import { DEFAULT_TOLERANCES } from '../telemetry/health';
import {
  errorRateHits,
  latencyHits,
  LatencyInput,
  ratesByWorkload,
  trafficHits,
  TrafficInput,
} from './behaviour-rules';
import { containerHits, memoryForecastHits, volumeHits, VolumeInput } from './resource-rules';

const wl = (name: string, extra: Record<string, string> = {}) => ({
  destination_workload_namespace: 'shop',
  destination_workload: name,
  ...extra,
});
const s = (metric: Record<string, string>, value: number): Sample => ({ metric, value });

describe('errorRateHits', () => {
  const judge = (samples: Sample[]) => errorRateHits(samples, () => DEFAULT_TOLERANCES, 'q', 300);

  it('reports 8 % of 5xx as degraded (a warning) with the ratio and the tolerance', () => {
    const [hit] = judge([
      s(wl('pay', { response_code: '200' }), 9.2),
      s(wl('pay', { response_code: '503' }), 0.8),
    ]);
    expect(hit).toMatchObject({
      code: 'BEHAVIOUR_ERROR_RATE',
      severity: 'warning',
      target: { type: 'workload', namespace: 'shop', name: 'pay' },
      fields: { errorPercent: 8, errorClass: '5xx', tolerance: { degraded: 0.1, failure: 10 } },
    });
  });

  it('is critical above the failure tolerance and silent for 4xx within theirs', () => {
    expect(
      judge([s(wl('a', { response_code: '200' }), 8), s(wl('a', { response_code: '500' }), 2)]),
    ).toMatchObject([{ severity: 'critical' }]);
    expect(
      judge([s(wl('b', { response_code: '200' }), 9.5), s(wl('b', { response_code: '404' }), 0.5)]),
    ).toEqual([]);
  });
});

describe('latencyHits', () => {
  const input = (p95: number, baseline: number, rps = 10, baseRps = 10): LatencyInput => ({
    p95: [s(wl('api'), p95)],
    baselineP95: [s(wl('api'), baseline)],
    rates: new Map([['shop/api', rps]]),
    baselineRates: new Map([['shop/api', baseRps]]),
    queries: { p95: 'now', baselineP95: 'before' },
    windowSeconds: 300,
    baselineOffsetSeconds: 86_400,
  });

  it('reports a p95 at least twice and 50 ms above its baseline with enough requests', () => {
    expect(latencyHits(input(160, 40))).toMatchObject([
      { code: 'BEHAVIOUR_LATENCY_REGRESSION', fields: { p95Ms: 160, baselineP95Ms: 40, ratio: 4 } },
    ]);
  });

  it('is silent for a large ratio of tiny numbers, a small ratio of large ones, or few requests', () => {
    expect(latencyHits(input(6, 2))).toEqual([]);
    expect(latencyHits(input(1500, 1000))).toEqual([]);
    expect(latencyHits(input(400, 40, 0.2))).toEqual([]);
    expect(latencyHits(input(400, 40, 10, 0.2))).toEqual([]);
    expect(latencyHits({ ...input(400, 40), baselineP95: [s(wl('api'), NaN)] })).toEqual([]);
  });
});

describe('trafficHits', () => {
  const input = (rate: number | undefined, baseline: number, ready = true): TrafficInput => ({
    rates: new Map(rate === undefined ? [] : [['shop/api', rate]]),
    baselineRates: new Map([['shop/api', baseline]]),
    hasReadyPods: () => ready,
    queries: { requests: 'now', baselineRequests: 'before' },
    windowSeconds: 300,
    baselineOffsetSeconds: 3600,
  });

  it('reports traffic gone (no series at all) or down by 90 % while pods are ready', () => {
    expect(trafficHits(input(undefined, 20))).toMatchObject([
      {
        code: 'BEHAVIOUR_TRAFFIC_DROP',
        fields: { requestsPerSecond: 0, baselineRequestsPerSecond: 20 },
      },
    ]);
    expect(trafficHits(input(1.5, 20))).toHaveLength(1);
  });

  it('is silent for a halving, for pods not ready (other findings), and for no baseline traffic', () => {
    expect(trafficHits(input(10, 20))).toEqual([]);
    expect(trafficHits(input(0, 20, false))).toEqual([]);
    expect(trafficHits(input(0, 0.1))).toEqual([]);
  });

  it('reads rates per workload from the outcome-grouped and the summed answers alike', () => {
    const rates = ratesByWorkload([
      s(wl('api', { response_code: '200' }), 3),
      s(wl('api', { response_code: '503' }), 1),
      s(wl('web'), 2),
    ]);
    expect([...rates]).toEqual([
      ['shop/api', 4],
      ['shop/web', 2],
    ]);
  });
});

describe('containerHits', () => {
  it('names the container and its share for each sample past the line', () => {
    const hits = containerHits(
      [s({ namespace: 'shop', pod: 'api-1', container: 'app' }, 0.953)],
      'memory',
      'q',
      300,
    );
    expect(hits).toMatchObject([
      {
        code: 'BEHAVIOUR_MEMORY_NEAR_LIMIT',
        target: { type: 'container', pod: 'api-1', container: 'app' },
        fields: { percent: 95.3, linePercent: 90 },
      },
    ]);
  });
});

describe('volumeHits', () => {
  const GI = 1024 ** 3;
  const pvc = { namespace: 'db', persistentvolumeclaim: 'data' };
  const now = Date.parse('2026-12-07T00:00:00Z');
  const input = (used: number, slope?: number): VolumeInput => ({
    slope: slope === undefined ? [] : [s(pvc, slope)],
    used: [s(pvc, used)],
    capacity: [s(pvc, 10 * GI)],
    queries: { volumeSlope: 'd', volumeUsed: 'u', volumeCapacity: 'c' },
    now,
    linePercent: 90,
    horizonMs: 7 * 86_400_000,
    volumeWindowSeconds: 21_600,
  });

  it('forecasts the crossing of the line from the slope', () => {
    // 4 GiB to the 9 GiB line at 1 GiB/h: four hours, critical (under a day).
    const [hit] = volumeHits(input(5 * GI, GI / 3600));
    expect(hit).toMatchObject({
      code: 'FORECAST_PVC_FULL',
      severity: 'critical',
      target: { type: 'pvc', namespace: 'db', name: 'data' },
      fields: { crossesAt: new Date(now + 4 * 3_600_000).toISOString(), usedPercent: 50 },
    });
  });

  it('is silent for a volume months from its line or not filling, critical when past it', () => {
    expect(volumeHits(input(GI, 1024))).toEqual([]);
    expect(volumeHits(input(5 * GI))).toEqual([]);
    expect(volumeHits(input(9.5 * GI))).toMatchObject([{ severity: 'critical' }]);
  });
});

describe('memoryForecastHits', () => {
  const c = { namespace: 'shop', pod: 'api-1', container: 'app' };
  const now = Date.parse('2026-12-07T00:00:00Z');

  it('states the crossing of the limit within the horizon, by the time left', () => {
    expect(memoryForecastHits([s(c, 7200)], 'q', now, 7 * 86_400_000)).toMatchObject([
      {
        code: 'FORECAST_MEMORY_LIMIT',
        severity: 'critical',
        fields: { secondsLeft: 7200, crossesAt: new Date(now + 7_200_000).toISOString() },
      },
    ]);
  });

  it('is silent beyond the horizon and at or past the limit', () => {
    expect(memoryForecastHits([s(c, 90 * 86_400)], 'q', now, 7 * 86_400_000)).toEqual([]);
    expect(memoryForecastHits([s(c, 0), s(c, -5), s(c, NaN)], 'q', now, 7 * 86_400_000)).toEqual(
      [],
    );
  });
});
