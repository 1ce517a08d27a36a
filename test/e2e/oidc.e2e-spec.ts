import { createHmac } from 'node:crypto';
import { exportSPKI } from 'jose';
import { ADMIN_TOKEN, bearer, startTestApp, TestApp } from './support/test-app';
import { LoopbackIssuer, SigningKey, signingKey } from './support/loopback-issuer';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

describe('OIDC bearer JWTs (a loopback issuer with real keys)', () => {
  let t: TestApp;
  let issuer: LoopbackIssuer;
  let key1: SigningKey;

  beforeAll(async () => {
    issuer = await new LoopbackIssuer().start();
    key1 = await signingKey('key-1');
    issuer.keys = [key1];
    t = await startTestApp({
      env: {
        CLOUDPILOT_OIDC_ISSUERS: JSON.stringify([
          {
            issuer: issuer.url,
            audience: 'cloudpilot',
            jwksCooldownSeconds: 0,
            jwksMaxAgeSeconds: 1,
          },
        ]),
        CLOUDPILOT_GRANT_MAPPINGS: JSON.stringify([
          { group: 'sre', grants: [{ role: 'operator' }] },
          {
            subject: 'carol',
            grants: [{ role: 'viewer', clusters: ['prod'], namespaces: ['shop'] }],
          },
        ]),
        CLOUDPILOT_CLOCK_SKEW_SECONDS: '5',
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await issuer.stop();
  });

  const whoami = (token: string) => t.http().get('/api/v1/auth/whoami').set(bearer(token));
  const refusedWith = async (token: string, code: string) => {
    const res = await whoami(token);
    expect([res.status, res.body.code]).toEqual([401, code]);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
  };

  it('accepts a valid token and maps its claims to grants', async () => {
    const res = await whoami(await issuer.sign(key1, { sub: 'alice', groups: ['sre'] }));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      kind: 'oidc',
      role: 'operator',
      grants: [{ role: 'operator' }],
    });
    const carol = await whoami(await issuer.sign(key1, { sub: 'carol' }));
    expect(carol.body.data).toMatchObject({
      role: 'viewer',
      grants: [{ role: 'viewer', clusters: ['prod'], namespaces: ['shop'] }],
    });
  });

  it('refuses an expired token and one not valid yet, beyond the clock skew', async () => {
    await refusedWith(
      await issuer.sign(key1, { sub: 'alice', groups: ['sre'], exp: now() - 60 }),
      'TOKEN_EXPIRED',
    );
    await refusedWith(
      await issuer.sign(key1, { sub: 'alice', groups: ['sre'], nbf: now() + 120 }),
      'TOKEN_NOT_YET_VALID',
    );
    const withinSkew = await issuer.sign(key1, { sub: 'alice', groups: ['sre'], nbf: now() + 2 });
    await expect(whoami(withinSkew)).resolves.toMatchObject({ status: 200 });
  });

  it('refuses a wrong audience, an unknown issuer and an unmapped subject', async () => {
    await refusedWith(
      await issuer.sign(key1, { sub: 'alice', groups: ['sre'] }, 'someone-else'),
      'TOKEN_AUDIENCE_INVALID',
    );
    await refusedWith(
      await issuer.sign(key1, { sub: 'alice', groups: ['sre'], iss: 'https://evil.example' }),
      'TOKEN_ISSUER_UNKNOWN',
    );
    await refusedWith(await issuer.sign(key1, { sub: 'mallory' }), 'TOKEN_NO_GRANTS');
  });

  it('refuses alg none, HS256 keyed with the public key, and a tampered payload', async () => {
    const claims = {
      iss: issuer.url,
      aud: 'cloudpilot',
      sub: 'alice',
      groups: ['sre'],
      exp: now() + 300,
    };
    await refusedWith(
      `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`,
      'TOKEN_ALGORITHM_REFUSED',
    );

    const signingInput = `${b64({ alg: 'HS256', typ: 'JWT', kid: 'key-1' })}.${b64(claims)}`;
    const pem = await exportSPKI(key1.publicKey);
    const mac = createHmac('sha256', pem).update(signingInput).digest('base64url');
    await refusedWith(`${signingInput}.${mac}`, 'TOKEN_ALGORITHM_REFUSED');

    const [header, , signature] = (await issuer.sign(key1, { sub: 'carol' })).split('.');
    const forged = { ...claims, sub: 'carol', groups: ['sre'] };
    await refusedWith(`${header}.${b64(forged)}.${signature}`, 'TOKEN_SIGNATURE_INVALID');
  });

  it('refuses a kid the issuer does not publish', async () => {
    const stranger = await signingKey('stranger');
    await refusedWith(
      await issuer.sign(stranger, { sub: 'alice', groups: ['sre'] }),
      'TOKEN_KEY_UNKNOWN',
    );
  });

  it('picks up a rotated JWKS without a restart, and keeps cached keys while the issuer is down', async () => {
    const key2 = await signingKey('key-2');
    issuer.keys = [key2];
    const rotated = await issuer.sign(key2, { sub: 'alice', groups: ['sre'] });
    await expect(whoami(rotated)).resolves.toMatchObject({ status: 200 });

    issuer.down = true;
    // Past the keys' max age: the store tries the issuer, fails, and keeps what it had.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const fetchesBefore = issuer.jwksFetches;
    await expect(whoami(rotated)).resolves.toMatchObject({ status: 200 });
    const key3 = await signingKey('key-3');
    await refusedWith(
      await issuer.sign(key3, { sub: 'alice', groups: ['sre'] }),
      'TOKEN_KEY_UNKNOWN',
    );
    await expect(whoami(rotated)).resolves.toMatchObject({ status: 200 });
    expect(issuer.jwksFetches).toBe(fetchesBefore);
    issuer.down = false;
  });

  it('tells clients where to sign in: protected-resource metadata and the 401 challenge', async () => {
    const meta = await t.http().get('/.well-known/oauth-protected-resource');
    expect(meta.status).toBe(200);
    expect(meta.body).toMatchObject({
      resource: expect.stringMatching(/^http:\/\//),
      authorization_servers: [issuer.url],
      bearer_methods_supported: ['header'],
    });
    const anonymous = await t.http().get('/api/v1/clusters');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(
      /^Bearer realm="cloudpilot", resource_metadata="http:\/\/[^"]+\/\.well-known\/oauth-protected-resource"$/,
    );
    const mcp = await t.http().post('/mcp').send({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(mcp.status).toBe(401);
    expect(mcp.headers['www-authenticate']).toContain('resource_metadata=');
  });
});

describe('API tokens with grants', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const mint = (by: string, body: Record<string, unknown>) =>
    t.http().post('/api/v1/auth/tokens').set(bearer(by)).send(body);

  it('mint only within the minter’s grants, and name them in whoami and the audit row', async () => {
    const scoped = await mint(ADMIN_TOKEN, {
      name: 'shop-admin',
      role: 'admin',
      grants: [{ role: 'admin', clusters: ['prod'], namespaces: ['shop'] }],
    });
    expect(scoped.status).toBe(201);
    const token = scoped.body.data.token as string;

    await expect(
      mint(token, {
        name: 'wider',
        role: 'viewer',
        grants: [{ role: 'viewer', clusters: ['prod'] }],
      }),
    ).resolves.toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    await expect(mint(token, { name: 'everything', role: 'viewer' })).resolves.toMatchObject({
      status: 403,
    });
    const narrower = await mint(token, {
      name: 'shop-viewer',
      role: 'viewer',
      grants: [{ role: 'viewer', clusters: ['prod'], namespaces: ['shop'] }],
    });
    expect(narrower.status).toBe(201);

    // An admin of one namespace manages its tokens, not the installation.
    for (const path of ['/api/v1/audit', '/api/v1/system/config'])
      await expect(t.http().get(path).set(bearer(token))).resolves.toMatchObject({
        status: 403,
        body: { code: 'FORBIDDEN' },
      });
    await expect(
      t.http().post('/api/v1/clusters').set(bearer(token)).send({ name: 'sneaky' }),
    ).resolves.toMatchObject({ status: 403 });

    await expect(
      mint(ADMIN_TOKEN, { name: 'over', role: 'viewer', grants: [{ role: 'operator' }] }),
    ).resolves.toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });

    const me = await t.http().get('/api/v1/auth/whoami').set(bearer(narrower.body.data.token));
    expect(me.body.data).toEqual({
      name: 'shop-viewer',
      kind: 'token',
      role: 'viewer',
      grants: [{ role: 'viewer', clusters: ['prod'], namespaces: ['shop'] }],
    });

    const audit = await t.http().get('/api/v1/audit?limit=50').set(bearer(ADMIN_TOKEN));
    const row = (audit.body.data.items as Array<Record<string, unknown>>).find(
      (e) => e.actor === 'shop-admin' && e.status === 201,
    );
    expect(row).toMatchObject({ principalKind: 'token' });
    expect(JSON.parse(String(row!.grants))).toEqual([
      { role: 'admin', clusters: ['prod'], namespaces: ['shop'] },
    ]);
  });

  it('keep a grantless token’s role on everything', async () => {
    const plain = await mint(ADMIN_TOKEN, { name: 'legacy', role: 'operator' });
    const me = await t.http().get('/api/v1/auth/whoami').set(bearer(plain.body.data.token));
    expect(me.body.data.grants).toEqual([{ role: 'operator', clusters: ['*'], namespaces: ['*'] }]);
  });
});
