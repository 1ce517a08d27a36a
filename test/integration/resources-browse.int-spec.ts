import { randomBytes } from 'node:crypto';
import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import { createNamespace, deleteNamespace, kubectl, kubectlOk } from './support/test-cluster';

describe('browsing resources through the generic routes', () => {
  let t: TestApp;
  let ns: string;
  let viewer: string;
  const canary = `canary-${randomBytes(12).toString('hex')}`;
  const base = '/api/v1/clusters/browse/resources';
  const get = (path: string, token = ADMIN_TOKEN) =>
    t.http().get(`${base}${path}`).set(bearer(token));

  /** Follows the continue token to the end; returns every item name and the number of pages. */
  async function listAll(path: string): Promise<{ names: string[]; pages: number }> {
    const names: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const res = await get(`${path}${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
      expect(res.status).toBe(200);
      names.push(
        ...res.body.data.items.map((i: { metadata: { name: string } }) => i.metadata.name),
      );
      token = res.body.data.continue;
      pages++;
    } while (token);
    return { names, pages };
  }

  beforeAll(async () => {
    t = await startServer();
    await register(t, 'browse');
    ns = createNamespace('browse');
    const configMaps = Array.from(
      { length: 1200 },
      (_, i) =>
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n  labels: { tier: ${i % 2 ? 'odd' : 'even'} }\ndata: { i: "${i}" }`,
    ).join('\n---\n');
    kubectlOk('admin', ['apply', '-n', ns, '--server-side', '-f', '-'], { input: configMaps });
    kubectlOk('admin', [
      'create',
      'secret',
      'generic',
      'planted',
      '-n',
      ns,
      `--from-literal=password=${canary}`,
      '--save-config',
    ]);
    kubectlOk('admin', ['apply', '-n', ns, '-f', '-'], {
      input: `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: vs-browse }\nspec: { hosts: [web.example.com], http: [{ route: [{ destination: { host: web } }] }] }`,
    });
    viewer = (
      await t
        .http()
        .post('/api/v1/auth/tokens')
        .set(bearer(ADMIN_TOKEN))
        .send({ name: 'browse-viewer', role: 'viewer' })
    ).body.data.token;
  }, 180_000);
  afterAll(async () => {
    deleteNamespace(ns);
    await t.close();
  });

  it('lists the served kinds, CRDs included', async () => {
    const res = await get('');
    expect(res.status).toBe(200);
    const keys = res.body.data.map((k: { key: string }) => k.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'pods',
        'deployments.apps',
        'virtualservices.networking.istio.io',
        'httproutes.gateway.networking.k8s.io',
      ]),
    );
    expect(keys).not.toContain('pods/log');
  });

  it('returns each of 1,200 ConfigMaps exactly once in pages of 500 through the continue token', async () => {
    const { names, pages } = await listAll(`/configmaps?namespace=${ns}&limit=500`);
    const mine = names.filter((n) => n.startsWith('cm-'));
    expect(pages).toBe(3);
    expect(mine).toHaveLength(1200);
    expect(new Set(mine).size).toBe(1200);
  });

  it('filters with label and field selectors as kubectl does', async () => {
    const byLabel = await listAll(`/configmaps?namespace=${ns}&labelSelector=tier%3Dodd&limit=500`);
    const expected = JSON.parse(
      kubectlOk('admin', ['get', 'configmaps', '-n', ns, '-l', 'tier=odd', '-o', 'json']),
    ).items.map((i: { metadata: { name: string } }) => i.metadata.name);
    expect(byLabel.names.sort()).toEqual(expected.sort());
    expect(expected).toHaveLength(600);
    const byField = await get(`/configmaps?namespace=${ns}&fieldSelector=metadata.name%3Dcm-7`);
    expect(
      byField.body.data.items.map((i: { metadata: { name: string } }) => i.metadata.name),
    ).toEqual(['cm-7']);
  });

  it('reads a CRD object (an Istio VirtualService) through the generic route, slimmed by default', async () => {
    const res = await get(`/virtualservices/vs-browse?namespace=${ns}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      kind: 'VirtualService',
      spec: { hosts: ['web.example.com'] },
    });
    expect(res.body.data.metadata.managedFields).toBeUndefined();
    const full = await get(
      `/virtualservices.networking.istio.io/vs-browse?namespace=${ns}&view=full`,
    );
    expect(full.body.data.metadata.managedFields).toBeDefined();
  });

  it('never returns the planted Secret value, in any view of list or get', async () => {
    const bodies: string[] = [];
    for (const view of ['slim', 'full', 'summary']) {
      bodies.push(
        JSON.stringify((await get(`/secrets/planted?namespace=${ns}&view=${view}`)).body),
      );
      bodies.push(JSON.stringify((await get(`/secrets?namespace=${ns}&view=${view}`)).body));
      bodies.push(JSON.stringify((await get(`/secrets?view=${view}&limit=500`)).body));
    }
    for (const body of bodies) expect(body).not.toContain(canary);
    expect(bodies.join()).not.toContain(Buffer.from(canary).toString('base64'));
    expect(JSON.parse(bodies[0]).data).toMatchObject({
      kind: 'Secret',
      keys: ['password'],
      type: 'Opaque',
    });
    expect(t.rawLogs()).not.toContain(canary);
  });

  it('summarises pods like kubectl get', async () => {
    kubectlOk('admin', [
      'run',
      'summary-pod',
      '-n',
      ns,
      '--image=registry.example/app:1',
      '--restart=Never',
    ]);
    const res = await get(`/pods?namespace=${ns}&view=summary`);
    expect(res.body.data.items).toEqual([
      expect.objectContaining({
        name: 'summary-pod',
        images: ['registry.example/app:1'],
        ready: expect.stringMatching(/^\d\/1$/),
      }),
    ]);
  });

  it('answers bad input with 400 and field details, and unknown objects with 404', async () => {
    await expect(get('/pods?namespace=Bad_NS')).resolves.toMatchObject({
      status: 400,
      body: {
        code: 'VALIDATION_FAILED',
        details: [expect.objectContaining({ field: 'namespace' })],
      },
    });
    await expect(get('/pods?labelSelector=%3Cscript%3E')).resolves.toMatchObject({
      status: 400,
      body: { details: [expect.objectContaining({ field: 'labelSelector' })] },
    });
    await expect(get('/pods?limit=501')).resolves.toMatchObject({ status: 400 });
    await expect(get('/bad%20kind')).resolves.toMatchObject({
      status: 400,
      body: { details: [expect.objectContaining({ field: 'kind' })] },
    });
    await expect(get('/gateways')).resolves.toMatchObject({
      status: 400,
      body: { message: expect.stringContaining('gateways.networking.istio.io') },
    });
    await expect(get('/configmaps/cm-1')).resolves.toMatchObject({
      status: 400,
      body: { details: [expect.objectContaining({ field: 'namespace' })] },
    });
    await expect(get('/widgets')).resolves.toMatchObject({
      status: 404,
      body: { code: 'K8S_NOT_FOUND' },
    });
    await expect(get(`/configmaps/absent?namespace=${ns}`)).resolves.toMatchObject({
      status: 404,
      body: { code: 'K8S_NOT_FOUND' },
    });
    await expect(
      t.http().get('/api/v1/clusters/nope/resources/pods').set(bearer(ADMIN_TOKEN)),
    ).resolves.toMatchObject({ status: 404, body: { code: 'CLUSTER_NOT_FOUND' } });
  });

  it('lets a viewer browse, and is refused without a token', async () => {
    await expect(get(`/configmaps/cm-1?namespace=${ns}`, viewer)).resolves.toMatchObject({
      status: 200,
    });
    await expect(t.http().get(`${base}/pods`)).resolves.toMatchObject({ status: 401 });
    expect(kubectl('admin', ['get', 'ns', ns]).status).toBe(0);
  });
});
