import { createServer, Server, Socket } from 'node:net';
import { ClusterSnapshots, type ClusterSnapshot } from '../../src/monitor/cluster-snapshot';
import {
  ADMIN_TOKEN,
  bearer,
  kubeconfigText,
  startServer,
  TestApp,
} from './support/cloudpilot-app';
import { CountingProxy } from './support/counting-proxy';
import { readKubeconfig, until } from './support/test-cluster';

jest.setTimeout(240_000);

/** The test cluster's admin kubeconfig, pointed at another server URL. */
const adminVia = (port: number): string =>
  kubeconfigText('admin').replace(readKubeconfig('admin').server, `https://127.0.0.1:${port}`);

async function registerAs(app: TestApp, name: string, kubeconfig: string): Promise<string> {
  const res = await app
    .http()
    .post('/api/v1/clusters?skipTest=true')
    .set(bearer(ADMIN_TOKEN))
    .send({ name, kubeconfig });
  if (res.status !== 201) throw new Error(`register ${name}: ${res.status}`);
  return res.body.data.id;
}

async function fleetOverview(app: TestApp): Promise<{ ms: number; items: any[] }> {
  const started = Date.now();
  const res = await app.http().get('/api/v1/overview').set(bearer(ADMIN_TOKEN));
  expect(res.status).toBe(200);
  return { ms: Date.now() - started, items: res.body.data.items };
}

/** A cache in its cold sync: its watches exist (it left the queue) and one is still syncing. */
const inColdSync = (s: ClusterSnapshot): boolean => {
  const kinds = Object.values(s.status());
  return kinds.length > 0 && kinds.some((k) => k!.state === 'syncing');
};

const syncedIn = (items: any[], ids: string[]) =>
  ids.every((id) => items.find((e) => e.cluster.id === id)?.data?.state === 'synced');

describe('a fleet on one replica (the test cluster registered many times)', () => {
  describe('start-up', () => {
    const CLUSTERS = 12;
    const CONCURRENCY = 2;
    let app: TestApp;

    beforeAll(async () => {
      app = await startServer({
        CLOUDPILOT_MONITOR_COLD_SYNC_CONCURRENCY: String(CONCURRENCY),
        // A slot is held for the fleet deadline at most: long here, so only the queue decides.
        CLOUDPILOT_MONITOR_FLEET_DEADLINE_SECONDS: '60',
      });
    });
    afterAll(() => app?.close());

    it(`syncs ${CLUSTERS} clusters registered at once ${CONCURRENCY} at a time, every one in the end`, async () => {
      const snapshots = app.app.get(ClusterSnapshots);
      let peak = 0;
      let sawQueued = false;
      const sampler = setInterval(() => {
        const all = [...snapshots.all().values()];
        peak = Math.max(peak, all.filter(inColdSync).length);
        // Waiting in the queue: registered and running, but no watch started yet.
        if (all.some((s) => Object.keys(s.status()).length === 0) && all.some(inColdSync))
          sawQueued = true;
      }, 2);
      try {
        const kubeconfig = kubeconfigText('admin');
        const ids = await Promise.all(
          Array.from({ length: CLUSTERS }, (_, i) => registerAs(app, `stagger-${i}`, kubeconfig)),
        );
        await until(
          `all ${CLUSTERS} synced`,
          async () => (syncedIn((await fleetOverview(app)).items, ids) ? true : undefined),
          120_000,
        );
      } finally {
        clearInterval(sampler);
      }
      process.stdout.write(`cold syncs at once: peak ${peak} of ${CLUSTERS}\n`);
      expect(sawQueued).toBe(true);
      expect(peak).toBeGreaterThanOrEqual(1);
      expect(peak).toBeLessThanOrEqual(CONCURRENCY);
    });
  });

  describe('a cluster that goes away', () => {
    const LIVE = 6;
    let app: TestApp;
    let proxy: CountingProxy;
    /** The relay of the cluster that goes away: closing it is that cluster's API server vanishing. */
    let goneProxy: CountingProxy;
    let hanging: Server;
    const sockets: Socket[] = [];
    const live: string[] = [];
    let goneId: string;
    let hangingId: string;

    beforeAll(async () => {
      proxy = await CountingProxy.start(readKubeconfig('admin').server);
      goneProxy = await CountingProxy.start(readKubeconfig('admin').server);
      hanging = createServer((socket) => sockets.push(socket));
      await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
      app = await startServer({
        CLOUDPILOT_MONITOR_FLEET_DEADLINE_SECONDS: '5',
        CLOUDPILOT_K8S_REQUEST_TIMEOUT_SECONDS: '3',
      });
      // The live clusters all reach the API server through one relay, which counts connections.
      const viaProxy = adminVia(proxy.port);
      for (let i = 0; i < LIVE; i++) live.push(await registerAs(app, `live-${i}`, viaProxy));
      goneId = await registerAs(app, 'gone', adminVia(goneProxy.port));
      hangingId = await registerAs(
        app,
        'hanging',
        adminVia((hanging.address() as { port: number }).port),
      );
      await until(
        'the live clusters and the one about to go synced',
        async () =>
          syncedIn((await fleetOverview(app)).items, [...live, goneId]) ? true : undefined,
        120_000,
      );
    });
    afterAll(async () => {
      await app?.close();
      await proxy?.close();
      await goneProxy?.close();
      for (const socket of sockets) socket.destroy();
      hanging?.close();
    });

    it('multiplexes the watches of every registration of one API server on a few connections', () => {
      // 6 registrations × 29 watched kinds: one connection per registration (or per watch, as
      // client-node would open) would be 6 (or 174); HTTP/2 carries 100 streams per connection.
      const watches = LIVE * 29;
      process.stdout.write(`${watches} watches of ${LIVE} clusters on ${proxy.open} connections\n`);
      expect(proxy.open).toBeGreaterThanOrEqual(1);
      expect(proxy.open).toBeLessThanOrEqual(Math.ceil(watches / 100) + 1);
    });

    it('answers the fleet at once while one cluster never answers, with it as an error entry', async () => {
      await until(
        'the hanging cluster to fail its first sync',
        async () => {
          const { items } = await fleetOverview(app);
          return items.find((e) => e.cluster.id === hangingId)?.error ? true : undefined;
        },
        30_000,
      );
      const answers = await Promise.all(Array.from({ length: 10 }, () => fleetOverview(app)));
      for (const { ms, items } of answers) {
        expect(ms).toBeLessThan(1000);
        expect(syncedIn(items, live)).toBe(true);
        expect(items.find((e) => e.cluster.id === hangingId).error.code).toMatch(/^CLUSTER_/);
      }
    });

    it('keeps answering the fleet at once when a synced cluster goes away: the others stay live', async () => {
      await goneProxy.close();
      await until(
        'the cluster that went away to be reported',
        async () => {
          const entry = (await fleetOverview(app)).items.find((e) => e.cluster.id === goneId);
          return entry.error || entry.data.state !== 'synced' ? true : undefined;
        },
        30_000,
      );
      const answers = await Promise.all(Array.from({ length: 10 }, () => fleetOverview(app)));
      for (const { ms, items } of answers) {
        expect(ms).toBeLessThan(1000);
        expect(syncedIn(items, live)).toBe(true);
      }
      const one = await app
        .http()
        .get(`/api/v1/clusters/${live[0]}/overview`)
        .set(bearer(ADMIN_TOKEN));
      expect(one.status).toBe(200);
      expect(one.body.data.state).toBe('synced');
    });
  });
});
