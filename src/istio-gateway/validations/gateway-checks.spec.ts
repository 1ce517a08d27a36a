import { runValidations } from './run-validations';
import { MeshSnapshot } from './snapshot';
import { gateway, httpServer, ingressPod, pod, secret, snapshot } from './testing/mesh-builders';

const codes = (s: Partial<MeshSnapshot>) => runValidations(snapshot(s)).findings.map((f) => f.code);
const tlsServer = (credentialName: string, mode = 'SIMPLE') => ({
  port: { number: 443, name: 'https', protocol: 'HTTPS' },
  hosts: ['shop.example.com'],
  tls: { mode, credentialName },
});

describe('Gateway checks', () => {
  const gw = (spec: Record<string, unknown>, ns = 'shop', name = 'gw') =>
    gateway(ns, name, { selector: { istio: 'ingressgateway' }, ...spec });

  it('ISTIO_GW_SELECTOR_NO_PODS when no pod in any namespace has the selector labels', () => {
    expect(
      codes({
        gateways: [
          gateway('shop', 'gw', {
            selector: { istio: 'nope' },
            servers: [httpServer(['a.example.com'])],
          }),
        ],
        pods: [ingressPod],
      }),
    ).toEqual(['ISTIO_GW_SELECTOR_NO_PODS']);
  });

  it('no finding for a selector matching gateway pods in another namespace (cross-namespace gateway)', () => {
    expect(
      codes({ gateways: [gw({ servers: [httpServer(['a.example.com'])] })], pods: [ingressPod] }),
    ).toEqual([]);
  });

  it('ISTIO_GW_DUPLICATE_HOST_PORT on both Gateways claiming a host on a port for the same selector', () => {
    const report = runValidations(
      snapshot({
        gateways: [
          gw({ servers: [httpServer(['a.example.com'])] }, 'shop', 'one'),
          gw({ servers: [httpServer(['shop/a.example.com'])] }, 'web', 'two'),
        ],
        pods: [ingressPod],
      }),
    );
    expect(
      report.findings.map((f) => [
        f.code,
        f.object.name,
        f.fields.kialiCode,
        f.fields.istioctlCode,
      ]),
    ).toEqual([
      ['ISTIO_GW_DUPLICATE_HOST_PORT', 'one', 'KIA0301', 'IST0145'],
      ['ISTIO_GW_DUPLICATE_HOST_PORT', 'two', 'KIA0301', 'IST0145'],
    ]);
  });

  it('no duplicate finding for another port, another selector, or a wildcard next to a specific host', () => {
    const other = pod('istio-system', 'eg', { istio: 'egressgateway' });
    expect(
      codes({
        gateways: [
          gw({ servers: [httpServer(['a.example.com'])] }, 'shop', 'one'),
          gw({ servers: [httpServer(['a.example.com'], 8080)] }, 'shop', 'two'),
        ],
        pods: [ingressPod],
      }),
    ).toEqual([]);
    expect(
      codes({
        gateways: [
          gw({ servers: [httpServer(['a.example.com'])] }, 'shop', 'one'),
          gateway('shop', 'two', {
            selector: { istio: 'egressgateway' },
            servers: [httpServer(['a.example.com'])],
          }),
        ],
        pods: [ingressPod, other],
      }),
    ).toEqual([]);
    expect(
      codes({
        gateways: [
          gw({ servers: [httpServer(['*.example.com'])] }, 'shop', 'one'),
          gw({ servers: [httpServer(['a.example.com'])] }, 'shop', 'two'),
        ],
        pods: [ingressPod],
      }),
    ).toEqual([]);
  });

  it("ISTIO_GW_TLS_SECRET_MISSING when the credential Secret is not in the gateway pods' namespace", () => {
    const report = runValidations(
      snapshot({
        gateways: [gw({ servers: [tlsServer('shop-cert')] })],
        pods: [ingressPod],
        secrets: [secret('shop', 'shop-cert')],
      }),
    );
    expect(report.findings).toEqual([
      expect.objectContaining({
        code: 'ISTIO_GW_TLS_SECRET_MISSING',
        fields: expect.objectContaining({
          path: 'spec.servers[0].tls.credentialName',
          istioctlCode: 'IST0101',
        }),
      }),
    ]);
  });

  it("no secret finding when it is in the pods' namespace, is a kubernetes:// reference, or the mode needs none", () => {
    expect(
      codes({
        gateways: [gw({ servers: [tlsServer('shop-cert')] })],
        pods: [ingressPod],
        secrets: [secret('istio-system', 'shop-cert')],
      }),
    ).toEqual([]);
    expect(
      codes({
        gateways: [gw({ servers: [tlsServer('kubernetes://shop-cert')] })],
        pods: [ingressPod],
        secrets: [secret('istio-system', 'shop-cert')],
      }),
    ).toEqual([]);
    expect(
      codes({
        gateways: [gw({ servers: [tlsServer('anything', 'PASSTHROUGH')] })],
        pods: [ingressPod],
      }),
    ).toEqual([]);
  });

  it('skips the secret check, with the reason, when Secrets could not be read', () => {
    const report = runValidations(
      snapshot({
        gateways: [gw({ servers: [tlsServer('shop-cert')] })],
        pods: [ingressPod],
        secrets: null,
      }),
      { secrets: 'forbidden' },
    );
    expect(report.findings).toEqual([]);
    expect(report.skipped).toEqual([
      { code: 'ISTIO_GW_TLS_SECRET_MISSING', reason: 'secrets: forbidden' },
    ]);
  });

  it('ISTIO_GW_PORT_NAME_CONVENTION for a port name not <protocol>[-suffix], none for http-web or HTTPS', () => {
    expect(
      codes({
        gateways: [
          gw({
            servers: [
              { port: { number: 80, name: 'web', protocol: 'HTTP' }, hosts: ['a.example.com'] },
            ],
          }),
        ],
        pods: [ingressPod],
      }),
    ).toEqual(['ISTIO_GW_PORT_NAME_CONVENTION']);
    expect(
      codes({
        gateways: [
          gw({
            servers: [
              {
                port: { number: 80, name: 'http-web', protocol: 'HTTP' },
                hosts: ['a.example.com'],
              },
              {
                port: { number: 443, name: 'HTTPS', protocol: 'HTTPS' },
                hosts: ['b.example.com'],
                tls: { mode: 'PASSTHROUGH' },
              },
            ],
          }),
        ],
        pods: [ingressPod],
      }),
    ).toEqual([]);
  });
});
