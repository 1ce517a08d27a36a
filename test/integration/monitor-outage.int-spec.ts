import { readFileSync } from 'node:fs';
import { createServer, Server, Socket } from 'node:net';
import { join } from 'node:path';
import {
  ADMIN_TOKEN,
  bearer,
  kubeconfigText,
  register,
  startServer,
  TestApp,
} from './support/cloudpilot-app';
import { compactEtcd, stopApiServer } from './support/control-plane';
import { expectExact, expectedOverview, overviewNumbers } from './support/expected-overview';
import {
  clusterCli,
  kubectlOk,
  readyzStatus,
  readKubeconfig,
  testCluster,
  until as pollUntil,
} from './support/test-cluster';

jest.setTimeout(300_000);

/** A cluster of its own: stopping its API server must not disturb suites running on the shared one. */
const OTHER = `outage-${process.pid}`;
const FLEET_DEADLINE_S = 3;

let app: TestApp;
let dir: string;
let otherId: string;
let devId: string;
let hangingId: string;
let hanging: Server;
const sockets: Socket[] = [];

const otherKubeconfig = () => join(dir, 'admin.kubeconfig');
const otherKubectl = (args: string[], input?: string) =>
  kubectlOk('admin', args, { kubeconfigDir: dir, input });

async function get(path: string): Promise<Record<string, any>> {
  const res = await app.http().get(path).set(bearer(ADMIN_TOKEN));
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

async function registerText(name: string, kubeconfig: string, query = ''): Promise<string> {
  const res = await app
    .http()
    .post(`/api/v1/clusters${query}`)
    .set(bearer(ADMIN_TOKEN))
    .send({ name, kubeconfig });
  if (res.status !== 201)
    throw new Error(`register ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.id;
}

/** Outage timings are measured in tens of milliseconds: poll every 50 ms. */
const until = <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number) =>
  pollUntil(what, probe, timeoutMs, 50);

describe('Monitor through an API server outage, and the fleet with a dead cluster (real clusters)', () => {
  beforeAll(async () => {
    const up = clusterCli(['up', '--name', OTHER, '--no-istio', '--nodes', '1']);
    if (up.status !== 0) throw new Error(`cluster:up ${OTHER} failed: ${up.stderr}`);
    dir = up.stdout.trim().split('\n').at(-1)!;
    otherKubectl(['create', 'namespace', 'outage']);
    otherKubectl([
      'wait',
      '-n',
      'outage',
      '--for=create',
      'serviceaccount/default',
      '--timeout=30s',
    ]);
    otherKubectl(['create', 'deployment', 'web', '-n', 'outage', '--image=web:1', '--replicas=3']);
    for (let i = 0; i < 5; i += 1)
      otherKubectl(['create', 'configmap', `c${i}`, '-n', 'outage', `--from-literal=i=${i}`]);
    otherKubectl(['rollout', 'status', 'deployment/web', '-n', 'outage', '--timeout=60s']);

    // A loopback listener that accepts and never answers: a cluster stuck on its first sync.
    hanging = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const port = (hanging.address() as { port: number }).port;
    const dead = kubeconfigText('admin').replace(
      readKubeconfig('admin').server,
      `https://127.0.0.1:${port}`,
    );

    app = await startServer({
      CLOUDPILOT_MONITOR_FLEET_DEADLINE_SECONDS: String(FLEET_DEADLINE_S),
    });
    devId = (await register(app, 'fleet-dev', 'admin')).id;
    otherId = await registerText('fleet-outage', readFileSync(otherKubeconfig(), 'utf8'));
    hangingId = await registerText('fleet-hanging', dead, '?skipTest=true');
  });

  afterAll(async () => {
    await app?.close();
    for (const socket of sockets) socket.destroy();
    hanging?.close();
    clusterCli(['down', '--name', OTHER]);
  });

  it('answers the fleet within its deadline: a cluster stuck on its first sync is an error entry, the live ones carry data', async () => {
    const started = Date.now();
    const fleet = await get('/api/v1/overview');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan((FLEET_DEADLINE_S + 1) * 1000);
    const byId = new Map(fleet.items.map((e: any) => [e.cluster.id, e]));
    expect(byId.get(hangingId)).toMatchObject({
      cluster: { name: 'fleet-hanging' },
      error: { code: 'CLUSTER_TIMEOUT' },
    });
    expect((byId.get(otherId) as any).data.state).toBe('synced');
    expect(fleet.deadlineSeconds).toBe(FLEET_DEADLINE_S);
  });

  it('serves stale data with its age while the API server is down, answers the fleet within its deadline, and is exact within 5 s of the return after a 410 relist', async () => {
    await expectExact(
      'before the outage',
      otherKubeconfig,
      () => get(`/api/v1/clusters/${otherId}/overview`),
      (s) => overviewNumbers(expectedOverview(s)),
      overviewNumbers,
    );
    const before = await get(`/api/v1/clusters/${otherId}/overview`);
    const stopped = await stopApiServer(OTHER);
    const stoppedAt = Date.now();

    const stale = await until(
      'the overview to turn stale',
      async () => {
        const o = await get(`/api/v1/clusters/${otherId}/overview`);
        // The first stale answer already says unreachable: the torn watch (a read cut mid-stream)
        // is a transport failure like the refused reconnects after it, not CLUSTER_ERROR.
        return o.state === 'stale' ? o : undefined;
      },
      10_000,
    );
    expect(stale.cache.pods).toMatchObject({
      state: 'stale',
      error: { code: 'CLUSTER_UNREACHABLE' },
    });
    expect(overviewNumbers(stale)).toEqual(overviewNumbers(before)); // the last good data is still served

    // The fleet: the dead cluster is one error entry; the live one is exact; all within the deadline.
    await expectExact(
      'fleet entry of the live cluster during the outage',
      () => testCluster.kubeconfigPath('admin'),
      async () => {
        const started = Date.now();
        const fleet = await get('/api/v1/overview');
        expect(Date.now() - started).toBeLessThan((FLEET_DEADLINE_S + 1) * 1000);
        const entry = (id: string) => fleet.items.find((e: any) => e.cluster.id === id);
        expect(entry(otherId)).toMatchObject({
          error: { code: 'CLUSTER_UNREACHABLE', details: { state: 'stale' } },
        });
        expect(entry(otherId).data).toBeUndefined();
        return entry(devId).data;
      },
      (s) => overviewNumbers(expectedOverview(s)),
      overviewNumbers,
    );

    // While it is down, etcd moves on and compacts: the watches' resourceVersions are then Gone.
    await compactEtcd(stopped.etcdUrl!);
    await new Promise((r) => setTimeout(r, Math.max(0, stoppedAt + 20_000 - Date.now())));
    const aged = await get(`/api/v1/clusters/${otherId}/overview`);
    expect(aged.cache.pods.ageSeconds).toBeGreaterThanOrEqual(15);
    stopped.start();
    const server = readKubeconfig('admin', dir);
    await until(
      'the API server to return',
      async () => ((await readyzStatus(server.server, server.ca)) === 200 ? true : undefined),
      60_000,
    );
    const returnedAt = Date.now();

    // Change something right after the return, so "exact" also covers what happened since.
    otherKubectl(['create', 'configmap', 'after-return', '-n', 'outage', '--from-literal=a=1']);
    await until(
      'the overview to be live again',
      async () => {
        const o = await get(`/api/v1/clusters/${otherId}/overview`);
        return o.state === 'synced' ? o : undefined;
      },
      5_000,
    );
    const resyncedIn = Date.now() - returnedAt;
    const exactAt = await expectExact(
      'after the return',
      otherKubeconfig,
      () => get(`/api/v1/clusters/${otherId}/overview`),
      (s) => overviewNumbers(expectedOverview(s)),
      overviewNumbers,
    );
    process.stdout.write(
      `outage: live again ${resyncedIn} ms after the API server answered; an exact overview read ${exactAt - returnedAt} ms after` +
        '\n',
    );
    expect(exactAt - returnedAt).toBeLessThanOrEqual(5_000);
    const after = await get(`/api/v1/clusters/${otherId}/overview`);
    expect(after.cache.configmaps.relistsAfterGone).toBeGreaterThanOrEqual(1);
    expect(after.pods.running).toBeGreaterThanOrEqual(before.pods.running);
  });
});
