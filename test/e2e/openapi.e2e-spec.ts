import SwaggerParser from '@apidevtools/swagger-parser';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CATALOGUE } from '../../src/common/error-codes';
import { startTestApp, TestApp } from './support/test-app';

const COMMITTED = join(__dirname, '..', '..', 'openapi.json');
const PUBLIC_PATHS = ['/healthz', '/readyz'];

type Operation = {
  responses: Record<
    string,
    { content?: Record<string, { schema?: { allOf?: Array<{ $ref?: string }> } }> }
  >;
  security?: unknown[];
  'x-raw-response'?: boolean;
};

describe('the OpenAPI document', () => {
  let t: TestApp;
  let document: Record<string, any>;

  beforeAll(async () => {
    t = await startTestApp();
    document = (await t.http().get('/docs-json').expect(200)).body;
  });
  afterAll(() => t.close());

  it('is valid OpenAPI 3', async () => {
    expect(document.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('renders Swagger UI at /docs without a token', async () => {
    const res = await t.http().get('/docs/').redirects(1);
    expect(res.status).toBe(200);
    expect(res.text).toContain('swagger-ui');
  });

  it('documents every /api operation with the envelope, bearer auth and its error codes', () => {
    const operations = Object.entries(document.paths as Record<string, Record<string, Operation>>)
      .filter(([path]) => path.startsWith('/api/'))
      .flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, op]) => ({ id: `${method} ${path}`, op })),
      );
    expect(operations.length).toBeGreaterThanOrEqual(6);
    for (const { id, op } of operations) {
      const success = Object.entries(op.responses).find(([status]) => status.startsWith('2'));
      // Downloads declare themselves (x-raw-response) and must then really not be JSON.
      if (op['x-raw-response'])
        expect([id, Object.keys(success?.[1].content ?? {})]).toEqual([
          id,
          [expect.not.stringMatching(/json/)],
        ]);
      else
        expect([id, success?.[1].content?.['application/json']?.schema?.allOf?.[0]?.$ref]).toEqual([
          id,
          '#/components/schemas/EnvelopeDto',
        ]);
      const unauthenticated =
        op.responses['401']?.content?.['application/json']?.schema?.allOf?.[0]?.$ref;
      expect([id, unauthenticated]).toEqual([id, '#/components/schemas/ErrorEnvelopeDto']);
      expect([id, op.responses['401']]).toEqual([id, expect.anything()]);
      expect([id, op.security]).toEqual([id, [{ bearer: [] }]]);
    }
  });

  it('describes every DTO property (the Swagger plugin ran)', () => {
    const token = document.components.schemas.CreateTokenDto;
    expect(token.required).toEqual(expect.arrayContaining(['name', 'role']));
    expect(token.properties.role.enum).toEqual(['viewer', 'operator', 'admin']);
  });

  it('lists the whole error catalogue in its description', () => {
    for (const code of Object.keys(ERROR_CATALOGUE))
      expect(document.info.description).toContain(code);
  });

  it('declares every tag an operation uses, so Swagger UI shows them in the declared order', () => {
    const declared = (document.tags ?? []).map((tag: { name: string }) => tag.name);
    expect(declared.slice(0, 3)).toEqual(['clusters', 'overview', 'diagnostics']);
    for (const [path, item] of Object.entries<Record<string, any>>(document.paths))
      for (const op of Object.values(item))
        for (const tag of op.tags ?? [])
          expect([path, declared]).toEqual([path, expect.arrayContaining([tag])]);
  });

  it('keeps health routes public', () => {
    for (const path of PUBLIC_PATHS) expect(document.paths[path].get.security).toBeUndefined();
  });

  it('matches the committed openapi.json (run `npm run openapi:write` after changing routes)', () => {
    const current = `${JSON.stringify(document, null, 2)}\n`;
    if (process.env.UPDATE_OPENAPI === '1') writeFileSync(COMMITTED, current);
    expect(readFileSync(COMMITTED, 'utf8')).toBe(current);
  });
});
