import type { Forecast } from './forecast';
import { forecastFindings, severityByTimeLeft } from './forecast-findings';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 1);
const cluster = { id: 'c1', name: 'prod' };
const options = { now: NOW, horizonMs: 7 * 24 * HOUR, minConfidence: 0.5 };

const forecast = (over: Partial<Forecast> = {}): Forecast => ({
  code: 'FORECAST_CPU_REQUESTS_SATURATION',
  meaning: 'CPU requests reach allocatable CPU: new pods stop scheduling',
  metric: 'requestsCpu',
  scope: 'cluster',
  namespace: null,
  name: null,
  threshold: 16,
  basis: Array.from({ length: 30 }, (_, i) => ({ t: NOW - (30 - i) * HOUR, v: i / 4 })),
  method: 'linear',
  crossesAt: NOW + 36 * HOUR,
  withinHorizon: true,
  confidence: 0.9,
  current: 7.5,
  slopePerHour: 0.25,
  points: 30,
  ...over,
});

describe('severityByTimeLeft', () => {
  it('is critical under a day, warning under three days, info after', () => {
    expect([23, 25, 71, 73].map((h) => severityByTimeLeft(h * HOUR))).toEqual([
      'critical',
      'warning',
      'warning',
      'info',
    ]);
  });
});

describe('forecastFindings', () => {
  it('makes a finding of a crossing within the horizon, with the basis as evidence', () => {
    const [f] = forecastFindings(cluster, [forecast()], options);
    expect(f).toMatchObject({
      clusterId: 'c1',
      code: 'FORECAST_CPU_REQUESTS_SATURATION',
      severity: 'warning',
      source: 'forecast',
      object: { kind: 'Cluster', name: 'prod', namespace: '' },
      count: 1,
    });
    expect(f.message).toContain('expected in 1.5 days');
    expect(f.evidence.fields).toMatchObject({
      threshold: 16,
      crossesAt: new Date(NOW + 36 * HOUR).toISOString(),
      confidence: 0.9,
      pointsUsed: 30,
    });
    const points = f.evidence.fields.points as Array<{ at: string; value: number }>;
    expect(points.length).toBeLessThanOrEqual(12);
    expect(points[points.length - 1]).toEqual({
      at: new Date(NOW - HOUR).toISOString(),
      value: 7.25,
    });
  });

  it('names the workload of a restart forecast, with its API group', () => {
    const [f] = forecastFindings(
      cluster,
      [
        forecast({
          code: 'FORECAST_RESTART_RATE',
          scope: 'workload',
          namespace: 'shop',
          name: 'Deployment/api',
        }),
      ],
      options,
    );
    expect(f.object).toEqual({ group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'api' });
  });

  it('leaves out crossings beyond the horizon, already past, none, or not confident enough', () => {
    const out = forecastFindings(
      cluster,
      [
        forecast({ crossesAt: NOW + 8 * 24 * HOUR }),
        forecast({ crossesAt: NOW - HOUR, reason: 'already at or above the threshold' }),
        forecast({ crossesAt: null, reason: 'flat' }),
        forecast({ confidence: 0.4 }),
      ],
      options,
    );
    expect(out).toEqual([]);
  });
});

describe('forecastFindings of certificates', () => {
  const certificate = (over: Partial<Forecast>): Forecast =>
    forecast({
      code: 'FORECAST_CERTIFICATE_EXPIRY',
      meaning: 'The TLS certificate expires: clients stop trusting the endpoints that serve it',
      metric: 'certificateDaysLeft',
      scope: 'certificate',
      namespace: 'shop',
      name: 'Secret/shop-tls',
      threshold: 0,
      method: 'certificate-dates',
      confidence: 1,
      ...over,
    });

  it('names the Secret or the cert-manager Certificate as the object', () => {
    const findings = forecastFindings(
      cluster,
      [certificate({}), certificate({ name: 'Certificate/shop' })],
      options,
    );
    expect(findings.map((f) => f.object)).toEqual([
      { group: '', kind: 'Secret', namespace: 'shop', name: 'shop-tls' },
      { group: 'cert-manager.io', kind: 'Certificate', namespace: 'shop', name: 'shop' },
    ]);
  });

  it('keeps an expired certificate as a critical finding: no detector reports it', () => {
    const [f] = forecastFindings(
      cluster,
      [certificate({ crossesAt: NOW - 48 * HOUR, reason: 'expired' })],
      options,
    );
    expect(f).toMatchObject({ severity: 'critical', code: 'FORECAST_CERTIFICATE_EXPIRY' });
    expect(f.message).toBe(
      `The TLS certificate expired 2.0 days ago (${new Date(NOW - 48 * HOUR).toISOString()})`,
    );
  });

  it('leaves out a renewal cert-manager has planned (low confidence)', () => {
    expect(
      forecastFindings(
        cluster,
        [certificate({ name: 'Certificate/shop', confidence: 0.2 })],
        options,
      ),
    ).toEqual([]);
  });
});

describe('forecastFindings of usage forecasts', () => {
  it('puts a node usage forecast on the Node', () => {
    const usage = forecast({
      code: 'FORECAST_MEMORY_USAGE_SATURATION',
      metric: 'usageMemory',
      scope: 'node',
      name: 'worker-1',
    });
    const [f] = forecastFindings(cluster, [usage], options);
    expect(f).toMatchObject({
      code: 'FORECAST_MEMORY_USAGE_SATURATION',
      object: { group: '', kind: 'Node', namespace: '', name: 'worker-1' },
    });
    expect(f.suggestion).toContain('evicts');
  });

  it('leaves memory-limit and volume crossings to the behaviour finding of the same computation', () => {
    const limit = forecast({
      code: 'FORECAST_MEMORY_LIMIT',
      scope: 'workload',
      name: 'Deployment/a',
    });
    const pvc = forecast({
      code: 'FORECAST_PVC_FULL',
      scope: 'pvc',
      namespace: 'ns',
      name: 'data',
    });
    expect(forecastFindings(cluster, [limit, pvc], options)).toEqual([]);
  });
});
