import type { RangeSeries } from '../telemetry/prometheus-client';
import {
  MAX_CONTAINER_FORECASTS,
  memoryLimitForecasts,
  volumeFillForecasts,
} from './limit-forecasts';

const NOW = Date.UTC(2026, 11, 1);
const MI = 1024 ** 2;
const HOUR = 3_600_000;
const HORIZON = 7 * 24 * HOUR;

const container = (pod: string, c = 'app') => ({ namespace: 'shop', pod, container: c });

function series(metric: Record<string, string>, at: (secondsAgo: number) => number): RangeSeries {
  const points = Array.from({ length: 21 }, (_, i): [number, number] => [
    NOW / 1000 - (20 - i) * 30,
    at((20 - i) * 30),
  ]);
  return { metric, points };
}

const workloadOf = (_ns: string, pod: string) => `Deployment/${pod.split('-')[0]}`;

describe('memoryLimitForecasts', () => {
  // leaky: two pods growing 1 MiB/s toward 100 MiB, the first at 60 MiB (40 s left), the other at 30.
  const input = {
    secondsToLimit: [
      { metric: container('leaky-1'), value: 40 },
      { metric: container('leaky-2'), value: 70 },
    ],
    containerMemory: [
      series(container('leaky-1'), (s) => 60 * MI - s * MI),
      series(container('leaky-2'), (s) => 30 * MI - s * MI),
      series(container('flat-1'), () => 40 * MI),
    ],
    containerLimits: [
      { metric: container('leaky-1'), value: 100 * MI },
      { metric: container('leaky-2'), value: 100 * MI },
      { metric: container('flat-1'), value: 100 * MI },
      // A container with a limit but no working set answered: nothing to show.
      { metric: container('gone-1'), value: 100 * MI },
    ],
    workloadOf,
  };
  const forecasts = memoryLimitForecasts(input, NOW, HORIZON);

  it("states the workload's soonest crossing, its container and the highest working set as basis", () => {
    expect(forecasts[0]).toMatchObject({
      code: 'FORECAST_MEMORY_LIMIT',
      scope: 'workload',
      namespace: 'shop',
      name: 'Deployment/leaky',
      container: 'app',
      threshold: 100 * MI,
      current: 60 * MI,
      crossesAt: NOW + 40_000,
      withinHorizon: true,
      method: 'linear',
      points: 21,
      confidence: 1,
    });
    expect(forecasts[0].slopePerHour! / MI).toBeCloseTo(3600, 0);
  });

  it('gives a flat container no crossing, and skips a container without series', () => {
    expect(forecasts.map((f) => f.name)).toEqual(['Deployment/leaky', 'Deployment/flat']);
    expect(forecasts[1]).toMatchObject({ crossesAt: null, reason: 'not growing', confidence: 0 });
  });

  it(`lists at most ${MAX_CONTAINER_FORECASTS} containers, the nearest their limit first`, () => {
    const many = Array.from({ length: MAX_CONTAINER_FORECASTS + 5 }, (_, i) => `w${i}-1`);
    const big = memoryLimitForecasts(
      {
        secondsToLimit: [],
        containerMemory: many.map((p, i) => series(container(p), () => i * MI)),
        containerLimits: many.map((p) => ({ metric: container(p), value: 1000 * MI })),
        workloadOf,
      },
      NOW,
      HORIZON,
    );
    expect(big).toHaveLength(MAX_CONTAINER_FORECASTS);
    expect(big[0].current).toBe((MAX_CONTAINER_FORECASTS + 4) * MI);
  });
});

describe('volumeFillForecasts', () => {
  const volume = (msLeft: number, usedBytes = 5 * MI) => ({
    namespace: 'shop',
    name: 'data',
    usedBytes,
    capacityBytes: 10 * MI,
    lineBytes: 9 * MI,
    slopeBytesPerSecond: 1024,
    msLeft,
  });
  const used = [
    series({ namespace: 'shop', persistentvolumeclaim: 'data' }, (s) => 5 * MI - s * 1024),
  ];

  it("states behaviour's crossing with the used bytes as basis", () => {
    const [f] = volumeFillForecasts([volume(4096_000)], used, NOW, HORIZON);
    expect(f).toMatchObject({
      code: 'FORECAST_PVC_FULL',
      scope: 'pvc',
      namespace: 'shop',
      name: 'data',
      threshold: 9 * MI,
      current: 5 * MI,
      crossesAt: NOW + 4096_000,
      withinHorizon: true,
      points: 21,
    });
    expect(f.slopePerHour).toBeCloseTo(1024 * 3600, 0);
  });

  it('says a volume not filling, or past its line, has no crossing ahead', () => {
    const [flat] = volumeFillForecasts([volume(Infinity)], used, NOW, HORIZON);
    expect(flat).toMatchObject({ crossesAt: null, reason: 'not filling', withinHorizon: false });
    const [past] = volumeFillForecasts([volume(0, 9.5 * MI)], used, NOW, HORIZON);
    expect(past).toMatchObject({
      reason: 'already at or above the threshold',
      withinHorizon: false,
    });
  });
});
