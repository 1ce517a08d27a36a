import { randomBytes } from 'node:crypto';
import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import { createNamespace, deleteNamespace, kubectl, kubectlOk } from './support/test-cluster';

describe('apply through the API', () => {
  let t: TestApp;
  let ns: string;
  let operator: string;
  const canary = `canary-${randomBytes(10).toString('hex')}`;
  const apply = (manifest: string, query = '', token = operator) =>
    t.http().post(`/api/v1/clusters/ap/apply${query}`).set(bearer(token)).send({ manifest });
  const configMap = (value: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: "${value}"\n`;

  beforeAll(async () => {
    t = await startServer();
    await register(t, 'ap');
    ns = createNamespace('apply');
    operator = (
      await t
        .http()
        .post('/api/v1/auth/tokens')
        .set(bearer(ADMIN_TOKEN))
        .send({ name: 'ap-operator', role: 'operator' })
    ).body.data.token;
  });
  afterAll(async () => {
    deleteNamespace(ns);
    await t.close();
  });

  it('creates several objects with server-side apply under the cloudpilot field manager', async () => {
    const res = await apply(
      `${configMap('a')}---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec: {containers: [{name: api, image: "registry.example/api:1"}]}\n`,
      `?namespace=${ns}`,
    );
    expect(res.status).toBe(200);
    expect(
      res.body.data.items.map((i: { kind: string; name: string }) => `${i.kind}/${i.name}`),
    ).toEqual(['ConfigMap/settings', 'Deployment/api']);
    const stored = JSON.parse(
      kubectlOk('admin', [
        'get',
        'configmap',
        'settings',
        '-n',
        ns,
        '-o',
        'json',
        '--show-managed-fields',
      ]),
    );
    expect(stored.data.mode).toBe('a');
    expect(stored.metadata.managedFields.map((f: { manager: string }) => f.manager)).toContain(
      'cloudpilot',
    );
  });

  it('previews a change with dryRun: what would be stored plus a diff, storing nothing', async () => {
    const res = await apply(configMap('b'), `?namespace=${ns}&dryRun=true`);
    expect(res.status).toBe(200);
    expect(res.body.data.items[0]).toMatchObject({
      outcome: 'configured',
      object: { data: { mode: 'b' } },
      diff: [{ path: 'data.mode', op: 'replace', from: 'a', to: 'b' }],
    });
    expect(
      JSON.parse(kubectlOk('admin', ['get', 'configmap', 'settings', '-n', ns, '-o', 'json'])).data
        .mode,
    ).toBe('a');
    const unchanged = await apply(configMap('a'), `?namespace=${ns}&dryRun=true`);
    expect(unchanged.body.data.items[0]).toMatchObject({ outcome: 'unchanged', diff: [] });
    const created = await apply(
      configMap('a').replace('settings', 'brand-new'),
      `?namespace=${ns}&dryRun=true`,
    );
    expect(created.body.data.items[0].outcome).toBe('created');
    expect(kubectl('admin', ['get', 'configmap', 'brand-new', '-n', ns]).status).not.toBe(0);
  });

  it('changes nothing when any document of the manifest is invalid', async () => {
    const res = await apply(
      `${configMap('c')}---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: broken}\nspec: {replicas: -3, selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i}]}}}\n`,
      `?namespace=${ns}`,
    );
    expect([res.status, res.body.code]).toEqual([422, 'K8S_INVALID']);
    expect(
      JSON.parse(kubectlOk('admin', ['get', 'configmap', 'settings', '-n', ns, '-o', 'json'])).data
        .mode,
    ).toBe('a');
  });

  it('never returns a Secret value it applied, not even in the diff', async () => {
    const secret = `apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\nstringData: {password: "${canary}"}\n`;
    const dry = await apply(secret, `?namespace=${ns}&dryRun=true`);
    const real = await apply(secret, `?namespace=${ns}`);
    for (const res of [dry, real]) {
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toContain(canary);
      expect(JSON.stringify(res.body)).not.toContain(Buffer.from(canary).toString('base64'));
    }
    expect(real.body.data.items[0].object).toMatchObject({ kind: 'Secret', keys: ['password'] });
    expect(t.rawLogs()).not.toContain(canary);
  });

  it('refuses bad manifests, unknown kinds and viewers clearly', async () => {
    await expect(apply('kind: ConfigMap', `?namespace=${ns}`)).resolves.toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED' },
    });
    await expect(apply(configMap('x'))).resolves.toMatchObject({
      status: 400,
      body: { details: [expect.objectContaining({ field: 'manifest[0].metadata.namespace' })] },
    });
    await expect(
      apply('apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n', `?namespace=${ns}`),
    ).resolves.toMatchObject({ status: 404, body: { code: 'K8S_NOT_FOUND' } });
    const viewer = (
      await t
        .http()
        .post('/api/v1/auth/tokens')
        .set(bearer(ADMIN_TOKEN))
        .send({ name: 'ap-viewer', role: 'viewer' })
    ).body.data.token;
    await expect(apply(configMap('v'), `?namespace=${ns}`, viewer)).resolves.toMatchObject({
      status: 403,
    });
  });
});
