import { PeriodicJobs } from '../../src/coordination/periodic-jobs';
import { HistorySampler } from '../../src/history/history.sampler';
import { ClusterSnapshots } from '../../src/monitor/cluster-snapshot';
import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import { createNamespace, deleteNamespace, kubectlOk } from './support/test-cluster';
import { ownCrossing } from './support/least-squares';

const TICK_MS = 5000;
const HOUR = 3_600_000;
/** Each crash-looping pod reports this many restarts (the KWOK stage reads the annotation). */
const RESTARTS_PER_POD = 2;
/** Replicas per tick: 1, 2, 3, 4, 5 pods added, so the restart rate rises linearly. */
const REPLICAS = [1, 2, 4, 7, 11, 16];
const THRESHOLD_PER_HOUR = 100_000;

const deployment = (namespace: string) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'crashy', namespace },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'crashy' } },
      template: {
        metadata: {
          labels: { app: 'crashy', 'cloudpilot.dev/fault': 'CrashLoopBackOff' },
          annotations: { 'cloudpilot.dev/restart-count': String(RESTARTS_PER_POD) },
        },
        spec: { containers: [{ name: 'app', image: 'registry.example/crashy:1' }] },
      },
    },
  });

describe('restart-rate forecast from a KWOK crash loop (real cluster)', () => {
  let t: TestApp;
  let ns: string;
  let clusterId: string;
  const api = (path: string) =>
    t.http().get(`/api/v1/clusters/${clusterId}${path}`).set(bearer(ADMIN_TOKEN));

  beforeAll(async () => {
    t = await startServer({
      CLOUDPILOT_MONITOR_REFRESH_INTERVAL_SECONDS: String(TICK_MS / 1000),
      CLOUDPILOT_FORECASTS_RESTART_RATE_PER_HOUR: String(THRESHOLD_PER_HOUR),
    });
    clusterId = (await register(t, 'restarts')).id;
    ns = createNamespace('restarts');
    kubectlOk('admin', ['apply', '-f', '-'], { input: deployment(ns) });
  });
  afterAll(async () => {
    deleteNamespace(ns);
    await t.close();
  });

  it("sees a workload's rising restart rate and forecasts its crossing as its own line does", async () => {
    const sampler = t.app.get(HistorySampler);
    // The test is the clock: with the scheduled sampler stopped, each tick samples exactly the
    // state the test set, one short tick apart (5 s, the tick in this app's config).
    t.app.get(PeriodicJobs).stop('history');
    const snapshot = await t.app.get(ClusterSnapshots).forCluster(clusterId);
    await snapshot.whenSettled(30_000);
    const restarts = () =>
      snapshot
        .list('pods', ns)
        .flatMap((p) => p.containers ?? [])
        .reduce((sum, c) => sum + c.restarts, 0);
    const start = Date.now() - REPLICAS.length * TICK_MS;
    for (const [i, replicas] of REPLICAS.entries()) {
      kubectlOk('admin', ['scale', 'deployment/crashy', '-n', ns, `--replicas=${replicas}`]);
      const want = replicas * RESTARTS_PER_POD;
      const deadline = Date.now() + 60_000;
      while (restarts() !== want) {
        if (Date.now() > deadline) throw new Error(`restarts never reached ${want}: ${restarts()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await sampler.sample(start + i * TICK_MS)).toBeGreaterThan(0);
    }

    const history = await api(`/history?scope=workload&namespace=${ns}&name=Deployment/crashy`);
    expect(history.status).toBe(200);
    const counts = history.body.data.points.map(
      (p: { at: string; values: { restarts: number } }) => ({
        t: Date.parse(p.at),
        v: p.values.restarts,
      }),
    );
    expect(counts.map((p: { v: number }) => p.v)).toEqual(
      REPLICAS.map((r) => r * RESTARTS_PER_POD),
    );
    const rates = counts.slice(1).map((p: { t: number; v: number }, i: number) => ({
      t: p.t,
      v: ((p.v - counts[i].v) / (p.t - counts[i].t)) * HOUR,
    }));
    const expected = ownCrossing(rates, THRESHOLD_PER_HOUR);

    const res = await api('/forecasts?horizonDays=1');
    expect(res.status).toBe(200);
    const forecast = res.body.data.items.find(
      (f: { code: string; namespace: string | null }) =>
        f.code === 'FORECAST_RESTART_RATE' && f.namespace === ns,
    );
    expect(forecast).toMatchObject({
      scope: 'workload',
      name: 'Deployment/crashy',
      metric: 'restartsPerHour',
      threshold: THRESHOLD_PER_HOUR,
      method: 'linear',
      withinHorizon: true,
    });
    expect(forecast.points).toHaveLength(REPLICAS.length - 1);
    expect(forecast.slopePerHour).toBeGreaterThan(0);
    expect(forecast.confidence).toBeGreaterThan(0);
    const now = Date.now();
    const predicted = Date.parse(forecast.crossesAt);
    process.stdout.write(
      `restart forecast: crosses ${forecast.crossesAt}, own line ${new Date(expected).toISOString()}, ` +
        `${((expected - now) / 1000).toFixed(0)} s ahead, confidence ${forecast.confidence}\n`,
    );
    expect(predicted).toBeGreaterThan(now);
    expect(Math.abs(predicted - expected)).toBeLessThan(0.1 * (expected - now));
  });

  it('answers 400 for a workload history without its name', async () => {
    const res = await api(`/history?scope=workload&namespace=${ns}`);
    expect([res.status, res.body.code, res.body.details[0].field]).toEqual([
      400,
      'VALIDATION_FAILED',
      'name',
    ]);
  });
});
