import type { Server } from 'node:http';
import { ForecastFindings } from '../../src/forecasts/forecast-findings.service';
import { HistorySampler } from '../../src/history/history.sampler';
import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import { createNamespace, deleteNamespace, kubectlOk } from './support/test-cluster';

const HOUR = 3_600_000;

/** The test's own least squares: when the line through the points reaches the threshold. */
function ownCrossing(points: Array<{ t: number; v: number }>, threshold: number): number {
  const n = points.length;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const mv = points.reduce((a, p) => a + p.v, 0) / n;
  const slope =
    points.reduce((a, p) => a + (p.t - mt) * (p.v - mv), 0) /
    points.reduce((a, p) => a + (p.t - mt) ** 2, 0);
  return mt + (threshold - mv) / slope;
}

describe('forecasts from the stored history (real cluster)', () => {
  let t: TestApp;
  let ns: string;
  let clusterId: string;
  const api = (path: string) =>
    t.http().get(`/api/v1/clusters/${clusterId}${path}`).set(bearer(ADMIN_TOKEN));
  /** CPU requests of the namespace as the overview reports them (cores). */
  const namespaceCpu = async () => {
    const res = await api('/namespaces');
    return res.body.data.items.find((n: { name: string }) => n.name === ns)?.requests.cpu ?? 0;
  };

  beforeAll(async () => {
    // An hourly tick: the samples below are an hour apart, and the scheduled sampler stays out of the way.
    t = await startServer({ CLOUDPILOT_MONITOR_REFRESH_INTERVAL_SECONDS: '3600' });
    clusterId = (await register(t, 'forecast')).id;
    ns = createNamespace('forecast');
    kubectlOk('admin', [
      'create',
      'deployment',
      'grow',
      '-n',
      ns,
      '--image=registry.example/g:1',
      '--replicas=0',
    ]);
    kubectlOk('admin', [
      'set',
      'resources',
      'deployment/grow',
      '-n',
      ns,
      '--requests=cpu=500m,memory=64Mi',
    ]);
  });
  afterAll(async () => {
    deleteNamespace(ns);
    await t.close();
  });

  it("forecasts CPU requests reaching allocatable when the history's own line does (within 10 %)", async () => {
    const sampler = t.app.get(HistorySampler);
    // Six samples an hour apart in the last ten hours, the deployment growing by 2 pods (1 core) each.
    const start = Date.now() - 10 * HOUR;
    for (let i = 0; i < 6; i++) {
      kubectlOk('admin', ['scale', 'deployment/grow', '-n', ns, `--replicas=${2 * i}`]);
      const want = i; // 2 × 500m per step
      const deadline = Date.now() + 30_000;
      while ((await namespaceCpu()) !== want) {
        if (Date.now() > deadline) throw new Error(`requests never reached ${want} cores`);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await sampler.sample(start + i * HOUR)).toBeGreaterThan(0);
    }

    const history = (await api('/history?metric=requestsCpu')).body.data.points as Array<{
      at: string;
      values: { requestsCpu: number };
    }>;
    const all = (await api('/history')).body.data.points as Array<{
      values: { allocatableCpu: number };
    }>;
    const allocatable = all[all.length - 1].values.allocatableCpu;
    const points = history.map((p) => ({ t: Date.parse(p.at), v: p.values.requestsCpu }));
    // Six, or seven if the hourly scheduled sample happened to fall inside this test.
    expect(points.length).toBeGreaterThanOrEqual(6);
    const expected = ownCrossing(points, allocatable);

    const res = await api('/forecasts?horizonDays=30');
    expect(res.status).toBe(200);
    const cpu = res.body.data.items.find(
      (f: { code: string; scope: string }) =>
        f.code === 'FORECAST_CPU_REQUESTS_SATURATION' && f.scope === 'cluster',
    );
    expect(cpu).toMatchObject({ metric: 'requestsCpu', threshold: allocatable, method: 'linear' });
    expect(cpu.points).toHaveLength(points.length);
    const now = Date.now();
    const predicted = Date.parse(cpu.crossesAt);
    expect(Math.abs(predicted - expected)).toBeLessThan(0.1 * (expected - now));
    expect(cpu.slopePerHour).toBeGreaterThan(0);
  });

  it('makes that forecast, crossing within the finding horizon, a FORECAST_ finding: listed, streamed and scored', async () => {
    await t.app.listen(0, '127.0.0.1');
    const port = ((t.app.getHttpServer() as Server).address() as { port: number }).port;
    const stream = await fetch(
      `http://127.0.0.1:${port}/api/v1/clusters/${clusterId}/diagnostics/stream`,
      { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } },
    );
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();

    await t.app.get(ForecastFindings).refreshAll();
    // Read right after the refresh: the same stored points as the finding's forecast.
    const forecast = (await api('/forecasts?horizonDays=30')).body.data.items.find(
      (f: { code: string; scope: string }) =>
        f.code === 'FORECAST_CPU_REQUESTS_SATURATION' && f.scope === 'cluster',
    );
    // Hours away with six points on a line: within the default 7-day horizon and 50 % confidence.
    expect(Date.parse(forecast.crossesAt) - Date.now()).toBeLessThan(7 * 24 * HOUR);
    expect(forecast.confidence).toBeGreaterThanOrEqual(0.5);

    let text = '';
    const opened = /event: opened\ndata: [^\n]*"code":"FORECAST_CPU_REQUESTS_SATURATION"/;
    const deadline = Date.now() + 10_000;
    // One read in flight at a time: a read abandoned to a timeout would swallow its chunk.
    let pending = reader.read();
    while (!opened.test(text)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no forecast finding streamed: ${text.slice(-300)}`);
      const chunk = await Promise.race([
        pending,
        new Promise<null>((r) => setTimeout(() => r(null), Math.min(500, left))),
      ]);
      if (chunk === null) continue;
      text += chunk.value ?? '';
      pending = reader.read();
    }
    await reader.cancel();
    const listed = await api('/diagnostics?code=FORECAST_CPU_REQUESTS_SATURATION');
    expect(listed.body.data.items).toHaveLength(1);
    const finding = listed.body.data.items[0];
    const hoursLeft = (Date.parse(forecast.crossesAt) - Date.now()) / HOUR;
    expect(finding).toMatchObject({
      source: 'forecast',
      severity: hoursLeft < 24 ? 'critical' : hoursLeft < 72 ? 'warning' : 'info',
      object: { kind: 'Cluster', name: 'forecast' },
      evidence: {
        fields: {
          metric: 'requestsCpu',
          threshold: forecast.threshold,
          crossesAt: forecast.crossesAt,
          pointsUsed: forecast.points.length,
        },
      },
    });
    process.stdout.write(
      `forecast finding: ${finding.severity}, crosses ${forecast.crossesAt} ` +
        `(${hoursLeft.toFixed(1)} h), confidence ${forecast.confidence}\n`,
    );
    const health = await api('/health');
    expect(health.body.data.cluster.deductions.map((d: { code: string }) => d.code)).toContain(
      'FORECAST_CPU_REQUESTS_SATURATION',
    );
  });

  it('answers 400 for a horizon out of range, with the field', async () => {
    const res = await api('/forecasts?horizonDays=0');
    expect([res.status, res.body.code, res.body.details[0].field]).toEqual([
      400,
      'VALIDATION_FAILED',
      'horizonDays',
    ]);
  });
});
