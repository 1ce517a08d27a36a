import { hpaForecasts } from './hpa-forecasts';
import type { Sample } from './samples';
import { hpaValues } from '../history/hpa-rows';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 1);
const DAY30 = 30 * 24 * HOUR;

const hourly = (values: Array<Record<string, number | null>>): Sample[] =>
  values.map((v, i) => ({ at: new Date(T0 + i * HOUR).toISOString(), values: v }));

describe('hpaForecasts', () => {
  it('forecasts desired replicas reaching maxReplicas', () => {
    // Desired 2, 3, 4, 5, 6 an hour apart, max 10: reaches 10 at hour 8.
    const samples = hourly([2, 3, 4, 5, 6].map((d) => ({ desiredReplicas: d, maxReplicas: 10 })));
    const [f] = hpaForecasts(new Map([['shop/api', samples]]), T0 + 4 * HOUR, DAY30);
    expect(f).toMatchObject({
      code: 'FORECAST_HPA_MAX_REPLICAS',
      scope: 'hpa',
      namespace: 'shop',
      name: 'HorizontalPodAutoscaler/api',
      threshold: 10,
      method: 'linear',
    });
    expect(f.crossesAt).toBeCloseTo(T0 + 8 * HOUR, -3);
  });

  it('says an HPA at its maximum is already there, and a steady one is flat', () => {
    const at = hourly([10, 10, 10, 10].map((d) => ({ desiredReplicas: d, maxReplicas: 10 })));
    const steady = hourly([3, 3, 3, 3].map((d) => ({ desiredReplicas: d, maxReplicas: 10 })));
    const [a, s] = hpaForecasts(
      new Map([
        ['shop/at', at],
        ['shop/steady', steady],
      ]),
      T0 + 3 * HOUR,
      DAY30,
    );
    expect([a.reason, s.reason]).toEqual(['already at or above the threshold', 'flat']);
  });
});

describe('hpaValues', () => {
  const hpa = (name: string, desired: number, max: number) => ({
    name,
    namespace: 'shop',
    target: { kind: 'Deployment', name, apiVersion: 'apps/v1' },
    minReplicas: 1,
    maxReplicas: max,
    currentReplicas: desired,
    desiredReplicas: desired,
  });

  it('keeps the HPAs nearest their maximum when there are more than the bound', () => {
    const rows = hpaValues([hpa('low', 1, 10), hpa('near', 9, 10), hpa('mid', 5, 10)], 2);
    expect(rows.map((r) => r.name)).toEqual(['shop/near', 'shop/mid']);
    expect(rows[0].values).toEqual({
      currentReplicas: 9,
      desiredReplicas: 9,
      minReplicas: 1,
      maxReplicas: 10,
    });
  });
});
