import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import {
  createServer as createHttpServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo, createServer as createNetServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import { createNamespace, deleteNamespace, kubectlOk } from './support/test-cluster';

/**
 * A Prometheus that is down, silent, refusing or answering too much: every telemetry route still
 * answers within its deadline, with the failure as data, and nothing else waits on it.
 */
const TIMEOUT_S = 2;
const DEADLINE_MS = TIMEOUT_S * 1000 + 1000;
const ROUTES = ['services', 'workloads', 'graph'];
const TOKEN_CANARY = 'canary-prometheus-bearer-3c9d1e77f0a2b4c6';
const PASSWORD_CANARY = 'canary-prometheus-password-8e21f4a9c0d3';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function listen(server: Server | ReturnType<typeof createNetServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function huge(n: number): string {
  const result = Array.from({ length: n }, (_, i) => ({
    metric: { destination_service_name: `s${i}`, destination_service: `s${i}.x.svc.cluster.local` },
    value: [1, '1'],
  }));
  return JSON.stringify({ status: 'success', data: { resultType: 'vector', result } });
}

const ANSWERS: Record<string, Handler> = {
  '4xx': (_q, res) =>
    res
      .writeHead(400, { 'content-type': 'application/json' })
      .end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error' })),
  '5xx': (_q, res) => res.writeHead(503).end('upstream unavailable'),
  auth: (_q, res) => res.writeHead(401).end('Unauthorized'),
  huge: (_q, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(huge(500)),
};

const EXPECTED: Record<string, string> = {
  down: 'PROMETHEUS_UNREACHABLE',
  slow: 'PROMETHEUS_TIMEOUT',
  '4xx': 'PROMETHEUS_BAD_QUERY',
  '5xx': 'PROMETHEUS_ERROR',
  auth: 'PROMETHEUS_AUTH_FAILED',
  huge: 'PROMETHEUS_RESULT_TOO_LARGE',
};

describe('telemetry when Prometheus fails', () => {
  let t: TestApp;
  let dir: string;
  const ports: Record<string, number> = {};
  const servers: Array<{ close(): unknown }> = [];
  const sockets: Socket[] = [];
  const authorizations: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cp-tel-'));
    for (const [name, handler] of Object.entries(ANSWERS)) {
      const server = createHttpServer((req, res) => {
        authorizations.push(String(req.headers.authorization));
        req.resume();
        req.on('end', () => handler(req, res));
      });
      servers.push(server);
      ports[name] = await listen(server);
    }
    // Accepts connections and never answers: the deadline is the only way out.
    const silent = createNetServer((socket) => sockets.push(socket));
    servers.push(silent);
    ports.slow = await listen(silent);
    const closed = createNetServer();
    ports.down = await listen(closed);
    closed.close();
    t = await startServer({
      DATABASE_URL: `sqlite:///${join(dir, 'cloudpilot.db')}`,
      CLOUDPILOT_ALLOW_PLAIN_HTTP_LOOPBACK: 'true',
      CLOUDPILOT_TELEMETRY_QUERY_TIMEOUT_SECONDS: String(TIMEOUT_S),
      CLOUDPILOT_TELEMETRY_MAX_SERIES: '100',
    });
    await register(t, 'tel-a');
    await register(t, 'tel-b');
  }, 60_000);

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    for (const server of servers) server.close();
    await t?.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  const api = (path: string) => t.http().get(`/api/v1${path}`).set(bearer(ADMIN_TOKEN));

  async function pointAt(kind: string): Promise<void> {
    const res = await t
      .http()
      .put('/api/v1/clusters/tel-a/telemetry/source')
      .set(bearer(ADMIN_TOKEN))
      .send({ type: 'url', url: `http://127.0.0.1:${ports[kind]}`, bearerToken: TOKEN_CANARY });
    expect(res.status).toBe(200);
  }

  it('a cluster without a source answers notConfigured, not an error', async () => {
    for (const route of ROUTES) {
      const res = await api(`/clusters/tel-b/telemetry/${route}`);
      expect([route, res.status, res.body.data.telemetry.state]).toEqual([
        route,
        200,
        'notConfigured',
      ]);
    }
  });

  it.each(Object.keys(EXPECTED))(
    'Prometheus %s: every route answers within its deadline with the error as data',
    async (kind) => {
      await pointAt(kind);
      const answers = await Promise.all(
        ROUTES.map(async (route) => {
          const started = Date.now();
          const res = await api(`/clusters/tel-a/telemetry/${route}`);
          return { route, ms: Date.now() - started, res };
        }),
      );
      for (const { route, ms, res } of answers) {
        expect([route, res.status, res.body.data.telemetry.state]).toEqual([route, 200, 'error']);
        expect([route, res.body.data.telemetry.error.code]).toEqual([route, EXPECTED[kind]]);
        expect([route, ms < DEADLINE_MS + 500]).toEqual([route, true]);
      }
      const test = await t
        .http()
        .post('/api/v1/clusters/tel-a/telemetry/source/test')
        .set(bearer(ADMIN_TOKEN));
      expect(test.body.data.telemetry.error.code).toBe(EXPECTED[kind]);
    },
    30_000,
  );

  it('a silent Prometheus holds up nothing else: overview, diagnostics and the other cluster answer at once', async () => {
    await pointAt('slow');
    const stuck = api('/clusters/tel-a/telemetry/graph').then((r) => r);
    const started = Date.now();
    const others = await Promise.all([
      api('/clusters/tel-a/overview'),
      api('/clusters/tel-a/diagnostics'),
      api('/clusters/tel-b/telemetry/services'),
      api('/overview'),
    ]);
    const elapsed = Date.now() - started;
    expect(others.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(elapsed).toBeLessThan(TIMEOUT_S * 1000);
    expect((await stuck).body.data.telemetry.error.code).toBe('PROMETHEUS_TIMEOUT');
  }, 30_000);

  it('an in-cluster source is looked up through the API server; none found, or none answering, is data', async () => {
    const put = (body: object) =>
      t.http().put('/api/v1/clusters/tel-a/telemetry/source').set(bearer(ADMIN_TOKEN)).send(body);
    // Each type is read by its own DTO: a field of the other type is refused, naming it.
    const mixed = await put({ type: 'inCluster', url: 'https://prom.example.com' });
    expect([mixed.status, mixed.body.code, mixed.body.details?.[0]?.field]).toEqual([
      400,
      'VALIDATION_FAILED',
      'url',
    ]);
    expect((await put({ type: 'inCluster' })).status).toBe(200);
    const none = await api('/clusters/tel-a/telemetry/services');
    expect(none.body.data.telemetry.error.code).toBe('PROMETHEUS_NOT_FOUND');
    // A well-known Service without endpoints: found, then the API server's proxy has nowhere to go.
    const ns = createNamespace('prom');
    try {
      kubectlOk('admin', [
        '-n',
        ns,
        'create',
        'service',
        'clusterip',
        'prometheus-server',
        '--tcp=80:9090',
      ]);
      const proxied = await api('/clusters/tel-a/telemetry/graph');
      expect(proxied.status).toBe(200);
      expect(proxied.body.data.telemetry.state).toBe('error');
      expect(proxied.body.data.telemetry.error.code).toMatch(/^PROMETHEUS_(ERROR|UNREACHABLE)$/);
      expect((await put({ type: 'inCluster', namespace: ns, service: 'missing' })).status).toBe(
        200,
      );
      const named = await api('/clusters/tel-a/telemetry/services');
      expect(named.body.data.telemetry.error.code).toBe('PROMETHEUS_NOT_FOUND');
    } finally {
      deleteNamespace(ns);
    }
  }, 30_000);

  it('Prometheus credentials are sent, but never returned, logged or stored in clear', async () => {
    authorizations.length = 0;
    await pointAt('4xx');
    await api('/clusters/tel-a/telemetry/services');
    expect(authorizations).toContain(`Bearer ${TOKEN_CANARY}`);
    const basic = await t
      .http()
      .put('/api/v1/clusters/tel-b/telemetry/source')
      .set(bearer(ADMIN_TOKEN))
      .send({
        type: 'url',
        url: `http://127.0.0.1:${ports['4xx']}`,
        username: 'me',
        password: PASSWORD_CANARY,
      });
    const shown = [
      JSON.stringify(basic.body),
      JSON.stringify((await api('/clusters/tel-a/telemetry/source')).body),
      JSON.stringify((await api('/clusters/tel-b/telemetry/source')).body),
      JSON.stringify((await api('/clusters/tel-b/telemetry/services')).body),
      JSON.stringify((await api('/system/config')).body),
    ].join('\n');
    expect(shown).toContain('"authType":"basic"');
    await t.close();
    const stored = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f)).toString('latin1'))
      .join('\n');
    expect(stored).toContain('tel-a');
    for (const canary of [
      TOKEN_CANARY,
      PASSWORD_CANARY,
      Buffer.from(`me:${PASSWORD_CANARY}`).toString('base64'),
    ]) {
      expect(shown).not.toContain(canary);
      expect(t.rawLogs()).not.toContain(canary);
      expect(stored).not.toContain(canary);
    }
  }, 30_000);
});
