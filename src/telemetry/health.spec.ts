import type { GoldenSignals } from './golden-signals';
import { DEFAULT_TOLERANCES, healthOf, tolerancesFor } from './health';

const signals = (over: Partial<GoldenSignals>): GoldenSignals => ({
  requestsPerSecond: 10,
  errorRatio5xx: 0,
  errorRatio4xx: 0,
  grpcErrorRatio: 0,
  responseCodes: {},
  grpcCodes: {},
  protocols: ['http'],
  latencyMs: { p50: null, p95: null, p99: null },
  ...over,
});

const status = (s: Partial<GoldenSignals>) =>
  healthOf({ inbound: signals(s) }, DEFAULT_TOLERANCES).status;

describe('health with Kiali default tolerances', () => {
  it('5xx: healthy at 0 %, degraded from 0.1 %, failure only above 10 %', () => {
    expect(status({ errorRatio5xx: 0 })).toBe('healthy');
    expect(status({ errorRatio5xx: 0.0009 })).toBe('healthy');
    expect(status({ errorRatio5xx: 0.001 })).toBe('degraded');
    expect(status({ errorRatio5xx: 0.08 })).toBe('degraded');
    expect(status({ errorRatio5xx: 0.1 })).toBe('degraded');
    expect(status({ errorRatio5xx: 0.1001 })).toBe('failure');
  });

  it('4xx: degraded from 10 %, failure above 20 %', () => {
    expect(status({ errorRatio4xx: 0.099 })).toBe('healthy');
    expect(status({ errorRatio4xx: 0.1 })).toBe('degraded');
    expect(status({ errorRatio4xx: 0.2 })).toBe('degraded');
    expect(status({ errorRatio4xx: 0.21 })).toBe('failure');
  });

  it('gRPC non-OK counts as application errors', () => {
    expect(status({ grpcErrorRatio: 0.05, protocols: ['grpc'] })).toBe('degraded');
    expect(status({ grpcErrorRatio: 0.5, protocols: ['grpc'] })).toBe('failure');
  });

  it('no requests in the window is noTraffic, not healthy', () => {
    expect(status({ requestsPerSecond: 0 })).toBe('noTraffic');
    expect(healthOf({}, DEFAULT_TOLERANCES).status).toBe('noTraffic');
  });

  it('names every unhealthy ratio, worst first, with the direction', () => {
    const health = healthOf(
      { inbound: signals({ errorRatio4xx: 0.15 }), outbound: signals({ errorRatio5xx: 0.3 }) },
      DEFAULT_TOLERANCES,
    );
    expect(health.status).toBe('failure');
    expect(health.reasons.map((r) => [r.code, r.direction, r.status, r.percent])).toEqual([
      ['5xx', 'outbound', 'failure', 30],
      ['4xx', 'inbound', 'degraded', 15],
    ]);
  });
});

describe('tolerance overrides', () => {
  const overrides = [
    {
      namespace: 'shop',
      kind: 'service',
      name: 'pay.*',
      tolerances: [{ code: '5xx' as const, degraded: 5, failure: 50 }],
    },
    {
      namespace: '.*',
      kind: '.*',
      name: '.*',
      tolerances: [{ code: '4xx' as const, degraded: 1, failure: 2 }],
    },
  ];

  it('the first override whose namespace, kind and name all match wins', () => {
    const payments = tolerancesFor(
      { namespace: 'shop', kind: 'service', name: 'payments' },
      overrides,
    );
    expect(payments).toEqual(overrides[0].tolerances);
    expect(healthOf({ inbound: signals({ errorRatio5xx: 0.08 }) }, payments).status).toBe(
      'degraded',
    );
    expect(healthOf({ inbound: signals({ errorRatio5xx: 0.04 }) }, payments).status).toBe(
      'healthy',
    );
  });

  it('patterns match whole values, and no match falls back to the defaults', () => {
    const workload = tolerancesFor(
      { namespace: 'shop', kind: 'workload', name: 'payments' },
      overrides,
    );
    expect(workload).toEqual(overrides[1].tolerances);
    expect(
      tolerancesFor({ namespace: 'shop2', kind: 'service', name: 'payments' }, [overrides[0]]),
    ).toBe(DEFAULT_TOLERANCES);
  });
});
