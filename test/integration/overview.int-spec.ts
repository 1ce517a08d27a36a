import { randomBytes, randomInt } from 'node:crypto';
import { KubeClient } from '../../src/kubernetes/kube-client';
import { buildKubeConfig } from '../../src/kubernetes/kubeconfig-builder';
import { parseUntrustedKubeconfig } from '../../src/kubernetes/kubeconfig-guard';
import { MonitorTick } from '../../src/monitor/monitor.tick';
import { MonitorService } from '../../src/monitor/monitor.service';
import {
  ADMIN_TOKEN,
  bearer,
  kubeconfigText,
  register,
  startServer,
  TestApp,
} from './support/cloudpilot-app';
import {
  expectExact,
  expectedNamespace,
  expectedNode,
  expectedOverview,
  overviewNumbers,
  snapshot,
} from './support/expected-overview';
import {
  createNamespace,
  deleteNamespace,
  eventually,
  kubectl,
  kubectlOk,
  testCluster,
} from './support/test-cluster';

jest.setTimeout(240_000);

const suffix = randomBytes(3).toString('hex');
const CORDONED = `ov-${suffix}-cordoned`;
const DOWN = `ov-${suffix}-down`;
/** Pods bound to a node that does not exist: nothing plays their kubelet, so they keep what the test writes. */
const GHOST = `ov-${suffix}-ghost`;
// Small requests: the shared test cluster has 2 × 8 CPU and other suites schedule pods too.
const CPU = ['10m', '50m', '100m', '0.25'];
const MEMORY = ['64Mi', '100Mi', '256Mi', '150M'];

let app: TestApp;
let adminId: string;
let viewerId: string;
let admin: KubeClient;
const namespaces: string[] = [];

function adminClient(): KubeClient {
  const [ctx] = parseUntrustedKubeconfig(kubeconfigText('admin'), {
    allowLoopback: true,
    allowPlainHttpLoopback: false,
    allowInsecureSkipTlsVerify: false,
  });
  return new KubeClient('test-admin', buildKubeConfig('test-admin', ctx.connection), 10_000);
}

const admin0 = () => testCluster.kubeconfigPath('admin');
const pick = <T>(list: T[]): T => list[randomInt(list.length)];

async function get(path: string): Promise<Record<string, any>> {
  const res = await app.http().get(path).set(bearer(ADMIN_TOKEN));
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

function apply(manifest: unknown): void {
  kubectlOk('admin', ['apply', '-f', '-'], { input: JSON.stringify(manifest) });
}

/** A Deployment with random replicas and random requests/limits, some with an init container and a sidecar. */
function randomDeployment(namespace: string, name: string): unknown {
  const resources = () => ({
    requests: { cpu: pick(CPU), memory: pick(MEMORY) },
    ...(randomInt(2) ? { limits: { cpu: pick(['1', '2']), memory: pick(['2Gi', '3Gi']) } } : {}),
  });
  const withInit = randomInt(2) === 1;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas: randomInt(1, 4),
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            { name: 'app', image: 'app:1', resources: resources() },
            ...(randomInt(2) ? [{ name: 'extra', image: 'x:1', resources: resources() }] : []),
          ],
          ...(withInit
            ? {
                initContainers: [
                  {
                    name: 'setup',
                    image: 'i:1',
                    resources: { requests: { cpu: '300m', memory: '64Mi' } },
                  },
                  { name: 'proxy', image: 'p:1', restartPolicy: 'Always', resources: resources() },
                ],
              }
            : {}),
        },
      },
    },
  };
}

function pod(
  namespace: string,
  name: string,
  extra: Record<string, any> = {},
): Record<string, any> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: extra.labels ?? {} },
    spec: {
      containers: [
        {
          name: 'c',
          image: 'c:1',
          resources: { requests: { cpu: pick(CPU), memory: pick(MEMORY) } },
        },
      ],
      ...extra.spec,
    },
  };
}

/** The randomised composition: every pod phase, workloads with random replicas, a cordoned and a NotReady node. */
async function createComposition(): Promise<void> {
  const nodeStatus = {
    capacity: { cpu: '4', memory: '16Gi', pods: '110' },
    allocatable: { cpu: '3500m', memory: '15Gi', pods: '110' },
  };
  apply({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: CORDONED,
      annotations: { 'kwok.x-k8s.io/node': 'fake' },
      labels: { type: 'kwok', 'node-role.kubernetes.io/test': '' },
    },
    spec: { unschedulable: true },
    status: nodeStatus,
  });
  // The NotReady fault stage (docs/testing.md) makes KWOK report Ready=False for this node.
  apply({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: DOWN, labels: { 'cloudpilot.dev/fault': 'NotReady' } },
    spec: { taints: [{ key: 'cloudpilot.dev/test', value: 'down', effect: 'NoSchedule' }] },
    status: nodeStatus,
  });
  kubectlOk('admin', ['wait', '--for=condition=Ready=False', `node/${DOWN}`, '--timeout=60s']);

  for (let i = 0; i < randomInt(2, 4); i += 1) namespaces.push(createNamespace('ov'));
  for (const ns of namespaces) {
    for (let d = 0; d < randomInt(1, 4); d += 1) apply(randomDeployment(ns, `web-${d}`));
    apply({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: ns },
      spec: { selector: { app: 'web-0' }, ports: [{ port: 80 }] },
    });
    apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: ns },
      data: { a: '1' },
    });
    apply({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: ns },
      stringData: { password: `canary-${suffix}` },
    });
  }
  const [first] = namespaces;
  apply(pod(first, 'crashing', { labels: { 'cloudpilot.dev/fault': 'CrashLoopBackOff' } }));
  apply(
    pod(first, 'failed', {
      labels: { 'cloudpilot.dev/fault': 'Failed' },
      spec: { restartPolicy: 'Never' },
    }),
  );
  apply(pod(first, 'unschedulable', { spec: { nodeSelector: { 'cloudpilot.dev/none': 'x' } } }));
  apply({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'once', namespace: first },
    spec: {
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'c', image: 'c:1', resources: { requests: { cpu: '100m' } } }],
        },
      },
    },
  });
  apply({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: first },
    spec: {
      serviceName: 'db',
      replicas: randomInt(1, 3),
      selector: { matchLabels: { app: 'db' } },
      template: {
        metadata: { labels: { app: 'db' } },
        spec: {
          containers: [
            {
              name: 'db',
              image: 'db:1',
              resources: {
                requests: { cpu: '100m', memory: '256Mi' },
                limits: { memory: '512Mi' },
              },
            },
          ],
        },
      },
    },
  });

  // Wait until every intended phase shows: Running, Running-not-ready, Failed, Succeeded, Pending.
  const deadline = Date.now() + 90_000;
  for (;;) {
    const s = await snapshot(testCluster.kubeconfigPath('admin'));
    const mine = s.pods.filter((p) => p.metadata.namespace === first);
    const phase = (name: string) => mine.find((p) => p.metadata.name === name)?.status?.phase;
    const jobDone = mine.some(
      (p) => p.metadata.name.startsWith('once-') && p.status?.phase === 'Succeeded',
    );
    const crashing =
      mine.find((p) => p.metadata.name === 'crashing')?.status?.containerStatuses?.[0]?.state
        ?.waiting?.reason === 'CrashLoopBackOff';
    const allRunning = s.pods
      .filter(
        (p) =>
          namespaces.includes(p.metadata.namespace) && p.metadata.labels?.app?.startsWith('web-'),
      )
      .every((p) => p.status?.phase === 'Running');
    if (
      phase('failed') === 'Failed' &&
      jobDone &&
      crashing &&
      allRunning &&
      phase('unschedulable') === 'Pending'
    )
      return;
    if (Date.now() > deadline) {
      const states = s.pods
        .filter((p) => namespaces.includes(p.metadata.namespace))
        .map((p) => `${p.metadata.name}=${p.status?.phase}`);
      throw new Error(
        `the composition never reached its intended phases: failed ${phase('failed')}, job ${jobDone}, crashing ${crashing}, web running ${allRunning}; ${states.join(' ')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

describe('Overview from the Monitor cache (real cluster)', () => {
  beforeAll(async () => {
    admin = adminClient();
    app = await startServer();
    adminId = (await register(app, `ov-admin-${suffix}`, 'admin')).id;
    viewerId = (await register(app, `ov-viewer-${suffix}`, 'viewer')).id;
    await createComposition();
  });

  afterAll(async () => {
    await app?.close();
    for (const ns of namespaces) deleteNamespace(ns);
    kubectl('admin', ['delete', 'node', CORDONED, DOWN, '--ignore-not-found', '--wait=false']);
  });

  it('answers a ResourceOverview equal to what kubectl shows, for the seed plus a random composition', async () => {
    await expectExact(
      'overview',
      admin0,
      () => get(`/api/v1/clusters/${adminId}/overview`),
      (s) => overviewNumbers(expectedOverview(s)),
      overviewNumbers,
    );
    const overview = await get(`/api/v1/clusters/${adminId}/overview`);
    expect(overview.state).toBe('synced');
    expect(
      Object.values(overview.cache).every((k: any) => k.state === 'synced' && k.mode === 'watch'),
    ).toBe(true);
    // The composition really holds every phase, so the equality above covers each bucket.
    expect(overview.pods.failed).toBeGreaterThan(0);
    expect(overview.pods.succeeded).toBeGreaterThan(0);
    expect(overview.pods.pending).toBeGreaterThan(0);
    expect(overview.pods.notReadyRunning).toBeGreaterThan(0);
    expect(overview.nodes.notReady).toBeGreaterThan(0);
    expect(overview.nodes.unschedulable).toBeGreaterThan(0);
  });

  it('answers NamespaceDetail for every namespace equal to kubectl', async () => {
    const project = (list: Record<string, any>) =>
      list.items.map(({ created: _created, ...rest }: Record<string, any>) => rest);
    await expectExact(
      'namespaces',
      admin0,
      () => get(`/api/v1/clusters/${adminId}/namespaces`),
      (s) =>
        s.namespaces
          .map((n) => n.metadata.name)
          .sort()
          .map((name) => expectedNamespace(s, name)),
      project,
    );
  });

  it('answers NodeDetail for every node equal to kubectl, cordoned and NotReady ones included', async () => {
    const project = (list: Record<string, any>) =>
      list.items.map((n: Record<string, any>) => ({
        name: n.name,
        status: n.status,
        unschedulable: n.unschedulable,
        pods: n.pods,
        allocatable: n.allocatable,
        capacity: n.capacity,
        requests: n.allocated.requests,
        limits: n.allocated.limits,
        taints: n.taints.map((t: any) => t.key).sort(),
      }));
    await expectExact(
      'nodes',
      admin0,
      () => get(`/api/v1/clusters/${adminId}/nodes`),
      (s) =>
        s.nodes
          .map((n) => n.metadata.name)
          .sort()
          .map((name) => expectedNode(s, name)),
      project,
    );
    const down = await get(`/api/v1/clusters/${adminId}/nodes/${DOWN}`);
    expect(down).toMatchObject({
      name: DOWN,
      status: 'NotReady',
      unschedulable: false,
      conditions: expect.arrayContaining([
        expect.objectContaining({ type: 'Ready', status: 'False', reason: 'KubeletNotReady' }),
      ]),
    });
    const cordoned = await get(`/api/v1/clusters/${adminId}/nodes/${CORDONED}`);
    expect(cordoned).toMatchObject({
      status: 'Ready',
      unschedulable: true,
      roles: ['test'],
      allocatable: { cpu: 3.5, memory: 15 * 1024 ** 3, pods: 110 },
    });
    expect(cordoned.allocated.requestsShare.cpu).toBeCloseTo(
      cordoned.allocated.requests.cpu / 3.5,
      3,
    );
    const missing = await app
      .http()
      .get(`/api/v1/clusters/${adminId}/nodes/no-such-node-${suffix}`)
      .set(bearer(ADMIN_TOKEN));
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('K8S_NOT_FOUND');
  });

  it('shows pod creation, phase changes and deletion within 1 s (measured and reported)', async () => {
    const ns = namespaces[0];
    const delays: number[] = [];
    const path = `/api/v1/clusters/${adminId}/namespaces`;
    const pods = async () =>
      (await get(path)).items.find((n: any) => n.name === ns).pods as Record<string, number>;
    async function measure(
      change: () => Promise<unknown>,
      seen: (p: Record<string, number>) => boolean,
    ): Promise<void> {
      await change();
      const written = Date.now();
      while (!seen(await pods())) {
        if (Date.now() - written > 5_000) throw new Error('the change never showed up');
        await new Promise((r) => setTimeout(r, 5));
      }
      delays.push(Date.now() - written);
    }
    for (let i = 0; i < 5; i += 1) {
      const name = `delay-${i}`;
      const base = await pods();
      await measure(
        () =>
          admin.request({
            method: 'POST',
            path: `/api/v1/namespaces/${ns}/pods`,
            body: pod(ns, name, { spec: { nodeName: GHOST } }),
          }),
        (p) => p.total === base.total + 1 && p.pending === base.pending + 1,
      );
      await measure(
        () =>
          admin.request({
            method: 'PATCH',
            path: `/api/v1/namespaces/${ns}/pods/${name}/status`,
            contentType: 'application/merge-patch+json',
            body: { status: { phase: 'Running' } },
          }),
        (p) => p.running === base.running + 1 && p.pending === base.pending,
      );
      await measure(
        () =>
          admin.request({
            method: 'DELETE',
            path: `/api/v1/namespaces/${ns}/pods/${name}`,
            query: { gracePeriodSeconds: 0 },
          }),
        (p) => p.total === base.total && p.running === base.running,
      );
    }
    const sorted = [...delays].sort((a, b) => a - b);
    process.stdout.write(
      `overview delay after an accepted pod change, ms: p50 ${sorted[Math.floor(sorted.length / 2)]}, max ${sorted.at(-1)} over ${sorted.length} changes` +
        '\n',
    );
    expect(sorted.at(-1)).toBeLessThanOrEqual(1_000);
  });

  it('with a viewer credential reports secrets forbidden and keeps every other number exact', async () => {
    const overview = await get(`/api/v1/clusters/${viewerId}/overview`);
    expect(overview.cache.secrets).toMatchObject({
      state: 'forbidden',
      error: { code: 'K8S_FORBIDDEN' },
    });
    expect(overview.counts.secrets).toBeNull();
    expect(overview.state).toBe('synced');
    const withoutSecrets = (o: Record<string, any>) => ({
      ...overviewNumbers(o),
      counts: { ...o.counts, secrets: undefined },
    });
    await expectExact(
      'viewer overview',
      admin0,
      () => get(`/api/v1/clusters/${viewerId}/overview`),
      (s) => withoutSecrets(expectedOverview(s)),
      withoutSecrets,
    );
  });

  it('never puts Secret data anywhere in overview answers', async () => {
    for (const route of ['overview', 'namespaces', 'nodes']) {
      const res = await app
        .http()
        .get(`/api/v1/clusters/${adminId}/${route}`)
        .set(bearer(ADMIN_TOKEN));
      expect(res.text).not.toContain(`canary-${suffix}`);
      expect(res.text).not.toContain(Buffer.from(`canary-${suffix}`).toString('base64'));
    }
  });

  it('the scheduled tick records reachability and version, and a tick never overlaps itself', async () => {
    const tick = app.app.get(MonitorTick);
    const first = tick.tick();
    expect(tick.tick()).toBe(first); // joined, not doubled
    await first;
    const overview = await get(`/api/v1/clusters/${adminId}/overview`);
    expect(overview.health).toMatchObject({ reachable: true, kubernetesVersion: 'v1.36.3' });
    const cache = await app.app.get(MonitorService).cache(adminId);
    expect(cache.usage).toBeUndefined(); // the test cluster serves no metrics.k8s.io
    expect(overview.cpu.usage).toBeNull();
  });

  it("stops a cluster's cache when the cluster is deleted", async () => {
    const extra = await register(app, `ov-extra-${suffix}`, 'admin');
    await get(`/api/v1/clusters/${extra.id}/overview`);
    const monitor = app.app.get(MonitorService);
    expect(monitor.all().has(extra.id)).toBe(true);
    const res = await app.http().delete(`/api/v1/clusters/${extra.id}`).set(bearer(ADMIN_TOKEN));
    expect(res.status).toBeLessThan(300);
    // Polled rather than slept on: the stop follows the deletion's ClusterEvent asynchronously.
    await eventually(
      "the deleted cluster's cache to stop",
      () => (monitor.all().has(extra.id) ? undefined : true),
      { timeoutMs: 5_000, intervalMs: 20 },
    );
    expect(monitor.all().has(extra.id)).toBe(false);
  });

  it('is ready on /readyz once every cache has synced', async () => {
    const res = await app.http().get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.info.monitor.status).toBe('up');
  });
});
