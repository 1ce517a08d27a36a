import { randomBytes } from 'node:crypto';
import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import { createNamespace, deleteNamespace, kubectlOk } from './support/test-cluster';

interface Finding {
  code: string;
  object: { group: string; kind: string; namespace: string; name: string };
  path: string;
  kialiCode: string | null;
}

const pod = (name: string, labels: Record<string, string>) => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, labels: ${JSON.stringify(labels)} }
spec: { containers: [{ name: app, image: registry.example/app:1 }] }`;
const service = (name: string, selector: Record<string, string>) => `apiVersion: v1
kind: Service
metadata: { name: ${name} }
spec: { selector: ${JSON.stringify(selector)}, ports: [{ name: http, port: 80 }] }`;
const istio = (kind: string, name: string, spec: object) => `apiVersion: networking.istio.io/v1
kind: ${kind}
metadata: { name: ${name} }
spec: ${JSON.stringify(spec)}`;
const gwapi = (
  kind: string,
  name: string,
  spec: object,
) => `apiVersion: gateway.networking.k8s.io/v1
kind: ${kind}
metadata: { name: ${name} }
spec: ${JSON.stringify(spec)}`;
const apply = (namespace: string, docs: string[]) =>
  kubectlOk('admin', ['apply', '-n', namespace, '-f', '-'], { input: docs.join('\n---\n') });

describe('Istio and Gateway API validations against the real cluster', () => {
  let t: TestApp;
  // a: most objects; b: the shared Gateways (cross-namespace binding); p: the gateway pods and their Secret.
  let a: string;
  let b: string;
  let p: string;
  let findings: Finding[];
  const s = randomBytes(3).toString('hex');
  const selector = { istio: `ig-${s}` };
  const http = (hosts: string[], port = 80, name = 'http') => ({
    port: { number: port, name, protocol: 'HTTP' },
    hosts,
  });
  const route = (host: string, extra: object = {}) => ({ destination: { host, ...extra } });
  const about = (name: string, kind?: string) =>
    findings
      .filter((f) => f.object.name === name && (!kind || f.object.kind === kind))
      .map((f) => f.code);
  const report = async (cluster: string, namespace: string) => {
    const res = await t
      .http()
      .get(`/api/v1/clusters/${cluster}/istio/validations?namespace=${namespace}`)
      .set(bearer(ADMIN_TOKEN));
    expect(res.status).toBe(200);
    return res.body.data as {
      findings: Finding[];
      skipped: Array<{ code: string; reason: string }>;
      counts: Record<string, number>;
    };
  };

  beforeAll(async () => {
    t = await startServer();
    await register(t, 'val');
    [a, b, p] = [createNamespace('val'), createNamespace('valb'), createNamespace('valpods')];
    kubectlOk('admin', [
      'create',
      'secret',
      'generic',
      'good-cert',
      '-n',
      p,
      '--from-literal=cert=x',
    ]);
    kubectlOk('admin', [
      'create',
      'secret',
      'generic',
      'cert-in-gateway-namespace',
      '-n',
      a,
      '--from-literal=cert=x',
    ]);
    apply(p, [pod('ingress', { ...selector, app: 'ingress' })]);
    apply(b, [
      istio('Gateway', 'shared', { selector, servers: [http([`*/*.shared.${s}.test`])] }),
      gwapi('Gateway', 'kgw', {
        gatewayClassName: 'istio',
        listeners: [
          {
            name: 'http',
            port: 80,
            protocol: 'HTTP',
            hostname: `kgw.${s}.test`,
            allowedRoutes: { namespaces: { from: 'All' } },
          },
        ],
      }),
      istio('DestinationRule', 'dr-dup-ok', {
        host: `api.${a}.svc.cluster.local`,
        subsets: [{ name: 'v1', labels: { version: 'v1' } }],
      }),
    ]);
    const shared = `${b}/shared`;
    apply(a, [
      pod('web-v1', { app: 'web', version: 'v1' }),
      pod('api-v1', { app: 'api', version: 'v1' }),
      service('web', { app: 'web' }),
      service('api', { app: 'api' }),
      istio('ServiceEntry', 'ext', {
        hosts: [`ext.${s}.example.org`],
        location: 'MESH_EXTERNAL',
        ports: [{ number: 443, name: 'tls', protocol: 'TLS' }],
        resolution: 'DNS',
      }),
      istio('DestinationRule', 'dr-web', {
        host: 'web',
        subsets: [{ name: 'v1', labels: { version: 'v1' } }],
      }),
      // ISTIO_GW_SELECTOR_NO_PODS
      istio('Gateway', 'gw-nopods-bad', {
        selector: { istio: `nothing-${s}` },
        servers: [http([`nopods-bad.${s}.test`])],
      }),
      istio('Gateway', 'gw-nopods-ok', { selector, servers: [http([`nopods-ok.${s}.test`])] }),
      // ISTIO_GW_DUPLICATE_HOST_PORT
      istio('Gateway', 'gw-dup-bad-1', { selector, servers: [http([`dup.${s}.test`])] }),
      istio('Gateway', 'gw-dup-bad-2', { selector, servers: [http([`dup.${s}.test`])] }),
      istio('Gateway', 'gw-dup-ok-1', { selector, servers: [http([`dup-ok.${s}.test`])] }),
      istio('Gateway', 'gw-dup-ok-2', { selector, servers: [http([`dup-ok.${s}.test`], 8080)] }),
      // ISTIO_GW_TLS_SECRET_MISSING: the Secret must be where the gateway pods run, not where the Gateway is
      istio('Gateway', 'gw-tls-bad', {
        selector,
        servers: [
          {
            port: { number: 443, name: 'https', protocol: 'HTTPS' },
            hosts: [`tls-bad.${s}.test`],
            tls: { mode: 'SIMPLE', credentialName: 'cert-in-gateway-namespace' },
          },
        ],
      }),
      istio('Gateway', 'gw-tls-ok', {
        selector,
        servers: [
          {
            port: { number: 443, name: 'https', protocol: 'HTTPS' },
            hosts: [`tls-ok.${s}.test`],
            tls: { mode: 'SIMPLE', credentialName: 'good-cert' },
          },
        ],
      }),
      // ISTIO_GW_PORT_NAME_CONVENTION
      istio('Gateway', 'gw-portname-bad', {
        selector,
        servers: [http([`portname-bad.${s}.test`], 80, 'web')],
      }),
      istio('Gateway', 'gw-portname-ok', {
        selector,
        servers: [http([`portname-ok.${s}.test`], 80, 'http-web')],
      }),
      // ISTIO_VS_GATEWAY_NOT_FOUND (a short name means this namespace: "shared" lives in b)
      istio('VirtualService', 'vs-gwref-bad', {
        hosts: [`gwref-bad.shared.${s}.test`],
        gateways: ['shared'],
        http: [{ route: [route('web')] }],
      }),
      istio('VirtualService', 'vs-gwref-ok', {
        hosts: [`gwref-ok.shared.${s}.test`],
        gateways: [shared],
        http: [{ route: [route('web')] }],
      }),
      // ISTIO_VS_HOST_NOT_IN_GATEWAY
      istio('VirtualService', 'vs-host-bad', {
        hosts: [`elsewhere.${s}.test`],
        gateways: [shared],
        http: [{ route: [route('web')] }],
      }),
      istio('VirtualService', 'vs-host-ok', {
        hosts: [`host-ok.shared.${s}.test`],
        gateways: [shared],
        http: [{ route: [route('web')] }],
      }),
      // ISTIO_VS_DESTINATION_HOST_NOT_FOUND (Istio does not expand Kubernetes DNS shorthand such as web.<namespace>)
      istio('VirtualService', 'vs-dest-bad', {
        hosts: [`dest-bad.${s}.test`],
        http: [{ route: [route('nothing')] }],
      }),
      istio('VirtualService', 'vs-dest-bad-dns', {
        hosts: [`dest-bad-dns.${s}.test`],
        http: [{ route: [route(`web.${a}`)] }],
      }),
      istio('VirtualService', 'vs-dest-ok', {
        hosts: [`dest-ok.${s}.test`],
        http: [{ route: [route(`web.${a}.svc.cluster.local`)] }],
        tls: [
          { match: [{ sniHosts: [`dest-ok.${s}.test`] }], route: [route(`ext.${s}.example.org`)] },
        ],
      }),
      // ISTIO_VS_SUBSET_NOT_FOUND
      istio('VirtualService', 'vs-subset-bad', {
        hosts: [`subset-bad.${s}.test`],
        http: [{ route: [route('web', { subset: 'v9' })] }],
      }),
      istio('VirtualService', 'vs-subset-ok', {
        hosts: [`subset-ok.${s}.test`],
        http: [{ route: [route('web', { subset: 'v1' })] }],
      }),
      // ISTIO_VS_WEIGHTS_NOT_100
      istio('VirtualService', 'vs-weights-bad', {
        hosts: [`weights-bad.${s}.test`],
        http: [
          {
            route: [
              { ...route('web'), weight: 60 },
              { ...route('api'), weight: 30 },
            ],
          },
        ],
      }),
      istio('VirtualService', 'vs-weights-ok', {
        hosts: [`weights-ok.${s}.test`],
        http: [
          {
            route: [
              { ...route('web'), weight: 60 },
              { ...route('api'), weight: 40 },
            ],
          },
        ],
      }),
      // ISTIO_VS_DUPLICATE_HOST
      istio('VirtualService', 'vs-dup-bad-1', {
        hosts: [`dup.shared.${s}.test`],
        gateways: [shared],
        http: [{ route: [route('web')] }],
      }),
      istio('VirtualService', 'vs-dup-bad-2', {
        hosts: [`dup.shared.${s}.test`],
        gateways: [shared],
        http: [{ route: [route('api')] }],
      }),
      istio('VirtualService', 'vs-dup-ok-1', {
        hosts: [`dup-ok.shared.${s}.test`],
        gateways: [shared],
        http: [{ route: [route('web')] }],
      }),
      istio('VirtualService', 'vs-dup-ok-2', {
        hosts: [`dup-ok.shared.${s}.test`],
        http: [{ route: [route('api')] }],
      }),
      // ISTIO_DR_HOST_NOT_FOUND
      istio('DestinationRule', 'dr-host-bad', { host: 'nothing' }),
      istio('DestinationRule', 'dr-host-ok', { host: `ext.${s}.example.org` }),
      // ISTIO_DR_SUBSET_NO_PODS
      istio('DestinationRule', 'dr-subset-bad', {
        host: `web.${a}.svc.cluster.local`,
        subsets: [{ name: 'v7', labels: { version: 'v7' } }],
      }),
      istio('DestinationRule', 'dr-subset-ok', {
        host: `web.${a}.svc.cluster.local`,
        subsets: [{ name: 'stable', labels: { version: 'v1' } }],
      }),
      // ISTIO_DR_DUPLICATE_SUBSET (dr-dup-ok is the same rule in namespace b: a client-namespace override, no conflict)
      istio('DestinationRule', 'dr-dup-bad-1', {
        host: 'api',
        subsets: [{ name: 'v1', labels: { version: 'v1' } }],
      }),
      istio('DestinationRule', 'dr-dup-bad-2', {
        host: `api.${a}.svc.cluster.local`,
        subsets: [{ name: 'v1', labels: { version: 'v1' } }],
      }),
      // GWAPI_ROUTE_PARENT_NOT_FOUND and GWAPI_ROUTE_BACKEND_NOT_FOUND
      gwapi('HTTPRoute', 'route-parent-bad', {
        parentRefs: [{ name: 'kgw' }],
        rules: [{ backendRefs: [{ name: 'web', port: 80 }] }],
      }),
      gwapi('HTTPRoute', 'route-parent-ok', {
        parentRefs: [{ name: 'kgw', namespace: b }],
        rules: [{ backendRefs: [{ name: 'web', port: 80 }] }],
      }),
      gwapi('HTTPRoute', 'route-backend-bad', {
        parentRefs: [{ name: 'kgw', namespace: b }],
        rules: [{ backendRefs: [{ name: 'nothing', port: 80 }] }],
      }),
      gwapi('HTTPRoute', 'route-backend-ok', {
        parentRefs: [{ name: 'kgw', namespace: b }],
        rules: [{ backendRefs: [{ name: 'api', port: 80 }] }],
      }),
      // GWAPI_LISTENER_DUPLICATE_HOST_PORT (the CRD itself refuses equal protocol, hostname and port; HTTP and HTTPS still collide)
      gwapi('Gateway', 'kgw-listeners-bad', {
        gatewayClassName: 'istio',
        listeners: [
          { name: 'http', port: 8443, protocol: 'HTTP', hostname: `l.${s}.test` },
          {
            name: 'https',
            port: 8443,
            protocol: 'HTTPS',
            hostname: `l.${s}.test`,
            tls: { mode: 'Terminate', certificateRefs: [{ name: 'good-cert' }] },
          },
        ],
      }),
      gwapi('Gateway', 'kgw-listeners-ok', {
        gatewayClassName: 'istio',
        listeners: [
          { name: 'http', port: 8443, protocol: 'HTTP', hostname: `l-ok.${s}.test` },
          {
            name: 'https',
            port: 9443,
            protocol: 'HTTPS',
            hostname: `l-ok.${s}.test`,
            tls: { mode: 'Terminate', certificateRefs: [{ name: 'good-cert' }] },
          },
        ],
      }),
      // GWAPI_GATEWAY_DUPLICATE_HOST_PORT: only Gateways on one address collide
      gwapi('Gateway', 'kgw-addr-bad-1', {
        gatewayClassName: 'istio',
        addresses: [{ type: 'Hostname', value: `lb.${s}.test` }],
        listeners: [{ name: 'http', port: 80, protocol: 'HTTP', hostname: `addr.${s}.test` }],
      }),
      gwapi('Gateway', 'kgw-addr-bad-2', {
        gatewayClassName: 'istio',
        addresses: [{ type: 'Hostname', value: `lb.${s}.test` }],
        listeners: [{ name: 'http', port: 80, protocol: 'HTTP', hostname: `addr.${s}.test` }],
      }),
      gwapi('Gateway', 'kgw-addr-ok-1', {
        gatewayClassName: 'istio',
        addresses: [{ type: 'Hostname', value: `lb1.${s}.test` }],
        listeners: [{ name: 'http', port: 80, protocol: 'HTTP', hostname: `addr-ok.${s}.test` }],
      }),
      gwapi('Gateway', 'kgw-addr-ok-2', {
        gatewayClassName: 'istio',
        addresses: [{ type: 'Hostname', value: `lb2.${s}.test` }],
        listeners: [{ name: 'http', port: 80, protocol: 'HTTP', hostname: `addr-ok.${s}.test` }],
      }),
    ]);
    findings = [...(await report('val', a)).findings, ...(await report('val', b)).findings];
  }, 120_000);
  afterAll(async () => {
    for (const ns of [a, b, p]) deleteNamespace(ns);
    await t.close();
  });

  it.each([
    ['ISTIO_GW_SELECTOR_NO_PODS', ['gw-nopods-bad'], ['gw-nopods-ok'], 'KIA0302'],
    [
      'ISTIO_GW_DUPLICATE_HOST_PORT',
      ['gw-dup-bad-1', 'gw-dup-bad-2'],
      ['gw-dup-ok-1', 'gw-dup-ok-2'],
      'KIA0301',
    ],
    ['ISTIO_GW_TLS_SECRET_MISSING', ['gw-tls-bad'], ['gw-tls-ok'], null],
    ['ISTIO_GW_PORT_NAME_CONVENTION', ['gw-portname-bad'], ['gw-portname-ok'], null],
    ['ISTIO_VS_GATEWAY_NOT_FOUND', ['vs-gwref-bad'], ['vs-gwref-ok'], 'KIA1102'],
    ['ISTIO_VS_HOST_NOT_IN_GATEWAY', ['vs-host-bad'], ['vs-host-ok'], null],
    [
      'ISTIO_VS_DESTINATION_HOST_NOT_FOUND',
      ['vs-dest-bad', 'vs-dest-bad-dns'],
      ['vs-dest-ok'],
      'KIA1101',
    ],
    ['ISTIO_VS_SUBSET_NOT_FOUND', ['vs-subset-bad'], ['vs-subset-ok'], 'KIA1107'],
    ['ISTIO_VS_WEIGHTS_NOT_100', ['vs-weights-bad'], ['vs-weights-ok'], null],
    [
      'ISTIO_VS_DUPLICATE_HOST',
      ['vs-dup-bad-1', 'vs-dup-bad-2'],
      ['vs-dup-ok-1', 'vs-dup-ok-2'],
      'KIA1106',
    ],
    ['ISTIO_DR_HOST_NOT_FOUND', ['dr-host-bad'], ['dr-host-ok'], 'KIA0202'],
    ['ISTIO_DR_SUBSET_NO_PODS', ['dr-subset-bad'], ['dr-subset-ok', 'dr-web'], 'KIA0203'],
    ['ISTIO_DR_DUPLICATE_SUBSET', ['dr-dup-bad-1', 'dr-dup-bad-2'], ['dr-dup-ok'], 'KIA0201'],
    ['GWAPI_ROUTE_PARENT_NOT_FOUND', ['route-parent-bad'], ['route-parent-ok'], 'KIA1401'],
    ['GWAPI_ROUTE_BACKEND_NOT_FOUND', ['route-backend-bad'], ['route-backend-ok'], 'KIA1402'],
    ['GWAPI_LISTENER_DUPLICATE_HOST_PORT', ['kgw-listeners-bad'], ['kgw-listeners-ok'], 'KIA1503'],
    [
      'GWAPI_GATEWAY_DUPLICATE_HOST_PORT',
      ['kgw-addr-bad-1', 'kgw-addr-bad-2'],
      ['kgw-addr-ok-1', 'kgw-addr-ok-2'],
      'KIA1501',
    ],
  ])(
    '%s: the broken objects raise exactly that code, the nearest correct ones nothing',
    (code, bad, ok, kialiCode) => {
      for (const name of bad) expect([name, [...new Set(about(name))]]).toEqual([name, [code]]);
      for (const name of ok) expect([name, about(name)]).toEqual([name, []]);
      expect(findings.find((f) => f.code === code)?.kialiCode ?? null).toBe(kialiCode);
    },
  );

  it('reports nothing about the shared objects in the other namespace', () => {
    expect(findings.filter((f) => f.object.namespace === b)).toEqual([]);
  });

  it("shows the same findings inline on the object's GET", async () => {
    const res = await t
      .http()
      .get(`/api/v1/clusters/val/istio/gateways/gw-tls-bad?namespace=${a}`)
      .set(bearer(ADMIN_TOKEN));
    expect(res.body.data.validations).toEqual([
      expect.objectContaining({
        code: 'ISTIO_GW_TLS_SECRET_MISSING',
        path: 'spec.servers[0].tls.credentialName',
        istioctlCode: 'IST0101',
        severity: 'error',
      }),
    ]);
    expect(res.body.data.skippedChecks).toEqual([]);
    const off = await t
      .http()
      .get(`/api/v1/clusters/val/istio/gateways/gw-tls-bad?namespace=${a}&validate=false`)
      .set(bearer(ADMIN_TOKEN));
    expect(off.body.data.validations).toBeNull();
  });

  it('with a credential that may not list Secrets, skips the Secret check and says why, and reports no false finding', async () => {
    await register(t, 'val-viewer', 'viewer');
    const viewerReport = await report('val-viewer', a);
    expect(viewerReport.skipped).toEqual([
      {
        code: 'ISTIO_GW_TLS_SECRET_MISSING',
        reason: "secrets: forbidden for this cluster's credential",
      },
    ]);
    expect(viewerReport.findings.filter((f) => f.object.name === 'gw-tls-bad')).toEqual([]);
    expect(viewerReport.findings.filter((f) => f.object.name !== 'gw-tls-bad')).toEqual(
      findings.filter((f) => f.object.namespace === a && f.object.name !== 'gw-tls-bad'),
    );
  });
});

describe('a realistic correct mesh', () => {
  let t: TestApp;
  let ingress: string;
  let shop: string;
  let front: string;
  const s = randomBytes(3).toString('hex');
  const domain = `mesh-${s}.example.com`;

  beforeAll(async () => {
    t = await startServer();
    await register(t, 'mesh-ok');
    [ingress, shop, front] = [
      createNamespace('mesh-ingress'),
      createNamespace('mesh-shop'),
      createNamespace('mesh-front'),
    ];
    kubectlOk('admin', [
      'create',
      'secret',
      'generic',
      'shop-tls',
      '-n',
      ingress,
      '--from-literal=cert=x',
    ]);
    const selector = { istio: `ingress-${s}` };
    apply(ingress, [
      pod('ingressgateway', { ...selector, app: 'istio-ingressgateway' }),
      // One wildcard host for every team, HTTP redirected to HTTPS, the certificate beside the gateway pods.
      istio('Gateway', 'public', {
        selector,
        servers: [
          {
            port: { number: 80, name: 'http', protocol: 'HTTP' },
            hosts: [`*/*.${domain}`],
            tls: { httpsRedirect: true },
          },
          {
            port: { number: 443, name: 'https', protocol: 'HTTPS' },
            hosts: [`*/*.${domain}`],
            tls: { mode: 'SIMPLE', credentialName: 'shop-tls' },
          },
        ],
      }),
      gwapi('Gateway', 'edge', {
        gatewayClassName: 'istio',
        listeners: [
          {
            name: 'http',
            port: 8080,
            protocol: 'HTTP',
            hostname: `*.${domain}`,
            allowedRoutes: { namespaces: { from: 'All' } },
          },
        ],
      }),
    ]);
    apply(shop, [
      pod('web-v1', { app: 'web', version: 'v1' }),
      pod('web-v2', { app: 'web', version: 'v2' }),
      pod('reviews-v1', { app: 'reviews', version: 'v1' }),
      service('web', { app: 'web' }),
      service('reviews', { app: 'reviews' }),
      istio('ServiceEntry', 'payments', {
        hosts: [`api.pay-${s}.example.org`],
        location: 'MESH_EXTERNAL',
        ports: [{ number: 443, name: 'tls', protocol: 'TLS' }],
        resolution: 'DNS',
      }),
      // Bound to the gateway in another namespace; short names resolve here; a canary split by subsets.
      istio('VirtualService', 'web', {
        hosts: [`shop.${domain}`],
        gateways: [`${ingress}/public`],
        http: [
          {
            match: [{ uri: { prefix: '/reviews' } }],
            route: [{ destination: { host: 'reviews', port: { number: 80 } } }],
          },
          {
            route: [
              { destination: { host: 'web', subset: 'v1' }, weight: 90 },
              { destination: { host: 'web', subset: 'v2' }, weight: 10 },
            ],
            retries: { attempts: 2 },
          },
        ],
      }),
      istio('DestinationRule', 'web', {
        host: 'web',
        trafficPolicy: { loadBalancer: { simple: 'LEAST_REQUEST' } },
        subsets: [
          { name: 'v1', labels: { version: 'v1' } },
          { name: 'v2', labels: { version: 'v2' } },
        ],
      }),
      istio('VirtualService', 'payments', {
        hosts: [`api.pay-${s}.example.org`],
        tls: [
          {
            match: [{ port: 443, sniHosts: [`api.pay-${s}.example.org`] }],
            route: [{ destination: { host: `api.pay-${s}.example.org`, port: { number: 443 } } }],
          },
        ],
      }),
      istio('DestinationRule', 'payments', {
        host: `api.pay-${s}.example.org`,
        trafficPolicy: { tls: { mode: 'SIMPLE' } },
      }),
      gwapi('HTTPRoute', 'web', {
        parentRefs: [{ name: 'edge', namespace: ingress }],
        hostnames: [`web.${domain}`],
        rules: [{ backendRefs: [{ name: 'web', port: 80 }] }],
      }),
    ]);
    apply(front, [
      // The mesh route of another team for the shop's web, visible only in its own namespace, with its own (client-side) rule.
      istio('VirtualService', 'web-internal', {
        hosts: [`web.${shop}.svc.cluster.local`],
        exportTo: ['.'],
        http: [
          {
            route: [{ destination: { host: `web.${shop}.svc.cluster.local`, subset: 'v1' } }],
            timeout: '3s',
          },
        ],
      }),
      istio('DestinationRule', 'web-client', {
        host: `web.${shop}.svc.cluster.local`,
        exportTo: ['.'],
        subsets: [{ name: 'v1', labels: { version: 'v1' } }],
      }),
    ]);
  }, 120_000);
  afterAll(async () => {
    for (const ns of [ingress, shop, front]) deleteNamespace(ns);
    await t.close();
  });

  it('yields zero findings and skips nothing', async () => {
    for (const namespace of [ingress, shop, front]) {
      const res = await t
        .http()
        .get(`/api/v1/clusters/mesh-ok/istio/validations?namespace=${namespace}`)
        .set(bearer(ADMIN_TOKEN));
      expect([namespace, res.status, res.body.data.findings, res.body.data.skipped]).toEqual([
        namespace,
        200,
        [],
        [],
      ]);
    }
  });

  it('stays clean with two mesh VirtualServices for one host exported to disjoint namespaces', async () => {
    // The shop's own mesh route for web beside the front team's: exportTo keeps them apart, so no KIA1106.
    apply(shop, [
      istio('VirtualService', 'web-mesh', {
        hosts: ['web'],
        exportTo: ['.'],
        http: [{ route: [{ destination: { host: 'web', subset: 'v1' } }] }],
      }),
    ]);
    const res = await t
      .http()
      .get(`/api/v1/clusters/mesh-ok/istio/validations`)
      .set(bearer(ADMIN_TOKEN));
    expect(
      res.body.data.findings.filter((f: Finding) =>
        [ingress, shop, front].includes(f.object.namespace),
      ),
    ).toEqual([]);
  });
});
