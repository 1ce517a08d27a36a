import type { Sample } from './samples';
import { poolSaturationForecasts, saturationForecasts } from './saturation-forecasts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 1);

/** Hourly samples: requests grow 1 core and 1 GiB an hour, pods 10 an hour, on 16 cores / 64 GiB. */
function samples(n: number): Sample[] {
  return Array.from({ length: n }, (_, i) => ({
    at: new Date(T0 + i * HOUR).toISOString(),
    values: {
      requestsCpu: 4 + i,
      requestsMemory: (8 + i) * 2 ** 30,
      allocatableCpu: 16,
      allocatableMemory: 64 * 2 ** 30,
      podsRunning: 100 + 10 * i,
      podsPending: 0,
    },
  }));
}

describe('saturationForecasts', () => {
  const now = T0 + 5 * HOUR;

  it('forecasts each capacity from its own metric and threshold', () => {
    const [cpu, memory, pods] = saturationForecasts(samples(6), 220, now, 30 * 24 * HOUR);
    expect([cpu.code, cpu.threshold, new Date(cpu.crossesAt!).toISOString()]).toEqual([
      'FORECAST_CPU_REQUESTS_SATURATION',
      16,
      new Date(T0 + 12 * HOUR).toISOString(),
    ]);
    expect(memory.crossesAt).toBeCloseTo(T0 + 56 * HOUR, -3);
    expect([pods.code, pods.threshold]).toEqual(['FORECAST_POD_CAPACITY', 220]);
    expect(pods.crossesAt).toBeCloseTo(T0 + 12 * HOUR, -3);
    expect(cpu.basis).toHaveLength(6);
  });

  it('makes no pod forecast without a known pod capacity, and skips missing values', () => {
    const s = samples(6);
    s[2].values.requestsCpu = null;
    const [cpu, , pods] = saturationForecasts(s, 0, now, 30 * 24 * HOUR);
    expect(cpu.basis).toHaveLength(5);
    expect([pods.threshold, pods.crossesAt, pods.reason]).toEqual([null, null, 'capacity unknown']);
  });
});

describe('poolSaturationForecasts', () => {
  it("forecasts each pool's CPU, memory and pods against the pool's own allocatable", () => {
    // A pool of 8 cores and 40 pods: requests grow half a core and 2 pods an hour.
    const pool = Array.from({ length: 6 }, (_, i) => ({
      at: new Date(T0 + i * HOUR).toISOString(),
      values: {
        requestsCpu: 2 + i / 2,
        requestsMemory: 2 ** 30,
        allocatableCpu: 8,
        allocatableMemory: 32 * 2 ** 30,
        allocatablePods: 40,
        pods: 10 + 2 * i,
      },
    }));
    const forecasts = poolSaturationForecasts(
      new Map([['spot', pool]]),
      T0 + 5 * HOUR,
      30 * 24 * HOUR,
    );
    expect(forecasts.map((f) => [f.code, f.scope, f.name, f.threshold])).toEqual([
      ['FORECAST_CPU_REQUESTS_SATURATION', 'nodePool', 'spot', 8],
      ['FORECAST_MEMORY_REQUESTS_SATURATION', 'nodePool', 'spot', 32 * 2 ** 30],
      ['FORECAST_POD_CAPACITY', 'nodePool', 'spot', 40],
    ]);
    // 2 + t/2 = 8 at t = 12 h; 10 + 2t = 40 at t = 15 h; memory is flat.
    expect(forecasts[0].crossesAt).toBeCloseTo(T0 + 12 * HOUR, -3);
    expect(forecasts[1].reason).toBe('flat');
    expect(forecasts[2].crossesAt).toBeCloseTo(T0 + 15 * HOUR, -3);
  });
});
