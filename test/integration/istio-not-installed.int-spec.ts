import {
  ADMIN_TOKEN,
  bearer,
  kubeconfigText,
  startServer,
  TestApp,
} from './support/cloudpilot-app';
import { clusterCli, kubectl } from './support/test-cluster';

/** A second cluster started without the Istio and Gateway API CRDs (reused if it already runs). */
describe('a cluster without Istio', () => {
  const name = `noistio-${process.pid}`;
  let t: TestApp;
  let kubeconfigDir: string;

  beforeAll(async () => {
    const up = clusterCli(['up', '--name', name, '--no-istio', '--nodes', '1']);
    if (up.status !== 0) throw new Error(`cluster:up ${name} failed: ${up.stderr}`);
    kubeconfigDir = up.stdout.trim().split('\n').pop()!;
    t = await startServer();
    const res = await t
      .http()
      .post('/api/v1/clusters')
      .set(bearer(ADMIN_TOKEN))
      .send({ name: 'bare', kubeconfig: kubeconfigText('admin', kubeconfigDir) });
    if (res.status !== 201)
      throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    clusterCli(['down', '--name', name]);
  }, 120_000);

  it('really serves no Istio CRDs', () => {
    expect(
      kubectl('admin', ['get', 'crd', 'gateways.networking.istio.io'], { kubeconfigDir }).status,
    ).not.toBe(0);
  });

  it('answers 404 ISTIO_NOT_INSTALLED on every Istio route, never a 500', async () => {
    const base = '/api/v1/clusters/bare/istio';
    const body = {
      metadata: { name: 'x' },
      spec: {
        host: 'web',
        selector: { istio: 'ingressgateway' },
        servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }],
      },
    };
    const calls: Array<['get' | 'post' | 'put' | 'patch' | 'delete', string, object?]> = [
      ['get', `${base}/validations`],
      ['get', `${base}/validations?namespace=default`],
    ];
    for (const kind of ['gateways', 'virtual-services', 'destination-rules']) {
      calls.push(
        ['get', `${base}/${kind}`],
        ['get', `${base}/${kind}/x?namespace=default`],
        ['post', `${base}/${kind}?namespace=default`, body],
        ['put', `${base}/${kind}/x?namespace=default`, body],
        ['patch', `${base}/${kind}/x?namespace=default`, { metadata: { labels: { a: 'b' } } }],
        ['delete', `${base}/${kind}/x?namespace=default`],
      );
    }
    for (const [method, path, payload] of calls) {
      const req = t.http()[method](path).set(bearer(ADMIN_TOKEN));
      const res = await (payload ? req.send(payload) : req);
      expect([method, path, res.status, res.body.code]).toEqual([
        method,
        path,
        404,
        'ISTIO_NOT_INSTALLED',
      ]);
    }
  });

  it('answers 404 GATEWAY_API_NOT_INSTALLED on the Gateway API routes', async () => {
    for (const path of [
      'gateways',
      'http-routes',
      'gateways/x?namespace=default',
      'http-routes/x?namespace=default',
    ]) {
      const res = await t
        .http()
        .get(`/api/v1/clusters/bare/gateway-api/${path}`)
        .set(bearer(ADMIN_TOKEN));
      expect([path, res.status, res.body.code]).toEqual([path, 404, 'GATEWAY_API_NOT_INSTALLED']);
    }
  });
});
