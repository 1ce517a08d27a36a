import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ACCESS_RULES } from '../../src/common/access-rule';
import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import { createNamespace, deleteNamespace, kubectlOk } from './support/test-cluster';

jest.setTimeout(120_000);

/**
 * The access matrix, generated from the committed OpenAPI document (the openapi e2e test keeps it
 * equal to the live one): every /api operation, for a namespace-scoped viewer, a namespace-scoped
 * operator, a cluster-scoped operator and an admin, on two registered clusters. A new route is
 * covered without editing this file; a route without an access rule fails it.
 */
type Operation = {
  parameters?: Array<{ name: string; in: string }>;
  'x-access'?: string;
  'x-raw-response'?: boolean;
  responses: Record<string, { content?: Record<string, unknown> }>;
};
const DOCUMENT = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8'));
const OPERATIONS: Array<[string, string, Operation]> = Object.entries(
  DOCUMENT.paths as Record<string, Record<string, Operation>>,
)
  .filter(([path]) => path.startsWith('/api/'))
  .flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => [method, path, op] as [string, string, Operation]),
  );

const KIND_BY_PREFIX: Array<[RegExp, string]> = [
  [/\/gateway-api\/\{kind\}/, 'httproutes'],
  [/\/resources\/\{kind\}/, 'deployments'],
];

interface Principal {
  label: string;
  token: string;
  /** Sees only the granted namespace of alpha (else all of alpha). */
  namespaceScoped: boolean;
}

interface Answer {
  status: number;
  code?: string;
  text: string;
}

describe('access matrix (generated from the OpenAPI document)', () => {
  let t: TestApp;
  let port: number;
  let alpha: Record<string, any>;
  let beta: Record<string, any>;
  let granted: string;
  let hidden: string;
  const principals: Principal[] = [];

  const mint = async (name: string, role: string, grants: unknown[]) => {
    const res = await t
      .http()
      .post('/api/v1/auth/tokens')
      .set(bearer(ADMIN_TOKEN))
      .send({ name, role, grants });
    if (res.status !== 201) throw new Error(`mint ${name}: ${JSON.stringify(res.body)}`);
    return res.body.data.token as string;
  };

  beforeAll(async () => {
    t = await startServer();
    // Two registrations: each is a cluster with its own id, name and labels to CloudPilot.
    alpha = await register(t, `alpha-${randomUUID().slice(0, 6)}`);
    beta = await register(t, `beta-${randomUUID().slice(0, 6)}`);
    granted = createNamespace('acc-granted');
    hidden = createNamespace('acc-hidden');
    for (const ns of [granted, hidden]) {
      kubectlOk('admin', [
        'create',
        'deployment',
        'web',
        '-n',
        ns,
        '--image=registry.example/web:1',
      ]);
      kubectlOk('admin', ['create', 'configmap', 'settings', '-n', ns, '--from-literal=a=b']);
    }
    const inGranted = { clusters: [alpha.name], namespaces: [granted] };
    principals.push(
      {
        label: 'namespace viewer',
        namespaceScoped: true,
        token: await mint('ns-viewer', 'viewer', [{ role: 'viewer', ...inGranted }]),
      },
      {
        label: 'namespace operator',
        namespaceScoped: true,
        token: await mint('ns-operator', 'operator', [{ role: 'operator', ...inGranted }]),
      },
      {
        label: 'cluster operator',
        namespaceScoped: false,
        token: await mint('cluster-operator', 'operator', [
          { role: 'operator', clusters: [alpha.id] },
        ]),
      },
    );
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  }, 120_000);

  afterAll(async () => {
    deleteNamespace(granted);
    deleteNamespace(hidden);
    await t.close();
  });

  /** One request as the principal; SSE answers are read for a moment, then dropped. */
  const call = (method: string, url: string, token: string, sse: boolean): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const body = method === 'get' || method === 'delete' ? undefined : '{}';
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path: url,
          method: method.toUpperCase(),
          headers: { ...bearer(token), ...(body ? { 'content-type': 'application/json' } : {}) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          const done = () => {
            let code: string | undefined;
            try {
              code = JSON.parse(text).code;
            } catch {
              code = undefined;
            }
            resolve({ status: res.statusCode ?? 0, code, text });
          };
          res.on('end', done);
          if (sse && res.statusCode === 200)
            setTimeout(() => {
              req.destroy();
              done();
            }, 1500);
        },
      );
      req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
      req.end(body);
    });

  function urlFor(
    path: string,
    op: Operation,
    cluster: Record<string, any>,
    namespace?: string,
  ): string {
    const kind = KIND_BY_PREFIX.find(([re]) => re.test(path))?.[1] ?? 'deployments';
    const filled = path
      .replace('{clusterId}', cluster.id)
      .replace('{kind}', kind)
      .replace('{name}', 'web')
      .replace('{findingId}', '0123456789abcdef')
      .replace('{id}', randomUUID());
    const takesNamespace = op.parameters?.some((p) => p.name === 'namespace' && p.in === 'query');
    return namespace && takesNamespace ? `${filled}?namespace=${namespace}` : filled;
  }

  it.each(OPERATIONS.map(([method, path, op]) => [`${method.toUpperCase()} ${path}`, op]))(
    '%s declares an access rule',
    (_name, op) => {
      expect(ACCESS_RULES).toContain((op as Operation)['x-access']);
    },
  );

  describe.each(OPERATIONS)('%s %s', (method, path, op) => {
    const sse = !!op.responses['200']?.content?.['text/event-stream'];
    const clusterBound = path.includes('{clusterId}');
    const reads = method === 'get';

    it('returns and changes nothing outside each principal’s grants', async () => {
      for (const p of principals) {
        // Another cluster: never reachable, whatever the route.
        if (clusterBound) {
          const other = await call(method, urlFor(path, op, beta, granted), p.token, sse);
          expect([p.label, other.status, other.text.includes(hidden)]).toEqual([
            p.label,
            expect.any(Number),
            false,
          ]);
          expect([p.label, [403, 404].includes(other.status)]).toEqual([p.label, true]);
          if (other.status === 404) expect(other.code).toBe('CLUSTER_NOT_FOUND');
        }
        if (!p.namespaceScoped) continue;
        // A namespace outside the grants: refused before any work, or trimmed away.
        const outside = await call(method, urlFor(path, op, alpha, hidden), p.token, sse);
        expect([p.label, outside.status < 500 || outside.status === 503]).toEqual([p.label, true]);
        expect([p.label, outside.text.includes(hidden)]).toEqual([p.label, false]);
        // Changes to objects (everything but the cluster-level connection test) name a target.
        if (!reads && clusterBound && op['x-access'] !== 'cluster')
          expect([p.label, [403, 404].includes(outside.status)]).toEqual([p.label, true]);
        if (reads) {
          const inside = await call(method, urlFor(path, op, alpha, granted), p.token, sse);
          expect([p.label, inside.text.includes(hidden), inside.text.includes(beta.id)]).toEqual([
            p.label,
            false,
            false,
          ]);
        }
      }
    });
  });

  it('shows a namespace-scoped caller its own namespace (the filter is not "refuse everything")', async () => {
    const [viewer] = principals;
    const list = await call(
      'get',
      `/api/v1/clusters/${alpha.id}/resources/deployments`,
      viewer.token,
      false,
    );
    expect(list.status).toBe(200);
    expect(list.text).toContain(granted);
    expect(list.text).not.toContain(hidden);
    const clusters = await call('get', '/api/v1/clusters', viewer.token, false);
    expect(JSON.parse(clusters.text).data.map((c: { id: string }) => c.id)).toEqual([alpha.id]);
    const fleet = await call('get', '/api/v1/overview', viewer.token, false);
    expect(JSON.parse(fleet.text).data.items).toEqual([
      expect.objectContaining({
        cluster: expect.objectContaining({ id: alpha.id }),
        error: expect.objectContaining({ code: 'OUT_OF_SCOPE' }),
      }),
    ]);
  });

  it('shows the cluster operator and the admin every namespace (positive control)', async () => {
    for (const token of [principals[2].token, ADMIN_TOKEN]) {
      const list = await call(
        'get',
        `/api/v1/clusters/${alpha.id}/resources/deployments`,
        token,
        false,
      );
      expect(list.text).toContain(hidden);
    }
  });

  it('left the hidden namespace unchanged', () => {
    const web = JSON.parse(
      kubectlOk('admin', ['get', 'deployment', 'web', '-n', hidden, '-o', 'json']),
    );
    expect(web.spec.replicas).toBe(1);
    expect(
      web.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'],
    ).toBeUndefined();
    expect(
      kubectlOk('admin', ['get', 'configmap', 'settings', '-n', hidden, '-o', 'name']),
    ).toContain('settings');
  });
});
