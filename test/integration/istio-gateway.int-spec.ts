import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import { createNamespace, deleteNamespace, kubectl, kubectlOk } from './support/test-cluster';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * One object per kind, with fields Istio serves that CloudPilot's DTOs do not declare (bind,
 * retries, connectionPool): they must reach the cluster unchanged.
 */
const KINDS = [
  {
    segment: 'gateways',
    resource: 'gateways.networking.istio.io',
    body: (name: string) => ({
      metadata: { name, labels: { suite: 'crud' } },
      spec: {
        selector: { istio: 'ingressgateway' },
        servers: [
          {
            port: { number: 80, name: 'http', protocol: 'HTTP' },
            hosts: ['crud.example.com'],
            bind: '0.0.0.0',
          },
        ],
      },
    }),
    kept: (obj: any) => obj.spec.servers[0].bind,
    keptValue: '0.0.0.0',
    patch: {
      spec: {
        servers: [
          {
            port: { number: 8080, name: 'http-alt', protocol: 'HTTP' },
            hosts: ['crud.example.com'],
          },
        ],
      },
    },
    patched: (obj: any) => obj.spec.servers[0].port.number,
    patchedValue: 8080,
    invalidPatch: {
      spec: {
        servers: [
          { port: { number: 70000, name: 'http', protocol: 'HTTP' }, hosts: ['crud.example.com'] },
        ],
      },
    },
    invalidField: 'spec.servers.0.port.number',
  },
  {
    segment: 'virtual-services',
    resource: 'virtualservices.networking.istio.io',
    body: (name: string) => ({
      metadata: { name, labels: { suite: 'crud' } },
      spec: {
        hosts: ['crud.example.com'],
        http: [
          {
            route: [{ destination: { host: 'web' } }],
            retries: { attempts: 3, perTryTimeout: '2s' },
          },
        ],
      },
    }),
    kept: (obj: any) => obj.spec.http[0].retries?.attempts,
    keptValue: 3,
    patch: {
      spec: { http: [{ route: [{ destination: { host: 'web' }, weight: 100 }], timeout: '5s' }] },
    },
    patched: (obj: any) => obj.spec.http[0].timeout,
    patchedValue: '5s',
    invalidPatch: { spec: { http: [{ route: [{ destination: { host: 'web' }, weight: 250 }] }] } },
    invalidField: 'spec.http.0.route.0.weight',
  },
  {
    segment: 'destination-rules',
    resource: 'destinationrules.networking.istio.io',
    body: (name: string) => ({
      metadata: { name, labels: { suite: 'crud' } },
      spec: {
        host: 'web',
        trafficPolicy: { connectionPool: { http: { http1MaxPendingRequests: 7 } } },
        subsets: [{ name: 'v1', labels: { version: 'v1' } }],
      },
    }),
    kept: (obj: any) => obj.spec.trafficPolicy.connectionPool.http.http1MaxPendingRequests,
    keptValue: 7,
    patch: { spec: { trafficPolicy: { loadBalancer: { simple: 'LEAST_REQUEST' } } } },
    patched: (obj: any) => obj.spec.trafficPolicy.loadBalancer.simple,
    patchedValue: 'LEAST_REQUEST',
    invalidPatch: { spec: { trafficPolicy: { loadBalancer: { simple: 'FASTEST' } } } },
    invalidField: 'spec.trafficPolicy.loadBalancer.simple',
  },
] as const;

describe('Istio Gateway, VirtualService and DestinationRule management against the real cluster', () => {
  let t: TestApp;
  let ns: string;
  let operator: string;
  let viewer: string;
  const base = '/api/v1/clusters/mesh/istio';
  const call = (
    method: Method,
    path: string,
    token: string,
    body?: object,
    contentType?: string,
  ) => {
    let req = t.http()[method](`${base}${path}`).set(bearer(token));
    if (contentType) req = req.set('Content-Type', contentType);
    return body ? req.send(body) : req;
  };
  const read = (resource: string, name: string) =>
    kubectl('admin', ['get', resource, name, '-n', ns, '-o', 'json']);

  beforeAll(async () => {
    t = await startServer();
    await register(t, 'mesh');
    ns = createNamespace('istio-crud');
    operator = (
      await t
        .http()
        .post('/api/v1/auth/tokens')
        .set(bearer(ADMIN_TOKEN))
        .send({ name: 'mesh-operator', role: 'operator' })
    ).body.data.token;
    viewer = (
      await t
        .http()
        .post('/api/v1/auth/tokens')
        .set(bearer(ADMIN_TOKEN))
        .send({ name: 'mesh-viewer', role: 'viewer' })
    ).body.data.token;
  }, 120_000);
  afterAll(async () => {
    deleteNamespace(ns);
    await t.close();
  });

  describe.each(KINDS)('$segment', (k) => {
    const name = `crud-${k.segment}`;

    it('creates (dryRun first, storing nothing), keeps fields beyond the DTO, reads back with kubectl, lists and gets', async () => {
      const dry = await call(
        'post',
        `/${k.segment}?namespace=${ns}&dryRun=true`,
        operator,
        k.body(name),
      );
      expect([dry.status, dry.body.data?.dryRun]).toEqual([201, true]);
      expect(read(k.resource, name).status).not.toBe(0);

      const created = await call('post', `/${k.segment}?namespace=${ns}`, operator, k.body(name));
      expect(created.status).toBe(201);
      expect(created.body.data).toMatchObject({
        apiVersion: 'networking.istio.io/v1',
        dryRun: false,
        object: { metadata: { name, namespace: ns } },
      });
      const stored = JSON.parse(
        kubectlOk('admin', ['get', k.resource, name, '-n', ns, '-o', 'json']),
      );
      expect(k.kept(stored)).toEqual(k.keptValue);

      const list = await call(
        'get',
        `/${k.segment}?namespace=${ns}&labelSelector=suite%3Dcrud`,
        viewer,
      );
      expect(list.status).toBe(200);
      expect(list.body.data.apiVersion).toBe('networking.istio.io/v1');
      expect(list.body.data.items.map((i: any) => i.metadata.name)).toEqual([name]);
      await expect(
        call('get', `/${k.segment}?namespace=${ns}&labelSelector=suite%3Dother`, viewer),
      ).resolves.toMatchObject({ status: 200, body: { data: { items: [] } } });

      const one = await call('get', `/${k.segment}/${name}?namespace=${ns}`, viewer);
      expect(one.status).toBe(200);
      expect(one.body.data).toMatchObject({
        apiVersion: 'networking.istio.io/v1',
        object: { metadata: { name } },
      });
      expect(Array.isArray(one.body.data.validations)).toBe(true);
      expect(one.body.data.object.metadata.managedFields).toBeUndefined();
    });

    it('replaces with the current resourceVersion and refuses a stale one with 409', async () => {
      const current = JSON.parse(
        kubectlOk('admin', ['get', k.resource, name, '-n', ns, '-o', 'json']),
      );
      const body = {
        ...k.body(name),
        metadata: {
          name,
          labels: { suite: 'crud', replaced: 'yes' },
          resourceVersion: current.metadata.resourceVersion,
        },
      };
      await expect(
        call('put', `/${k.segment}/${name}?namespace=${ns}`, operator, body),
      ).resolves.toMatchObject({ status: 200, body: { data: { dryRun: false } } });
      expect(
        JSON.parse(kubectlOk('admin', ['get', k.resource, name, '-n', ns, '-o', 'json'])).metadata
          .labels.replaced,
      ).toBe('yes');
      await expect(
        call('put', `/${k.segment}/${name}?namespace=${ns}`, operator, body),
      ).resolves.toMatchObject({ status: 409, body: { code: 'K8S_CONFLICT' } });
    });

    it('merge-patches (merge-patch+json), refuses a stale version with 409 and an invalid result with 400 naming the field', async () => {
      const patched = await call(
        'patch',
        `/${k.segment}/${name}?namespace=${ns}`,
        operator,
        k.patch,
        'application/merge-patch+json',
      );
      expect(patched.status).toBe(200);
      expect(
        k.patched(
          JSON.parse(kubectlOk('admin', ['get', k.resource, name, '-n', ns, '-o', 'json'])),
        ),
      ).toEqual(k.patchedValue);
      await expect(
        call('patch', `/${k.segment}/${name}?namespace=${ns}`, operator, {
          metadata: { resourceVersion: '1' },
          spec: k.patch.spec,
        }),
      ).resolves.toMatchObject({ status: 409, body: { code: 'K8S_CONFLICT' } });
      const bad = await call(
        'patch',
        `/${k.segment}/${name}?namespace=${ns}`,
        operator,
        k.invalidPatch,
      );
      expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(bad.body.details.map((d: any) => d.field)).toContain(k.invalidField);
      expect(
        k.patched(
          JSON.parse(kubectlOk('admin', ['get', k.resource, name, '-n', ns, '-o', 'json'])),
        ),
      ).toEqual(k.patchedValue);
    });

    it('refuses every write to a viewer with 403', async () => {
      for (const [method, path, body] of [
        ['post', `/${k.segment}?namespace=${ns}`, k.body('viewer-made')],
        ['put', `/${k.segment}/${name}?namespace=${ns}`, k.body(name)],
        ['patch', `/${k.segment}/${name}?namespace=${ns}`, k.patch],
        ['delete', `/${k.segment}/${name}?namespace=${ns}`, undefined],
      ] as Array<[Method, string, object | undefined]>) {
        await expect(call(method, path, viewer, body)).resolves.toMatchObject({
          status: 403,
          body: { code: 'FORBIDDEN' },
        });
      }
      expect(read(k.resource, 'viewer-made').status).not.toBe(0);
    });

    it('deletes: dryRun and a stale resourceVersion leave it, then it is gone', async () => {
      await expect(
        call('delete', `/${k.segment}/${name}?namespace=${ns}&dryRun=true`, operator),
      ).resolves.toMatchObject({ status: 200, body: { data: { dryRun: true } } });
      expect(read(k.resource, name).status).toBe(0);
      await expect(
        call('delete', `/${k.segment}/${name}?namespace=${ns}&resourceVersion=1`, operator),
      ).resolves.toMatchObject({ status: 409, body: { code: 'K8S_CONFLICT' } });
      expect(read(k.resource, name).status).toBe(0);
      await expect(
        call('delete', `/${k.segment}/${name}?namespace=${ns}`, operator),
      ).resolves.toMatchObject({ status: 200, body: { data: { dryRun: false } } });
      expect(read(k.resource, name).stderr).toContain('NotFound');
      await expect(
        call('get', `/${k.segment}/${name}?namespace=${ns}`, viewer),
      ).resolves.toMatchObject({ status: 404, body: { code: 'K8S_NOT_FOUND' } });
    });
  });

  it('refuses invalid objects with 400 and every bad field listed, never a 500', async () => {
    const gateway = {
      metadata: { name: 'bad-gw' },
      spec: {
        selector: { istio: 1 },
        servers: [
          {
            port: { number: 'eighty', name: 'http', protocol: 'SMTP' },
            hosts: ['bad host!', 'ns/ok.example.com'],
          },
          {
            port: { number: 443, name: 'https', protocol: 'HTTPS' },
            hosts: ['a.example.com'],
            tls: { mode: 'SIMPLE' },
          },
        ],
      },
    };
    const res = await call('post', `/gateways?namespace=${ns}`, operator, gateway);
    expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(res.body.details.map((d: any) => d.field).sort()).toEqual([
      'spec.selector',
      'spec.servers.0.hosts',
      'spec.servers.0.port.number',
      'spec.servers.0.port.protocol',
      'spec.servers.1.tls.credentialName',
    ]);
    const vs = {
      metadata: { name: 'bad-vs' },
      spec: {
        hosts: ['a.example.com'],
        gateways: ['Not A Gateway'],
        http: [{ route: [{ destination: { subset: 'v1' }, weight: -1 }] }],
      },
    };
    const vsRes = await call('post', `/virtual-services?namespace=${ns}`, operator, vs);
    expect(vsRes.body.details.map((d: any) => d.field).sort()).toEqual([
      'spec.gateways',
      'spec.http.0.route.0.destination.host',
      'spec.http.0.route.0.weight',
    ]);
    for (const body of [
      [1, 2],
      { metadata: { name: 'x' } },
      { metadata: 'x', spec: 'y' },
      { kind: 'Gateway', metadata: { name: 'x' }, spec: { host: 'web' } },
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        metadata: { name: 'x' },
        spec: { host: 'web' },
      },
    ]) {
      await expect(
        call('post', `/destination-rules?namespace=${ns}`, operator, body),
      ).resolves.toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    }
    await expect(
      call('post', `/destination-rules?namespace=${ns}`, operator, {
        metadata: { name: 'x', namespace: 'elsewhere' },
        spec: { host: 'web' },
      }),
    ).resolves.toMatchObject({ status: 400 });
    await expect(
      call('post', `/sidecars?namespace=${ns}`, operator, { metadata: { name: 'x' }, spec: {} }),
    ).resolves.toMatchObject({ status: 404, body: { code: 'ROUTE_NOT_FOUND' } });
    expect(
      kubectlOk('admin', [
        'get',
        'gateways.networking.istio.io,virtualservices.networking.istio.io,destinationrules.networking.istio.io',
        '-n',
        ns,
        '-o',
        'name',
      ]).trim(),
    ).toBe('');
  });

  it('audits every write with its route, including the refused ones', async () => {
    let entries: Array<{ method: string; route: string; target: string; resultCode: string }> = [];
    for (let i = 0; i < 50 && entries.length < 24; i++) {
      entries = (
        await t.http().get('/api/v1/audit?actor=mesh-operator&limit=500').set(bearer(ADMIN_TOKEN))
      ).body.data.items;
      await new Promise((r) => setTimeout(r, 50));
    }
    for (const k of KINDS) {
      // Each kind has its own routes, so the route names the kind.
      const route = `/api/v1/clusters/:clusterId/istio/${k.segment}`;
      const mine = entries.filter((e) => e.route.startsWith(route));
      expect(new Set(mine.map((e) => `${e.method} ${e.route} ${e.resultCode}`))).toEqual(
        new Set([
          `POST ${route} OK`,
          `PUT ${route}/:name OK`,
          `PUT ${route}/:name K8S_CONFLICT`,
          `PATCH ${route}/:name OK`,
          `PATCH ${route}/:name K8S_CONFLICT`,
          `PATCH ${route}/:name VALIDATION_FAILED`,
          `DELETE ${route}/:name OK`,
          `DELETE ${route}/:name K8S_CONFLICT`,
          `POST ${route} VALIDATION_FAILED`,
        ]),
      );
    }
    const refused = (
      await t
        .http()
        .get('/api/v1/audit?actor=mesh-viewer&resultCode=FORBIDDEN&limit=500')
        .set(bearer(ADMIN_TOKEN))
    ).body.data.items;
    expect(refused).toHaveLength(KINDS.length * 4);
  });

  it('reads Gateway API Gateways and HTTPRoutes (gateway.networking.k8s.io/v1)', async () => {
    kubectlOk('admin', ['apply', '-n', ns, '-f', '-'], {
      input: `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: edge }
spec: { gatewayClassName: istio, listeners: [{ name: http, port: 80, protocol: HTTP, hostname: edge.example.com }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: web }
spec: { parentRefs: [{ name: edge }], rules: [{ backendRefs: [{ name: nothing, port: 80 }] }] }`,
    });
    const gateways = await t
      .http()
      .get(`/api/v1/clusters/mesh/gateway-api/gateways?namespace=${ns}`)
      .set(bearer(viewer));
    expect(gateways.body.data).toMatchObject({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      items: [{ metadata: { name: 'edge' } }],
    });
    const route = await t
      .http()
      .get(`/api/v1/clusters/mesh/gateway-api/http-routes/web?namespace=${ns}`)
      .set(bearer(viewer));
    expect(route.body.data).toMatchObject({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      object: { spec: { parentRefs: [{ name: 'edge' }] } },
    });
    expect(route.body.data.validations.map((f: any) => f.code)).toEqual([
      'GWAPI_ROUTE_BACKEND_NOT_FOUND',
    ]);
    await expect(
      t
        .http()
        .get(`/api/v1/clusters/mesh/gateway-api/gateways/missing?namespace=${ns}`)
        .set(bearer(viewer)),
    ).resolves.toMatchObject({ status: 404, body: { code: 'K8S_NOT_FOUND' } });
  });
});
