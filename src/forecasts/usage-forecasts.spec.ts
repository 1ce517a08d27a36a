import type { RangeSeries } from '../telemetry/prometheus-client';
import { usageRange } from './usage-forecast.source';
import { sumSeries, usageForecasts } from './usage-forecasts';

const NOW = Date.UTC(2026, 11, 1);
const GI = 1024 ** 3;
const HOUR = 3_600_000;
const window = { now: NOW, horizonMs: 30 * 24 * HOUR };

/** A pod's series over the hour before NOW, one point a minute, value `at(minutesAgo)`. */
function pod(ns: string, name: string, at: (minutesAgo: number) => number): RangeSeries {
  const points = Array.from({ length: 61 }, (_, i): [number, number] => [
    (NOW - (60 - i) * 60_000) / 1000,
    at(60 - i),
  ]);
  return { metric: { namespace: ns, pod: name }, points };
}

const placement = {
  nodes: [
    { name: 'n1', allocatableCpu: 4, allocatableMemory: 16 * GI },
    { name: 'n2', allocatableCpu: 4, allocatableMemory: 16 * GI },
  ],
  nodeOf: (_ns: string, p: string) => ({ a: 'n1', b: 'n1', c: 'n2' })[p],
};

describe('sumSeries', () => {
  it('adds the series of one key step by step, and maxes them when told', () => {
    const a = {
      metric: { k: 'x' },
      points: [
        [1, 1],
        [2, 2],
      ] as Array<[number, number]>,
    };
    const b = {
      metric: { k: 'x' },
      points: [
        [2, 5],
        [3, NaN],
      ] as Array<[number, number]>,
    };
    expect(sumSeries([a, b], (m) => m.k).get('x')).toEqual([
      { t: 1000, v: 1 },
      { t: 2000, v: 7 },
    ]);
    expect(sumSeries([a, b], (m) => m.k, Math.max).get('x')![1]).toEqual({ t: 2000, v: 5 });
  });
});

describe('usageForecasts', () => {
  // n1: two pods, one growing 1 GiB an hour from 4 GiB; n2 flat at 2 GiB.
  const memory = [
    pod('shop', 'a', (m) => 4 * GI - (m / 60) * GI),
    pod('shop', 'b', () => 2 * GI),
    pod('shop', 'c', () => 2 * GI),
  ];
  const cpu = [pod('shop', 'a', () => 0.5), pod('shop', 'c', () => 0.25)];
  const forecasts = usageForecasts({ podCpu: cpu, podMemory: memory }, placement, window);
  const find = (code: string, name: string | null) =>
    forecasts.find((f) => f.code === code && f.name === name)!;

  it('forecasts a node whose pods grow reaching its allocatable memory at the configured rate', () => {
    const n1 = find('FORECAST_MEMORY_USAGE_SATURATION', 'n1');
    expect(n1).toMatchObject({ scope: 'node', threshold: 16 * GI, method: 'linear' });
    // 6 GiB now, growing 1 GiB an hour: 10 hours to 16 GiB.
    expect(Math.abs(n1.crossesAt! - (NOW + 10 * HOUR))).toBeLessThan(60_000);
    expect(n1.slopePerHour! / GI).toBeCloseTo(1, 5);
  });

  it('sums every pod for the cluster, against the allocatable of every node', () => {
    const cluster = find('FORECAST_MEMORY_USAGE_SATURATION', null);
    expect(cluster).toMatchObject({ scope: 'cluster', threshold: 32 * GI });
    // 8 GiB now, 1 GiB an hour: 24 hours to 32 GiB.
    expect(Math.abs(cluster.crossesAt! - (NOW + 24 * HOUR))).toBeLessThan(60_000);
  });

  it('gives a flat node and flat CPU no crossing', () => {
    expect(find('FORECAST_MEMORY_USAGE_SATURATION', 'n2')).toMatchObject({
      crossesAt: null,
      reason: 'flat',
    });
    expect(find('FORECAST_CPU_USAGE_SATURATION', 'n1')).toMatchObject({
      crossesAt: null,
      threshold: 4,
      reason: 'flat',
    });
  });
});

describe('usageRange', () => {
  it('takes 240 steps of the window, ending on a step boundary before now', () => {
    const r = usageRange(NOW + 7_000, 24 * HOUR, 100, 200_000);
    expect(r.stepSeconds).toBe(360);
    expect(r.end.getTime() % (360 * 1000)).toBe(0);
    expect(r.end.getTime()).toBeLessThanOrEqual(NOW + 7_000);
    expect(r.end.getTime() - r.start.getTime()).toBe(24 * HOUR);
  });

  it('takes longer steps when the pods would pass half of the points budget', () => {
    // 5,000 pods × steps ≤ 100,000 points: 20 steps of 72 minutes.
    expect(usageRange(NOW, 24 * HOUR, 5000, 200_000).stepSeconds).toBe(4320);
  });
});
