import { DataSource } from 'typeorm';
import { ADMIN_TOKEN, bearer, parsedLogs, startTestApp, TestApp } from './support/test-app';

const ENVELOPE_KEYS = ['code', 'data', 'message', 'requestId', 'success', 'timestamp'];

function expectErrorEnvelope(body: Record<string, unknown>, code: string): void {
  expect(body).toMatchObject({ success: false, code, data: null });
  expect(typeof body.message).toBe('string');
  expect(Date.parse(body.timestamp as string)).not.toBeNaN();
  expect(typeof body.requestId).toBe('string');
}

describe.each(['server', 'instant'] as const)('the response envelope in %s mode', (mode) => {
  let t: TestApp;
  let viewerToken: string;

  beforeAll(async () => {
    t = await startTestApp({
      argv: ['--mode', mode],
      env: {
        K8S_API_SERVER: 'https://127.0.0.1:1',
        K8S_TOKEN: 'no-cluster-needed-for-envelope-tests',
      },
    });
    const created = await t
      .http()
      .post('/api/v1/auth/tokens')
      .set(bearer(ADMIN_TOKEN))
      .send({ name: 'e2e-viewer', role: 'viewer' });
    expect(created.status).toBe(201);
    viewerToken = created.body.data.token;
  });
  afterAll(() => t.close());

  it('wraps a success in { success, code: OK, data, requestId, timestamp }', async () => {
    const res = await t.http().get('/api/v1/system/info').set(bearer(viewerToken));
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(ENVELOPE_KEYS);
    expect(res.body).toMatchObject({ success: true, code: 'OK', message: 'OK', data: { mode } });
    expect(res.headers['x-request-id']).toBe(res.body.requestId);
  });

  it('answers an unknown route with 404 ROUTE_NOT_FOUND and echoes a well-formed X-Request-Id', async () => {
    const res = await t.http().get('/api/v1/nope').set('X-Request-Id', 'abc123');
    expect(res.status).toBe(404);
    expectErrorEnvelope(res.body, 'ROUTE_NOT_FOUND');
    expect(res.body.requestId).toBe('abc123');
    expect(res.headers['x-request-id']).toBe('abc123');
  });

  it('replaces a malformed X-Request-Id with a generated one', async () => {
    const res = await t.http().get('/api/v1/nope').set('X-Request-Id', 'bad id\twith "quotes"');
    expect(res.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a request without a token with 401 UNAUTHENTICATED', async () => {
    const res = await t.http().get('/api/v1/system/info');
    expect(res.status).toBe(401);
    expectErrorEnvelope(res.body, 'UNAUTHENTICATED');
  });

  it('refuses an unknown token with 401', async () => {
    const res = await t
      .http()
      .get('/api/v1/system/info')
      .set(bearer('cpt_AAAAAAAAAAAAAAAA_' + 'a'.repeat(43)));
    expect(res.status).toBe(401);
    expectErrorEnvelope(res.body, 'UNAUTHENTICATED');
  });

  it('refuses a viewer on an admin route with 403 FORBIDDEN', async () => {
    const res = await t.http().get('/api/v1/system/config').set(bearer(viewerToken));
    expect(res.status).toBe(403);
    expectErrorEnvelope(res.body, 'FORBIDDEN');
  });

  it('reports invalid fields as 400 VALIDATION_FAILED with per-field details', async () => {
    const res = await t
      .http()
      .post('/api/v1/auth/tokens')
      .set(bearer(ADMIN_TOKEN))
      .send({ name: 'bad name!', role: 'root', extra: 1 });
    expect(res.status).toBe(400);
    expectErrorEnvelope(res.body, 'VALIDATION_FAILED');
    const fields = (res.body.details as Array<{ field: string }>).map((d) => d.field).sort();
    expect(fields).toEqual(['extra', 'name', 'role']);
  });

  it('refuses null where the document says an object (cluster labels) with 400, not a 500', async () => {
    const res = await t
      .http()
      .post('/api/v1/clusters')
      .set(bearer(ADMIN_TOKEN))
      .send({ name: 'nullish', kubeconfig: 'apiVersion: v1', labels: null });
    expect(res.status).toBe(400);
    expectErrorEnvelope(res.body, 'VALIDATION_FAILED');
    expect(res.body.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'labels' })]),
    );
    const patched = await t
      .http()
      .patch('/api/v1/clusters/nullish')
      .set(bearer(ADMIN_TOKEN))
      .send({ labels: null });
    expect(patched.status).toBe(400);
    expect(patched.body.details).toEqual([expect.objectContaining({ field: 'labels' })]);
  });

  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const res = await t
      .http()
      .post('/api/v1/auth/tokens')
      .set(bearer(ADMIN_TOKEN))
      .set('Content-Type', 'application/json')
      .send('{"name": ');
    expect(res.status).toBe(400);
    expectErrorEnvelope(res.body, 'MALFORMED_JSON');
  });

  it('answers a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await t
      .http()
      .post('/api/v1/auth/tokens')
      .set(bearer(ADMIN_TOKEN))
      .send({ name: 'x'.repeat(1024 * 1024 + 10), role: 'viewer' });
    expect(res.status).toBe(413);
    expectErrorEnvelope(res.body, 'PAYLOAD_TOO_LARGE');
  });

  it('answers a non-JSON body with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await t
      .http()
      .post('/api/v1/auth/tokens')
      .set(bearer(ADMIN_TOKEN))
      .set('Content-Type', 'text/plain')
      .send('name=x');
    expect(res.status).toBe(415);
    expectErrorEnvelope(res.body, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('serves the health routes without a token', async () => {
    await expect(t.http().get('/healthz')).resolves.toMatchObject({
      status: 200,
      body: { status: 'ok' },
    });
    const ready = await t.http().get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.info.database.status).toBe('up');
    const metrics = await t.http().get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('cloudpilot_http_request_duration_seconds_bucket');
    expect(metrics.text).toContain('process_cpu_user_seconds_total');
  });

  it('writes JSON log lines that carry the request id and never the admin token', async () => {
    await t
      .http()
      .get('/api/v1/system/info')
      .set('X-Request-Id', `log-check-${mode}`)
      .set(bearer(ADMIN_TOKEN));
    const lines = parsedLogs(t);
    expect(lines.length).toBeGreaterThan(0);
    const line = lines.find((l) => l.requestId === `log-check-${mode}`);
    expect(line).toMatchObject({
      route: '/api/v1/system/info',
      status: 200,
      msg: 'request completed',
    });
    expect(t.rawLogs()).not.toContain(ADMIN_TOKEN);
    expect(t.rawLogs()).not.toContain(viewerToken);
  });
});

describe('an unexpected failure', () => {
  it('is a generic 500 INTERNAL_ERROR whose detail only reaches the log', async () => {
    const t = await startTestApp();
    try {
      await t.app.get(DataSource).destroy();
      const res = await t
        .http()
        .get('/api/v1/auth/tokens')
        .set(bearer(ADMIN_TOKEN))
        .set('X-Request-Id', 'boom-1');
      expect(res.status).toBe(500);
      expectErrorEnvelope(res.body, 'INTERNAL_ERROR');
      expect(res.body.message).not.toMatch(/sqlite|typeorm|connection|database/i);
      const logged = parsedLogs(t).find((l) => l.requestId === 'boom-1' && l.level === 'error');
      expect(logged?.err).toBeDefined();
    } finally {
      await t.close().catch(() => undefined);
    }
  });
});
