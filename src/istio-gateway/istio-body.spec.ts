import Ajv from 'ajv';
import { anyCase, SERVER_PROTOCOLS } from './istio-spec.dto';
import { checkIstioBody, ISTIO_BODY_RULES } from './istio-body';

const fields = (kind: string, body: unknown) =>
  checkIstioBody(kind, body)
    .map((e) => e.field)
    .sort();
const gateway = (server: Record<string, unknown>) => ({
  metadata: { name: 'gw' },
  spec: {
    selector: { istio: 'ingressgateway' },
    servers: [
      {
        port: { number: 443, name: 'https', protocol: 'HTTPS' },
        hosts: ['prod/*.example.com'],
        ...server,
      },
    ],
  },
});

describe('checkIstioBody', () => {
  it('accepts a valid Gateway and says nothing about fields the DTO does not declare', () => {
    expect(
      checkIstioBody(
        'Gateway',
        gateway({
          tls: { mode: 'SIMPLE', credentialName: 'cert', minProtocolVersion: 'TLSV1_2' },
          bind: '0.0.0.0',
        }),
      ),
    ).toEqual([]);
  });

  it('names each bad Gateway field: port, protocol, host form, missing TLS and missing credential', () => {
    expect(
      fields('Gateway', {
        metadata: { name: 'gw' },
        spec: { servers: [{ port: { number: 0, name: '', protocol: 'SMTP' }, hosts: ['a b'] }] },
      }),
    ).toEqual([
      'spec.servers.0.hosts',
      'spec.servers.0.port.name',
      'spec.servers.0.port.number',
      'spec.servers.0.port.protocol',
    ]);
    expect(fields('Gateway', gateway({}))).toEqual(['spec.servers.0.tls']);
    expect(fields('Gateway', gateway({ tls: { mode: 'MUTUAL' } }))).toEqual([
      'spec.servers.0.tls.credentialName',
    ]);
    expect(fields('Gateway', gateway({ tls: { mode: 'STRICT', credentialName: 'c' } }))).toEqual([
      'spec.servers.0.tls.mode',
    ]);
    expect(fields('Gateway', { metadata: { name: 'gw' }, spec: { servers: [] } })).toEqual([
      'spec.servers',
    ]);
  });

  it('validates VirtualService hosts, gateway references, destinations and weights', () => {
    const vs = (spec: Record<string, unknown>) => ({ metadata: { name: 'vs' }, spec });
    expect(
      checkIstioBody(
        'VirtualService',
        vs({
          hosts: ['*.example.com', 'reviews'],
          gateways: ['mesh', 'istio-system/public', 'public'],
          http: [
            {
              match: [{ uri: { prefix: '/' } }],
              route: [
                {
                  destination: { host: 'reviews', subset: 'v1', port: { number: 9080 } },
                  weight: 100,
                },
              ],
              timeout: '1s',
            },
          ],
        }),
      ),
    ).toEqual([]);
    expect(
      fields(
        'VirtualService',
        vs({
          hosts: ['not a host'],
          gateways: ['a/b/c'],
          tcp: [{ route: [{ destination: { host: 'x', port: { number: 99999 } }, weight: 101 }] }],
        }),
      ),
    ).toEqual([
      'spec.gateways',
      'spec.hosts',
      'spec.tcp.0.route.0.destination.port.number',
      'spec.tcp.0.route.0.weight',
    ]);
  });

  it('validates DestinationRule host, subsets and traffic policy', () => {
    const dr = (spec: Record<string, unknown>) => ({ metadata: { name: 'dr' }, spec });
    expect(
      checkIstioBody(
        'DestinationRule',
        dr({
          host: 'reviews.prod.svc.cluster.local',
          trafficPolicy: {
            loadBalancer: { simple: 'ROUND_ROBIN' },
            connectionPool: { tcp: { maxConnections: 1 } },
          },
          subsets: [{ name: 'v1', labels: { version: 'v1' } }],
        }),
      ),
    ).toEqual([]);
    expect(
      fields(
        'DestinationRule',
        dr({
          subsets: [{ labels: { version: 1 } }],
          trafficPolicy: { tls: { mode: 'SOMETIMES' } },
        }),
      ),
    ).toEqual([
      'spec.host',
      'spec.subsets.0.labels',
      'spec.subsets.0.name',
      'spec.trafficPolicy.tls.mode',
    ]);
  });

  it('refuses non-objects, a missing spec and a kind that contradicts the route', () => {
    expect(fields('Gateway', [1])).toEqual(['body']);
    expect(fields('DestinationRule', { metadata: { name: 'x' } })).toEqual(['spec']);
    expect(
      fields('DestinationRule', {
        kind: 'Gateway',
        metadata: { name: 'x' },
        spec: { host: 'web' },
      }),
    ).toEqual(['kind']);
  });

  it("takes an apiVersion of the kind's own group only", () => {
    const rule = (apiVersion: string) =>
      fields('DestinationRule', { apiVersion, metadata: { name: 'x' }, spec: { host: 'web' } });
    expect(rule('networking.istio.io/v1')).toEqual([]);
    expect(rule('networking.istio.io/v1beta1')).toEqual([]);
    expect(rule('gateway.networking.k8s.io/v1')).toEqual(['apiVersion']);
    expect(rule('v1')).toEqual(['apiVersion']);
  });

  it("is mirrored by the document's Gateway rules: each server accepted by one is by the other", () => {
    const documented = new Ajv({ strict: false }).compile({ allOf: ISTIO_BODY_RULES.Gateway });
    const servers: Array<[Record<string, unknown>, string]> = [
      [{}, 'HTTPS'],
      [{}, 'https'],
      [{}, 'HTTP'],
      [{ tls: {} }, 'HTTPS'],
      [{ tls: { mode: 'PASSTHROUGH' } }, 'TLS'],
      [{ tls: { mode: 'ISTIO_MUTUAL' } }, 'HTTPS'],
      [{ tls: { mode: 'SIMPLE' } }, 'HTTPS'],
      [{ tls: { mode: 'SIMPLE', credentialName: '' } }, 'HTTPS'],
      [{ tls: { mode: 'SIMPLE', credentialName: 'cert' } }, 'HTTPS'],
      [{ tls: { mode: 'MUTUAL', serverCertificate: '/c.pem' } }, 'HTTPS'],
      [{ tls: { mode: 'MUTUAL', serverCertificate: '/c.pem', privateKey: '/k.pem' } }, 'TLS'],
      [{ tls: { mode: 'OPTIONAL_MUTUAL', credentialNames: ['a', 'b'] } }, 'HTTPS'],
    ];
    const verdicts = servers.map(([server, protocol]) => {
      const body = gateway({ ...server, port: { number: 443, name: 'p', protocol } });
      return [checkIstioBody('Gateway', body).length === 0, documented(body)];
    });
    expect(verdicts.map(([valid]) => valid)).toEqual([
      false,
      false,
      true,
      true,
      true,
      true,
      false,
      false,
      true,
      false,
      true,
      true,
    ]);
    expect(verdicts.map(([, schema]) => schema)).toEqual(verdicts.map(([valid]) => valid));
  });

  it('states the protocols in any case as a pattern without flags, as validation reads them', () => {
    const pattern = anyCase(SERVER_PROTOCOLS);
    expect(['HTTP', 'grpc-web', 'Http2', 'tls'].map((p) => pattern.test(p))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['SMTP', 'HTTP ', 'HTTPS2', 'grpc_web'].some((p) => pattern.test(p))).toBe(false);
    expect(pattern.flags).toBe('');
  });
});
