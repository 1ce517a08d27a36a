import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_TOKEN, bearer, startTestApp, TestApp } from './support/test-app';

async function waitForAudit(t: TestApp, requestId: string) {
  for (let i = 0; i < 50; i++) {
    const res = await t.http().get('/api/v1/audit?limit=500').set(bearer(ADMIN_TOKEN));
    const entry = (res.body.data.items as Array<{ requestId: string }>).find(
      (e) => e.requestId === requestId,
    );
    if (entry) return entry;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no audit entry for ${requestId}`);
}

describe('API tokens', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cloudpilot-auth-'));
    t = await startTestApp({ env: { DATABASE_URL: `sqlite:///${join(dir, 'cloudpilot.db')}` } });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuse an expiresInDays of null as the document does (an integer, or omitted)', async () => {
    const res = await t
      .http()
      .post('/api/v1/auth/tokens')
      .set(bearer(ADMIN_TOKEN))
      .send({ name: 'nullish', role: 'viewer', expiresInDays: null });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [expect.objectContaining({ field: 'expiresInDays' })],
    });
    const omitted = await t
      .http()
      .post('/api/v1/auth/tokens')
      .set(bearer(ADMIN_TOKEN))
      .send({ name: 'never-expires', role: 'viewer' });
    expect(omitted.status).toBe(201);
    expect(omitted.body.data.expiresAt).toBeNull();
  });

  it('are shown once at creation, listed without their value, and stop working when deleted', async () => {
    const created = await t
      .http()
      .post('/api/v1/auth/tokens')
      .set(bearer(ADMIN_TOKEN))
      .send({ name: 'ops', role: 'operator', expiresInDays: 30 });
    expect(created.status).toBe(201);
    const { token, id } = created.body.data;
    expect(token).toMatch(/^cpt_[A-Za-z0-9]{16}_[A-Za-z0-9_-]{43}$/);
    await expect(t.http().get('/api/v1/system/info').set(bearer(token))).resolves.toMatchObject({
      status: 200,
    });

    const listed = await t.http().get('/api/v1/auth/tokens').set(bearer(ADMIN_TOKEN));
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect(listed.body.data.find((x: { id: string }) => x.id === id)).toMatchObject({
      name: 'ops',
      role: 'operator',
    });

    await expect(
      t.http().delete(`/api/v1/auth/tokens/${id}`).set(bearer(ADMIN_TOKEN)),
    ).resolves.toMatchObject({ status: 200 });
    await expect(t.http().get('/api/v1/system/info').set(bearer(token))).resolves.toMatchObject({
      status: 401,
    });
    await expect(
      t.http().delete(`/api/v1/auth/tokens/${id}`).set(bearer(ADMIN_TOKEN)),
    ).resolves.toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
  });

  it('refuses a duplicate name with 409 and a non-UUID id with 400', async () => {
    await t
      .http()
      .post('/api/v1/auth/tokens')
      .set(bearer(ADMIN_TOKEN))
      .send({ name: 'dup', role: 'viewer' })
      .expect(201);
    await expect(
      t
        .http()
        .post('/api/v1/auth/tokens')
        .set(bearer(ADMIN_TOKEN))
        .send({ name: 'dup', role: 'viewer' }),
    ).resolves.toMatchObject({ status: 409, body: { code: 'CONFLICT' } });
    await expect(
      t.http().delete('/api/v1/auth/tokens/not-a-uuid').set(bearer(ADMIN_TOKEN)),
    ).resolves.toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
  });

  it('lets an operator read but not manage tokens', async () => {
    const op = (
      await t
        .http()
        .post('/api/v1/auth/tokens')
        .set(bearer(ADMIN_TOKEN))
        .send({ name: 'op2', role: 'operator' })
    ).body.data.token;
    await expect(t.http().get('/api/v1/system/info').set(bearer(op))).resolves.toMatchObject({
      status: 200,
    });
    await expect(
      t.http().post('/api/v1/auth/tokens').set(bearer(op)).send({ name: 'x', role: 'admin' }),
    ).resolves.toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
  });

  it('never stores a token in plain text in the database files', async () => {
    const tokens: string[] = [];
    for (const role of ['viewer', 'operator', 'admin']) {
      tokens.push(
        (
          await t
            .http()
            .post('/api/v1/auth/tokens')
            .set(bearer(ADMIN_TOKEN))
            .send({ name: `plain-${role}`, role })
        ).body.data.token,
      );
    }
    const files = readdirSync(dir).filter((f) => f.startsWith('cloudpilot.db'));
    expect(files).toContain('cloudpilot.db');
    const bytes = files.map((f) => readFileSync(join(dir, f)).toString('latin1')).join('\n');
    expect(bytes).toContain('plain-admin');
    for (const token of [...tokens, ADMIN_TOKEN]) {
      expect(bytes).not.toContain(token);
      // The secret part alone (cpt_<16-char public id>_<secret>): the secret is base64url and may
      // itself hold '_', so it is cut by position, not at the last '_'.
      expect(bytes).not.toContain(token.startsWith('cpt_') ? token.slice(21) : token);
    }
  });
});

describe('the audit log', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('records who did what with the result code and request id, never the body', async () => {
    await t
      .http()
      .post('/api/v1/auth/tokens')
      .set(bearer(ADMIN_TOKEN))
      .set('X-Request-Id', 'audit-ok')
      .send({ name: 'audited', role: 'viewer' })
      .expect(201);
    const entry = await waitForAudit(t, 'audit-ok');
    expect(entry).toMatchObject({
      actor: 'env-admin',
      role: 'admin',
      method: 'POST',
      route: '/api/v1/auth/tokens',
      status: 201,
      resultCode: 'OK',
    });
    expect(JSON.stringify(entry)).not.toContain('audited');
  });

  it('records refused mutations too', async () => {
    await t
      .http()
      .post('/api/v1/auth/tokens')
      .set('X-Request-Id', 'audit-401')
      .send({ name: 'x', role: 'viewer' })
      .expect(401);
    await expect(waitForAudit(t, 'audit-401')).resolves.toMatchObject({
      actor: 'anonymous',
      status: 401,
      resultCode: 'UNAUTHENTICATED',
    });
  });

  it('filters by actor and result code, and is admin-only', async () => {
    const viewer = (
      await t
        .http()
        .post('/api/v1/auth/tokens')
        .set(bearer(ADMIN_TOKEN))
        .send({ name: 'auditor', role: 'viewer' })
    ).body.data.token;
    await t
      .http()
      .post('/api/v1/auth/tokens')
      .set(bearer(viewer))
      .set('X-Request-Id', 'audit-403')
      .send({ name: 'y', role: 'viewer' })
      .expect(403);
    await waitForAudit(t, 'audit-403');
    const res = await t
      .http()
      .get('/api/v1/audit?actor=auditor&resultCode=FORBIDDEN')
      .set(bearer(ADMIN_TOKEN));
    expect(res.body.data.items.map((e: { requestId: string }) => e.requestId)).toEqual([
      'audit-403',
    ]);
    await expect(t.http().get('/api/v1/audit').set(bearer(viewer))).resolves.toMatchObject({
      status: 403,
    });
    await expect(
      t.http().get('/api/v1/audit?limit=0').set(bearer(ADMIN_TOKEN)),
    ).resolves.toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
  });

  it('does not audit reads', async () => {
    await t
      .http()
      .get('/api/v1/system/info')
      .set(bearer(ADMIN_TOKEN))
      .set('X-Request-Id', 'audit-read')
      .expect(200);
    const res = await t.http().get('/api/v1/audit?limit=500').set(bearer(ADMIN_TOKEN));
    expect(
      res.body.data.items.some((e: { requestId: string }) => e.requestId === 'audit-read'),
    ).toBe(false);
  });
});

describe('--auth none', () => {
  it('is refused unless the host is 127.0.0.1', async () => {
    await expect(startTestApp({ argv: ['--auth', 'none', '--host', '0.0.0.0'] })).rejects.toThrow(
      /auth.mode/,
    );
  });

  it('serves admin routes without a token on loopback', async () => {
    const t = await startTestApp({ argv: ['--auth', 'none'] });
    try {
      await expect(t.http().get('/api/v1/system/config')).resolves.toMatchObject({ status: 200 });
    } finally {
      await t.close();
    }
  });
});
