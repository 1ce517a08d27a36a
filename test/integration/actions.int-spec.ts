import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import { createNamespace, deleteNamespace, eventually, kubectlOk } from './support/test-cluster';

const running = (ns: string, selector: string) =>
  JSON.parse(
    kubectlOk('admin', ['get', 'pods', '-n', ns, '-l', selector, '-o', 'json']),
  ).items.filter((p: any) => p.status.phase === 'Running' && !p.metadata.deletionTimestamp);

describe('safe actions against the real cluster', () => {
  let t: TestApp;
  let ns: string;
  let operator: string;
  let viewer: string;
  const base = '/api/v1/clusters/act/resources';
  const call = (method: 'put' | 'post' | 'delete', path: string, token: string, body?: object) => {
    const req = t.http()[method](`${base}${path}`).set(bearer(token));
    return body ? req.send(body) : req;
  };
  const deployment = () =>
    JSON.parse(kubectlOk('admin', ['get', 'deployment', 'web', '-n', ns, '-o', 'json']));

  beforeAll(async () => {
    t = await startServer();
    await register(t, 'act');
    ns = createNamespace('actions');
    kubectlOk('admin', [
      'create',
      'deployment',
      'web',
      '-n',
      ns,
      '--image=registry.example/web:1',
      '--replicas=2',
    ]);
    operator = (
      await t
        .http()
        .post('/api/v1/auth/tokens')
        .set(bearer(ADMIN_TOKEN))
        .send({ name: 'act-operator', role: 'operator' })
    ).body.data.token;
    viewer = (
      await t
        .http()
        .post('/api/v1/auth/tokens')
        .set(bearer(ADMIN_TOKEN))
        .send({ name: 'act-viewer', role: 'viewer' })
    ).body.data.token;
    await eventually(
      '2 running web pods',
      () => (running(ns, 'app=web').length === 2 ? true : undefined),
      { timeoutMs: 60_000 },
    );
  }, 120_000);
  afterAll(async () => {
    deleteNamespace(ns);
    await t.close();
  });

  it('scales with dryRun storing nothing, then for real to 5 running pods', async () => {
    const dry = await call('put', `/deployments/web/scale?namespace=${ns}&dryRun=true`, operator, {
      replicas: 5,
    });
    expect(dry.status).toBe(200);
    expect(dry.body.data).toMatchObject({ dryRun: true, result: { spec: { replicas: 5 } } });
    expect(deployment().spec.replicas).toBe(2);
    await expect(
      call('put', `/deployments/web/scale?namespace=${ns}`, operator, { replicas: 5 }),
    ).resolves.toMatchObject({ status: 200, body: { data: { action: 'scale', dryRun: false } } });
    expect(deployment().spec.replicas).toBe(5);
    await eventually(
      '5 running web pods',
      () => (running(ns, 'app=web').length === 5 ? true : undefined),
      { timeoutMs: 60_000 },
    );
  }, 90_000);

  it('refuses a stale resourceVersion with 409 and a negative count with 400', async () => {
    await expect(
      call('put', `/deployments/web/scale?namespace=${ns}`, operator, {
        replicas: 3,
        resourceVersion: '1',
      }),
    ).resolves.toMatchObject({ status: 409, body: { code: 'K8S_CONFLICT' } });
    await expect(
      call('put', `/deployments/web/scale?namespace=${ns}`, operator, { replicas: -1 }),
    ).resolves.toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    await expect(
      call('put', `/configmaps/x/scale?namespace=${ns}`, operator, { replicas: 1 }),
    ).resolves.toMatchObject({ status: 405, body: { code: 'METHOD_NOT_ALLOWED' } });
  });

  it('restarts a rollout by changing the template annotation, and not on dryRun', async () => {
    const annotation = () =>
      deployment().spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'];
    await call('post', `/deployments/web/restart?namespace=${ns}&dryRun=true`, operator).expect(
      200,
    );
    expect(annotation()).toBeUndefined();
    await call('post', `/deployments/web/restart?namespace=${ns}`, operator).expect(200);
    expect(Date.parse(annotation())).not.toBeNaN();
  });

  it('cordons and uncordons a node', async () => {
    const node = JSON.parse(kubectlOk('admin', ['get', 'nodes', '-o', 'json'])).items[0].metadata
      .name;
    const unschedulable = () =>
      JSON.parse(kubectlOk('admin', ['get', 'node', node, '-o', 'json'])).spec.unschedulable ===
      true;
    try {
      await call('post', `/nodes/${node}/cordon`, operator).expect(200);
      expect(unschedulable()).toBe(true);
    } finally {
      await call('post', `/nodes/${node}/uncordon`, operator).expect(200);
    }
    expect(unschedulable()).toBe(false);
  });

  it('refuses an eviction that a PodDisruptionBudget forbids, and deletes a pod on request', async () => {
    kubectlOk('admin', [
      'create',
      'pdb',
      'web-all',
      '-n',
      ns,
      '--selector=app=web',
      '--min-available=100%',
    ]);
    // The restart above rolls the Deployment: a pod of the old ReplicaSet, Running now, may be
    // deleted by the rollout before the eviction reaches it (a 404 instead of the PDB's refusal).
    kubectlOk('admin', ['-n', ns, 'rollout', 'status', 'deployment/web', '--timeout=90s']);
    const pod = running(ns, 'app=web')[0].metadata.name;
    await eventually(
      'PDB observed',
      () =>
        JSON.parse(kubectlOk('admin', ['get', 'pdb', 'web-all', '-n', ns, '-o', 'json'])).status
          ?.observedGeneration
          ? true
          : undefined,
      { timeoutMs: 30_000 },
    );
    await expect(
      call('post', `/pods/${pod}/evict?namespace=${ns}`, operator),
    ).resolves.toMatchObject({ status: 409, body: { code: 'K8S_DISRUPTION_BUDGET_VIOLATION' } });
    await call('delete', `/pods/${pod}?namespace=${ns}&dryRun=true`, operator).expect(200);
    expect(kubectlOk('admin', ['get', 'pod', pod, '-n', ns, '-o', 'name']).trim()).toBe(
      `pod/${pod}`,
    );
    await call('delete', `/pods/${pod}?namespace=${ns}`, operator).expect(200);
  });

  it('refuses every action to a viewer, and audits every operator action', async () => {
    const node = JSON.parse(kubectlOk('admin', ['get', 'nodes', '-o', 'json'])).items[0].metadata
      .name;
    const attempts: Array<['put' | 'post' | 'delete', string, object?]> = [
      ['put', `/deployments/web/scale?namespace=${ns}`, { replicas: 1 }],
      ['post', `/deployments/web/restart?namespace=${ns}`],
      ['delete', `/pods/anything?namespace=${ns}`],
      ['post', `/pods/anything/evict?namespace=${ns}`],
      ['post', `/nodes/${node}/cordon`],
      ['post', `/nodes/${node}/uncordon`],
    ];
    for (const [method, path, body] of attempts)
      await expect(call(method, path, viewer, body)).resolves.toMatchObject({
        status: 403,
        body: { code: 'FORBIDDEN' },
      });
    let entries: Array<{ route: string; resultCode: string }> = [];
    for (let i = 0; i < 50 && entries.length < 8; i++) {
      entries = (
        await t.http().get('/api/v1/audit?actor=act-operator&limit=500').set(bearer(ADMIN_TOKEN))
      ).body.data.items;
      await new Promise((r) => setTimeout(r, 50));
    }
    const routes = new Set(entries.map((e) => e.route));
    for (const route of [
      '/api/v1/clusters/:clusterId/resources/:kind/:name/scale',
      '/api/v1/clusters/:clusterId/resources/:kind/:name/restart',
      '/api/v1/clusters/:clusterId/resources/pods/:name',
      '/api/v1/clusters/:clusterId/resources/pods/:name/evict',
      '/api/v1/clusters/:clusterId/resources/nodes/:name/cordon',
    ]) {
      expect([route, routes.has(route)]).toEqual([route, true]);
    }
    const viewerEntries = (
      await t
        .http()
        .get('/api/v1/audit?actor=act-viewer&resultCode=FORBIDDEN')
        .set(bearer(ADMIN_TOKEN))
    ).body.data.items;
    expect(viewerEntries.length).toBe(attempts.length);
  });
});
