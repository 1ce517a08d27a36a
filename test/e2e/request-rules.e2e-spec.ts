import { ADMIN_TOKEN, bearer, startTestApp, TestApp } from './support/test-app';

/** The input rules the OpenAPI contract states, each shown once over HTTP. */
describe('request rules', () => {
  let t: TestApp;
  let document: Record<string, any>;

  beforeAll(async () => {
    t = await startTestApp();
    document = (await t.http().get('/docs-json').expect(200)).body;
  }, 60_000);
  afterAll(() => t.close());

  const get = (path: string) => t.http().get(path).set(bearer(ADMIN_TOKEN));

  it('refuses a query parameter the operation does not declare, naming it', async () => {
    const res = await get('/api/v1/clusters?colour=blue');
    expect([res.status, res.body.code, res.body.details]).toEqual([
      400,
      'VALIDATION_FAILED',
      [{ field: 'colour', errors: [expect.stringContaining('not accepted')] }],
    ]);
  });

  it('refuses an unknown query parameter next to a query DTO too', async () => {
    const res = await get('/api/v1/audit?limit=5&colour=blue');
    expect([res.status, res.body.details[0].field]).toEqual([400, 'colour']);
  });

  it('answers an offset beyond the bound with 400, not a database error', async () => {
    const res = await get('/api/v1/audit?offset=1.4808714727026303e%2B308');
    expect([res.status, res.body.code, res.body.details[0].field]).toEqual([
      400,
      'VALIDATION_FAILED',
      'offset',
    ]);
  });

  it.each([
    ['labelSelector', 'app%20web'],
    ['labelSelector', 'env%20in%20(a'],
    ['fieldSelector', 'status.phase'],
    ['fieldSelector', 'metadata.name%3Da%3Db'],
  ])('refuses an unparsable %s (%s) before any cluster is asked', async (field, value) => {
    const res = await get(`/api/v1/clusters/none/resources/pods?${field}=${value}`);
    expect([res.status, res.body.code, res.body.details]).toEqual([
      400,
      'VALIDATION_FAILED',
      [{ field, errors: [expect.stringContaining(`${field} is not valid`)] }],
    ]);
  });

  it('documents details as field errors or an object, and every body code on body routes', () => {
    const details = document.components.schemas.ErrorEnvelopeDto.properties.details;
    expect(details.oneOf).toEqual([
      { type: 'array', items: { $ref: '#/components/schemas/FieldErrorDto' } },
      { type: 'object', additionalProperties: true },
    ]);
    const codes = (op: any, status: string): string[] =>
      op.responses[status]?.content['application/json'].schema.allOf[1].properties.code.enum;
    for (const [path, item] of Object.entries<Record<string, any>>(document.paths)) {
      if (!path.startsWith('/api/')) continue;
      for (const [method, op] of Object.entries<any>(item)) {
        const id = `${method} ${path}`;
        expect([id, codes(op, '400')]).toEqual([
          id,
          expect.arrayContaining(['VALIDATION_FAILED', 'BAD_REQUEST']),
        ]);
        if (op.requestBody) {
          expect([id, codes(op, '400')]).toEqual([id, expect.arrayContaining(['MALFORMED_JSON'])]);
          expect([id, codes(op, '413'), codes(op, '415')]).toEqual([
            id,
            ['PAYLOAD_TOO_LARGE'],
            ['UNSUPPORTED_MEDIA_TYPE'],
          ]);
        }
      }
    }
    const register = codes(document.paths['/api/v1/clusters'].post, '400');
    expect(register).toEqual(
      expect.arrayContaining(['KUBECONFIG_EXEC_FORBIDDEN', 'CLUSTER_URL_INVALID']),
    );
  });
});
