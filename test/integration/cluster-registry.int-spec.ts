import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { parse } from 'yaml';
import {
  ADMIN_TOKEN,
  bearer,
  kubeconfigText,
  newEncryptionKey,
  register,
  startServer,
  TestApp,
} from './support/cloudpilot-app';
import { startTestApp } from '../e2e/support/test-app';
import { ClusterDirectory } from '../../src/cluster-registry/cluster-directory';

// Several tests start whole servers (and the CLI) one after another: seconds each on a busy machine.
jest.setTimeout(60_000);

const admin = () => parse(kubeconfigText('admin')) as Record<string, any>;
const userOf = (kc: Record<string, any>) => kc.users[0].user as Record<string, unknown>;
const clusterOf = (kc: Record<string, any>) => kc.clusters[0].cluster as Record<string, unknown>;
const asText = (kc: unknown) => JSON.stringify(kc);

async function clusterRows(t: TestApp): Promise<number> {
  return t.app
    .get(DataSource)
    .query('SELECT COUNT(*) AS n FROM cluster')
    .then((r: Array<{ n: number }>) => Number(r[0].n));
}

describe('the cluster registry against the real test cluster', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startServer()));
  afterAll(() => t.close());

  it('registers from admin.kubeconfig, tests, lists, gets by id and name, patches, sets default and deletes', async () => {
    const res = await t
      .http()
      .post('/api/v1/clusters')
      .set(bearer(ADMIN_TOKEN))
      .send({ name: 'crud', kubeconfig: kubeconfigText('admin'), labels: { env: 'test' } });
    expect(res.status).toBe(201);
    const body = JSON.stringify(res.body);
    const user = userOf(admin());
    for (const secret of [user['client-key-data'], user['client-certificate-data']] as string[])
      expect(body).not.toContain(secret.slice(0, 40));
    const cluster = res.body.data;
    expect(cluster).toMatchObject({
      name: 'crud',
      authType: 'clientCertificate',
      isDefault: true,
      labels: { env: 'test' },
      status: { state: 'connected' },
    });
    expect(cluster.status.kubernetesVersion).toMatch(/^v1\.36\./);

    const test = await t
      .http()
      .post(`/api/v1/clusters/${cluster.id}/test`)
      .set(bearer(ADMIN_TOKEN));
    expect(test.status).toBe(200);
    expect(test.body.data.kubernetesVersion).toMatch(/^v1\.36\./);
    expect(test.body.data.permissions).toMatchObject({
      overview: true,
      overviewSecrets: true,
      scale: true,
      istioRead: true,
    });

    await expect(t.http().get('/api/v1/clusters').set(bearer(ADMIN_TOKEN))).resolves.toMatchObject({
      body: { data: [expect.objectContaining({ id: cluster.id })] },
    });
    await expect(
      t.http().get(`/api/v1/clusters/${cluster.id}`).set(bearer(ADMIN_TOKEN)),
    ).resolves.toMatchObject({ status: 200, body: { data: { name: 'crud' } } });
    await expect(
      t.http().get('/api/v1/clusters/crud').set(bearer(ADMIN_TOKEN)),
    ).resolves.toMatchObject({ status: 200, body: { data: { id: cluster.id } } });
    await expect(
      t
        .http()
        .patch('/api/v1/clusters/crud')
        .set(bearer(ADMIN_TOKEN))
        .send({ displayName: 'CRUD cluster' }),
    ).resolves.toMatchObject({ status: 200, body: { data: { displayName: 'CRUD cluster' } } });

    const other = await register(t, 'crud-2', 'viewer');
    expect(other.isDefault).toBe(false);
    await expect(
      t.http().post('/api/v1/clusters/crud-2/default').set(bearer(ADMIN_TOKEN)),
    ).resolves.toMatchObject({ status: 200, body: { data: { isDefault: true } } });
    await expect(
      t.http().get('/api/v1/clusters/crud').set(bearer(ADMIN_TOKEN)),
    ).resolves.toMatchObject({ body: { data: { isDefault: false } } });

    await expect(
      t.http().delete('/api/v1/clusters/crud').set(bearer(ADMIN_TOKEN)),
    ).resolves.toMatchObject({ status: 200 });
    await expect(
      t.http().delete('/api/v1/clusters/crud-2').set(bearer(ADMIN_TOKEN)),
    ).resolves.toMatchObject({ status: 200 });
    await expect(
      t.http().get('/api/v1/clusters/crud').set(bearer(ADMIN_TOKEN)),
    ).resolves.toMatchObject({ status: 404, body: { code: 'CLUSTER_NOT_FOUND' } });
  });

  it('refuses a duplicate name, a bad clusterId and viewer writes', async () => {
    await register(t, 'dup');
    await expect(
      t
        .http()
        .post('/api/v1/clusters')
        .set(bearer(ADMIN_TOKEN))
        .send({ name: 'dup', kubeconfig: kubeconfigText('admin') }),
    ).resolves.toMatchObject({ status: 409, body: { code: 'CLUSTER_NAME_TAKEN' } });
    await expect(
      t.http().get('/api/v1/clusters/Not_A_Name!').set(bearer(ADMIN_TOKEN)),
    ).resolves.toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    const viewer = (
      await t
        .http()
        .post('/api/v1/auth/tokens')
        .set(bearer(ADMIN_TOKEN))
        .send({ name: 'reg-viewer', role: 'viewer' })
    ).body.data.token;
    await expect(t.http().get('/api/v1/clusters').set(bearer(viewer))).resolves.toMatchObject({
      status: 200,
    });
    await expect(
      t.http().delete('/api/v1/clusters/dup').set(bearer(viewer)),
    ).resolves.toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
  });

  const hostile: Array<[string, string, (kc: Record<string, any>) => void]> = [
    [
      'an exec plugin',
      'KUBECONFIG_EXEC_FORBIDDEN',
      (kc) =>
        (kc.users[0].user = {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1',
            command: 'sh',
            args: ['-c', 'id'],
          },
        }),
    ],
    [
      'an auth-provider',
      'KUBECONFIG_AUTH_PROVIDER_FORBIDDEN',
      (kc) => (kc.users[0].user = { 'auth-provider': { name: 'oidc', config: {} } }),
    ],
    [
      'a tokenFile',
      'KUBECONFIG_FILE_REFERENCE_FORBIDDEN',
      (kc) =>
        (kc.users[0].user = { tokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token' }),
    ],
    [
      'a client key file path',
      'KUBECONFIG_FILE_REFERENCE_FORBIDDEN',
      (kc) =>
        (kc.users[0].user = { 'client-certificate': '/etc/passwd', 'client-key': '/etc/shadow' }),
    ],
    [
      'a CA file path',
      'KUBECONFIG_FILE_REFERENCE_FORBIDDEN',
      (kc) => (clusterOf(kc)['certificate-authority'] = '/etc/ssl/ca.pem'),
    ],
    [
      'an unknown context',
      'KUBECONFIG_CONTEXT_NOT_FOUND',
      (kc) => (kc['current-context'] = 'nope'),
    ],
    [
      'a plain http server',
      'CLUSTER_URL_INSECURE_SCHEME',
      (kc) => (clusterOf(kc).server = 'http://127.0.0.1:6443'),
    ],
    [
      'a metadata address',
      'CLUSTER_URL_FORBIDDEN_ADDRESS',
      (kc) => (clusterOf(kc).server = 'https://169.254.169.254'),
    ],
    [
      'a link-local IPv6 address',
      'CLUSTER_URL_FORBIDDEN_ADDRESS',
      (kc) => (clusterOf(kc).server = 'https://[fe80::1]:6443'),
    ],
    [
      '0.0.0.0',
      'CLUSTER_URL_FORBIDDEN_ADDRESS',
      (kc) => (clusterOf(kc).server = 'https://0.0.0.0:6443'),
    ],
    [
      'a multicast address',
      'CLUSTER_URL_FORBIDDEN_ADDRESS',
      (kc) => (clusterOf(kc).server = 'https://224.0.0.1'),
    ],
    [
      'insecure-skip-tls-verify',
      'KUBECONFIG_INSECURE_TLS_FORBIDDEN',
      (kc) => (clusterOf(kc)['insecure-skip-tls-verify'] = true),
    ],
  ];

  it.each(hostile)(
    'refuses a kubeconfig with %s as %s and stores nothing',
    async (_what, code, mutate) => {
      const before = await clusterRows(t);
      const kc = admin();
      mutate(kc);
      const res = await t
        .http()
        .post('/api/v1/clusters')
        .set(bearer(ADMIN_TOKEN))
        .send({ name: 'hostile', kubeconfig: asText(kc) });
      expect([res.status, res.body.code]).toEqual([400, code]);
      expect(await clusterRows(t)).toBe(before);
    },
  );

  it('refuses loopback API servers unless the operator allows them', async () => {
    const strict = await startTestApp({ env: { CLOUDPILOT_ENCRYPTION_KEY: newEncryptionKey() } });
    try {
      const res = await strict
        .http()
        .post('/api/v1/clusters')
        .set(bearer(ADMIN_TOKEN))
        .send({ name: 'loop', kubeconfig: kubeconfigText('admin') });
      expect([res.status, res.body.code]).toEqual([400, 'CLUSTER_URL_LOOPBACK_FORBIDDEN']);
    } finally {
      await strict.close();
    }
  });

  it('imports every context of a kubeconfig as one cluster each', async () => {
    const a = admin();
    const v = parse(kubeconfigText('viewer')) as Record<string, any>;
    const merged = {
      ...a,
      clusters: [...a.clusters, ...v.clusters.map((c: any) => ({ ...c, name: `${c.name}-v` }))],
      users: [...a.users, ...v.users],
      contexts: [
        ...a.contexts,
        ...v.contexts.map((c: any) => ({
          ...c,
          context: { ...c.context, cluster: `${c.context.cluster}-v` },
        })),
      ],
    };
    const res = await t
      .http()
      .post('/api/v1/clusters/import')
      .set(bearer(ADMIN_TOKEN))
      .send({ kubeconfig: asText(merged) });
    expect(res.status).toBe(201);
    expect(res.body.data.map((c: { name: string }) => c.name).sort()).toEqual(
      merged.contexts.map((c: any) => c.name).sort(),
    );
  });

  it('maps a Secret read refused by RBAC to K8S_FORBIDDEN for a viewer-registered cluster', async () => {
    const viewer = await register(t, 'viewer-only', 'viewer');
    const test = await t.http().post(`/api/v1/clusters/${viewer.id}/test`).set(bearer(ADMIN_TOKEN));
    expect(test.body.data.permissions).toMatchObject({
      overview: true,
      overviewSecrets: false,
      scale: false,
    });
    const client = await t.app.get(ClusterDirectory).client('viewer-only');
    await expect(
      client.request({ path: '/api/v1/namespaces/default/secrets' }),
    ).rejects.toMatchObject({ code: 'K8S_FORBIDDEN', status: 403 });
  });
});

describe('unreachable clusters', () => {
  let t: TestApp;
  let hanging: Server;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    t = await startServer();
    await register(t, 'real');
    hanging = createServer((socket) => sockets.push(socket)); // accepts, never answers
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    sockets.forEach((s) => s.destroy());
    await new Promise((r) => hanging.close(r));
    await t.close();
  });

  function registerAt(name: string, server: string) {
    return t
      .http()
      .post('/api/v1/clusters?skipTest=true')
      .set(bearer(ADMIN_TOKEN))
      .send({ name, credentials: { server, token: 'not-a-real-token' } });
  }

  it('times out a silent API server within the deadline while the real cluster answers', async () => {
    const port = (hanging.address() as { port: number }).port;
    await expect(registerAt('silent', `https://127.0.0.1:${port}`)).resolves.toMatchObject({
      status: 201,
      body: { data: { status: { state: 'unknown' } } },
    });
    const started = Date.now();
    const silent = t
      .http()
      .post('/api/v1/clusters/silent/test')
      .set(bearer(ADMIN_TOKEN))
      .then((res) => ({ res, ms: Date.now() - started }));
    const realTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const s = Date.now();
      await expect(
        t.http().post('/api/v1/clusters/real/test').set(bearer(ADMIN_TOKEN)),
      ).resolves.toMatchObject({ status: 200 });
      realTimes.push(Date.now() - s);
    }
    const { res, ms } = await silent;
    expect([res.status, res.body.code]).toEqual([504, 'CLUSTER_TIMEOUT']);
    expect(ms).toBeLessThan(11_000);
    expect(ms).toBeGreaterThanOrEqual(9_000);
    expect(Math.max(...realTimes)).toBeLessThan(3_000);
    await expect(
      t.http().get('/api/v1/clusters/silent').set(bearer(ADMIN_TOKEN)),
    ).resolves.toMatchObject({
      body: { data: { status: { state: 'error', errorCode: 'CLUSTER_TIMEOUT' } } },
    });
  }, 30_000);

  it('reports a closed port as CLUSTER_UNREACHABLE at once', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    await registerAt('closed', `https://127.0.0.1:${port}`).expect(201);
    const started = Date.now();
    const res = await t.http().post('/api/v1/clusters/closed/test').set(bearer(ADMIN_TOKEN));
    expect([res.status, res.body.code]).toEqual([503, 'CLUSTER_UNREACHABLE']);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('refuses to register an unreachable cluster without skipTest and stores nothing', async () => {
    const res = await t
      .http()
      .post('/api/v1/clusters')
      .set(bearer(ADMIN_TOKEN))
      .send({ name: 'never', credentials: { server: 'https://127.0.0.1:1', token: 'x' } });
    expect([res.status, res.body.code]).toEqual([503, 'CLUSTER_UNREACHABLE']);
    await expect(
      t.http().get('/api/v1/clusters/never').set(bearer(ADMIN_TOKEN)),
    ).resolves.toMatchObject({ status: 404 });
  });
});

describe('credentials at rest', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'cp-keys-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const dbUrl = () => `sqlite:///${join(dir, 'cloudpilot.db')}`;

  it('are unreadable in the SQLite file, survive a restart with the right key and stop one with a wrong key', async () => {
    const key = newEncryptionKey();
    const first = await startServer({ DATABASE_URL: dbUrl(), CLOUDPILOT_ENCRYPTION_KEY: key });
    await register(first, 'by-cert', 'admin');
    await register(first, 'by-token', 'viewer');
    await first.close();

    const bytes = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f)).toString('latin1'))
      .join('\n');
    const cert = userOf(admin());
    const keyPem = Buffer.from(cert['client-key-data'] as string, 'base64').toString('utf8');
    const viewerToken = userOf(parse(kubeconfigText('viewer'))).token as string;
    expect(bytes).toContain('by-cert');
    for (const secret of [
      viewerToken,
      cert['client-key-data'] as string,
      keyPem.split('\n')[1],
      key,
    ])
      expect(bytes).not.toContain(secret);

    await expect(
      startServer({ DATABASE_URL: dbUrl(), CLOUDPILOT_ENCRYPTION_KEY: newEncryptionKey() }),
    ).rejects.toThrow(/not the key that encrypted 2 stored cluster credential/);
    await expect(
      startServer({
        DATABASE_URL: dbUrl(),
        CLOUDPILOT_ENCRYPTION_KEY: undefined as never,
        CLOUDPILOT_ENCRYPTION_KEY_FILE: join(dir, 'missing.key'),
      }),
    ).rejects.toThrow(/no encryption key is configured/);

    const again = await startServer({ DATABASE_URL: dbUrl(), CLOUDPILOT_ENCRYPTION_KEY: key });
    try {
      await expect(
        again.http().post('/api/v1/clusters/by-cert/test').set(bearer(ADMIN_TOKEN)),
      ).resolves.toMatchObject({ status: 200 });
      await expect(
        again.http().post('/api/v1/clusters/by-token/test').set(bearer(ADMIN_TOKEN)),
      ).resolves.toMatchObject({ status: 200 });
    } finally {
      await again.close();
    }
  });

  it('keep working after `cloudpilot rotate-encryption-key`, which moves every row to the new key', async () => {
    const keyFile = join(dir, 'cloudpilot.key');
    const rotDb = `sqlite:///${join(dir, 'rotate.db')}`;
    writeFileSync(keyFile, `${newEncryptionKey()}\n`);
    const env = {
      DATABASE_URL: rotDb,
      CLOUDPILOT_ENCRYPTION_KEY: undefined as never,
      CLOUDPILOT_ENCRYPTION_KEY_FILE: keyFile,
      CLOUDPILOT_ALLOW_PLAIN_HTTP_LOOPBACK: 'true',
      CLOUDPILOT_NOTIFICATIONS_ALLOW_LOOPBACK_TARGETS: 'true',
    };
    const first = await startServer(env);
    await register(first, 'rot-a');
    await register(first, 'rot-b', 'viewer');
    // A Prometheus source is sealed under the same key and must move with the credentials.
    const source = await first
      .http()
      .put('/api/v1/clusters/rot-a/telemetry/source')
      .set(bearer(ADMIN_TOKEN))
      .send({ type: 'url', url: 'http://127.0.0.1:1', bearerToken: 'rotation-canary-token' });
    expect(source.status).toBe(200);
    // So is a notification route's target (its URL and signing secret).
    const route = await first
      .http()
      .post('/api/v1/notifications/routes')
      .set(bearer(ADMIN_TOKEN))
      .send({
        name: 'rotation',
        target: { type: 'webhook', url: 'http://127.0.0.1:1/hook', secret: 'rotation-canary-key' },
      });
    expect(route.status).toBe(201);
    await first.close();

    const newKeyFile = join(dir, 'new.key');
    writeFileSync(newKeyFile, `${newEncryptionKey()}\n`);
    const main = join(__dirname, '..', '..', 'dist', 'main.js');
    const res = spawnSync(
      process.execPath,
      [main, 'rotate-encryption-key', '--new-key-file', newKeyFile],
      {
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          DATABASE_URL: rotDb,
          CLOUDPILOT_ENCRYPTION_KEY_FILE: keyFile,
        },
      },
    );
    expect([res.status, res.stderr]).toEqual([0, '']);
    expect(res.stdout).toMatch(
      /re-encrypted 2 cluster credential\(s\) and 2 other sealed secret\(s\)/,
    );
    expect(readFileSync(keyFile, 'utf8')).toBe(readFileSync(newKeyFile, 'utf8'));

    await expect(
      startServer({ ...env, CLOUDPILOT_ENCRYPTION_KEY_FILE: `${keyFile}.old` }),
    ).rejects.toThrow(/not the key that encrypted/);
    const after = await startServer(env);
    try {
      for (const name of ['rot-a', 'rot-b'])
        await expect(
          after.http().post(`/api/v1/clusters/${name}/test`).set(bearer(ADMIN_TOKEN)),
        ).resolves.toMatchObject({ status: 200 });
      // Opened under the new key: the source is tried (nothing listens there), not refused.
      const tried = await after
        .http()
        .post('/api/v1/clusters/rot-a/telemetry/source/test')
        .set(bearer(ADMIN_TOKEN));
      expect(tried.body.data.telemetry.error.code).toBe('PROMETHEUS_UNREACHABLE');
      // The route's target opens under the new key: listed with its host, still signed.
      const listed = await after
        .http()
        .get(`/api/v1/notifications/routes/${route.body.data.id}`)
        .set(bearer(ADMIN_TOKEN));
      expect([listed.status, listed.body.data.target]).toEqual([
        200,
        expect.objectContaining({ host: '127.0.0.1:1', signed: true }),
      ]);
    } finally {
      await after.close();
    }
  }, 60_000);
});

describe('instant mode', () => {
  it('serves exactly one cluster "local" from KUBECONFIG, connected, with a read-only registry', async () => {
    const dir = process.env.CLOUDPILOT_TEST_KUBECONFIG_DIR!;
    const t = await startTestApp({
      argv: ['--mode', 'instant'],
      env: { KUBECONFIG: join(dir, 'admin.kubeconfig') },
    });
    try {
      let clusters: Array<Record<string, any>> = [];
      for (let i = 0; i < 50 && clusters[0]?.status.state !== 'connected'; i++) {
        clusters = (await t.http().get('/api/v1/clusters').set(bearer(ADMIN_TOKEN))).body.data;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(clusters).toEqual([
        expect.objectContaining({
          id: 'local',
          name: 'local',
          status: expect.objectContaining({ state: 'connected' }),
        }),
      ]);
      await expect(
        t.http().post('/api/v1/clusters/local/test').set(bearer(ADMIN_TOKEN)),
      ).resolves.toMatchObject({ status: 200, body: { data: { reachable: true } } });
      await expect(
        t
          .http()
          .post('/api/v1/clusters')
          .set(bearer(ADMIN_TOKEN))
          .send({ name: 'x', kubeconfig: 'x' }),
      ).resolves.toMatchObject({ status: 405, body: { code: 'NOT_AVAILABLE_IN_INSTANT_MODE' } });
      await expect(
        t.http().delete('/api/v1/clusters/local').set(bearer(ADMIN_TOKEN)),
      ).resolves.toMatchObject({ status: 405 });
      await expect(
        t.http().get('/api/v1/clusters/other').set(bearer(ADMIN_TOKEN)),
      ).resolves.toMatchObject({ status: 404, body: { code: 'CLUSTER_NOT_FOUND' } });
    } finally {
      await t.close();
    }
  });

  it('refuses to start without any cluster source, naming the three options', async () => {
    await expect(
      startTestApp({ argv: ['--mode', 'instant'], env: { KUBECONFIG: '/nonexistent/kubeconfig' } }),
    ).rejects.toThrow(/K8S_IN_CLUSTER.*K8S_API_SERVER.*KUBECONFIG/);
  });
});
