import { DataSource } from 'typeorm';
import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import { startPostgres, PostgresServer } from '../support/postgres-server';
import { SignedReceiver } from './support/signed-receiver';
import { kubectl } from './support/test-cluster';

jest.setTimeout(240_000);

const NAMESPACE = 'cp-outbox-targets';
const SERVICES = 20;
const SECRET = 'targets-signing-key-0123456789abcdef';

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function services(): string {
  const items = Array.from({ length: SERVICES }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `lonely-${i}`, namespace: NAMESPACE },
    spec: { clusterIP: 'None', selector: { app: `lonely-${i}` }, ports: [{ port: 80 }] },
  }));
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

// On PostgreSQL, where replicas run (the kill -9 suite runs on SQLite): the outbox's queries on both.
describe('notification targets against receivers that are healthy, failing, hanging or slow', () => {
  let t: TestApp;
  let pg: PostgresServer;
  const receivers: Record<string, SignedReceiver> = {};
  const routes: Record<string, string> = {};

  const api = () => t.http();
  const deliveries = async (route: string, status?: string) =>
    (
      await api()
        .get(
          `/api/v1/notifications/deliveries?routeId=${routes[route]}&limit=500${status ? `&status=${status}` : ''}`,
        )
        .set(bearer(ADMIN_TOKEN))
    ).body.data;

  beforeAll(async () => {
    kubectl('admin', ['delete', 'namespace', NAMESPACE, '--ignore-not-found', '--wait=true']);
    expect(kubectl('admin', ['create', 'namespace', NAMESPACE]).status).toBe(0);
    for (const name of ['healthy', 'cloudevents', 'slack', 'failing', 'hanging', 'slow']) {
      receivers[name] = new SignedReceiver(
        name === 'healthy' ? SECRET : undefined,
        await SignedReceiver.reservePort(),
      );
      await receivers[name].up();
    }
    receivers.failing.behaviour = 'fail';
    receivers.hanging.behaviour = 'hang';
    receivers.slow.behaviour = { slowMs: 1000 };
    pg = await startPostgres();
    t = await startServer({
      DATABASE_URL: pg.url,
      CLOUDPILOT_NOTIFICATIONS_ALLOW_LOOPBACK_TARGETS: 'true',
      CLOUDPILOT_NOTIFICATIONS_SCAN_SECONDS: '1',
      CLOUDPILOT_NOTIFICATIONS_RETRY_BASE_SECONDS: '1',
      CLOUDPILOT_NOTIFICATIONS_RETRY_MAX_SECONDS: '2',
      CLOUDPILOT_NOTIFICATIONS_MAX_ATTEMPTS: '3',
      CLOUDPILOT_NOTIFICATIONS_TIMEOUT_SECONDS: '2',
    });
    await register(t, 'targets');
    const target = (name: string) =>
      name === 'healthy'
        ? { type: 'webhook', url: receivers.healthy.url, secret: SECRET }
        : name === 'cloudevents'
          ? { type: 'cloudevents', url: receivers.cloudevents.url, mode: 'binary' }
          : { type: name === 'slack' ? 'slack' : 'webhook', url: receivers[name].url };
    for (const name of Object.keys(receivers)) {
      const res = await api()
        .post('/api/v1/notifications/routes')
        .set(bearer(ADMIN_TOKEN))
        .send({ name, target: target(name), match: { namespaces: [NAMESPACE] } });
      expect([name, res.status]).toEqual([name, 201]);
      routes[name] = res.body.data.id;
    }
  });

  afterAll(async () => {
    await t?.close();
    await pg?.stop();
    for (const r of Object.values(receivers)) await r.down();
    kubectl('admin', ['delete', 'namespace', NAMESPACE, '--ignore-not-found', '--wait=false']);
  });

  it('keeps the healthy targets on time while others fail, hang and dead-letter', async () => {
    expect(kubectl('admin', ['create', '-f', '-'], { input: services() }).status).toBe(0);
    const createdAt = Date.now();
    await until('the healthy targets served', 30_000, async () =>
      ['healthy', 'cloudevents', 'slow'].every((n) => receivers[n].distinctIds.size === SERVICES) &&
      receivers.slack.requests > 0
        ? true
        : undefined,
    );
    const servedMs = Date.now() - createdAt;
    // The hanging target still waits on its tries then: it delayed nobody but itself.
    const hanging = await deliveries('hanging');
    expect(hanging.items.some((d: any) => d.status === 'pending')).toBe(true);
    process.stderr.write(`healthy targets served in ${servedMs} ms\n`);
    expect(receivers.healthy.refused).toEqual({});
    const binary = receivers.cloudevents.accepted[0].headers;
    expect(binary).toMatchObject({
      'ce-specversion': '1.0',
      'ce-type': 'io.cloudpilot.finding.opened',
    });
    const slack = JSON.parse(receivers.slack.accepted[0].body);
    expect(JSON.stringify(slack.blocks)).toContain('SERVICE_NO_MATCHING_PODS');

    for (const name of ['failing', 'hanging'])
      await until(`${name} dead-lettered`, 60_000, async () =>
        (await deliveries(name, 'dead')).total === SERVICES ? true : undefined,
      );
    // Each try is one request carrying every delivery due: each event in exactly three tries,
    // never a flood. The findings usually open in one scan (three requests in all); on a loaded
    // machine they may open in two or three scans, each batch with its own three tries.
    const tries = receivers.failing.tries;
    expect(tries.every((t) => t.ids.length > 0)).toBe(true);
    expect(tries.length).toBeLessThanOrEqual(9);
    const timesOf = new Map<string, number[]>();
    for (const t of tries)
      for (const id of t.ids) timesOf.set(id, [...(timesOf.get(id) ?? []), t.at]);
    expect(timesOf.size).toBe(SERVICES);
    for (const [id, times] of timesOf) {
      expect([id, times.length]).toEqual([id, 3]);
      const [first, second, third] = times;
      // Equal jitter on a doubling delay: at least 0.5 s after the first try, 1 s after the second.
      expect(second - first).toBeGreaterThanOrEqual(500);
      expect(third - second).toBeGreaterThanOrEqual(1000);
    }
    const dead = (await deliveries('failing', 'dead')).items[0];
    expect(dead).toMatchObject({ attempts: 3, lastError: expect.stringContaining('HTTP 500') });
    const timedOut = (await deliveries('hanging', 'dead')).items[0];
    expect(timedOut.lastError).toContain('timeout');
  });

  it('retries a dead letter on request, and refuses to retry a delivered one', async () => {
    receivers.failing.behaviour = 'ok';
    const dead = (await deliveries('failing', 'dead')).items[0];
    const retried = await api()
      .post(`/api/v1/notifications/deliveries/${dead.id}/retry`)
      .set(bearer(ADMIN_TOKEN));
    expect(retried.status).toBe(200);
    expect(retried.body.data).toMatchObject({ status: 'pending', attempts: 0 });
    await until('the retried delivery delivered', 15_000, async () =>
      receivers.failing.distinctIds.has(dead.eventKey) ? true : undefined,
    );
    const again = await api()
      .post(`/api/v1/notifications/deliveries/${dead.id}/retry`)
      .set(bearer(ADMIN_TOKEN));
    expect([again.status, again.body.code]).toEqual([409, 'CONFLICT']);
  });

  it('never returns, stores in clear or logs a target URL or secret', async () => {
    const listed = await api().get('/api/v1/notifications/routes').set(bearer(ADMIN_TOKEN));
    const text = JSON.stringify(listed.body);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('/hook');
    expect(listed.body.data.find((r: any) => r.name === 'healthy').target).toMatchObject({
      type: 'webhook',
      signed: true,
      host: `127.0.0.1:${receivers.healthy.port}`,
    });
    const rows = await t.app.get(DataSource).query('SELECT sealed FROM notification_route');
    expect(JSON.stringify(rows)).not.toMatch(/targets-signing-key|\/hook/);
    expect(t.rawLogs()).not.toContain(SECRET);
  });

  it('refuses a metadata-service target with a 400 and a stable code', async () => {
    const res = await api()
      .post('/api/v1/notifications/routes')
      .set(bearer(ADMIN_TOKEN))
      .send({
        name: 'metadata',
        target: { type: 'webhook', url: 'http://169.254.169.254/latest' },
      });
    expect([res.status, res.body.code]).toEqual([400, 'TARGET_URL_REFUSED']);
    expect(res.body.message).not.toContain('169.254.169.254/latest');
  });
});
