import { runValidations } from './run-validations';
import { MeshSnapshot } from './snapshot';
import {
  destinationRule,
  gateway,
  httpServer,
  ingressPod,
  pod,
  service,
  serviceEntry,
  snapshot,
  virtualService,
} from './testing/mesh-builders';

const webPods = [
  pod('shop', 'web-1', { app: 'web', version: 'v1' }),
  pod('shop', 'web-2', { app: 'web', version: 'v2' }),
];
const codes = (s: Partial<MeshSnapshot>) =>
  runValidations(snapshot({ pods: [ingressPod, ...webPods], ...s })).findings.map(
    (f) => `${f.code} ${f.fields.path}`,
  );
const shopGw = gateway('istio-system', 'public', {
  selector: { istio: 'ingressgateway' },
  servers: [httpServer(['*.example.com'])],
});
const route = (host: string, extra: Record<string, unknown> = {}) => ({
  destination: { host, ...extra },
});

describe('VirtualService checks', () => {
  const services = [service('shop', 'web')];

  it('ISTIO_VS_GATEWAY_NOT_FOUND for a missing gateway, including a short name resolved in the VS namespace', () => {
    const vs = virtualService('shop', 'vs', {
      hosts: ['a.example.com'],
      gateways: ['public', 'istio-system/public', 'mesh'],
      http: [{ route: [route('web')] }],
    });
    expect(codes({ gateways: [shopGw], virtualServices: [vs], services })).toEqual([
      'ISTIO_VS_GATEWAY_NOT_FOUND spec.gateways[0]',
    ]);
  });

  it('accepts namespace/name, the legacy name.namespace form and per-match gateways that exist', () => {
    const vs = virtualService('shop', 'vs', {
      hosts: ['a.example.com'],
      gateways: ['istio-system/public', 'public.istio-system.svc.cluster.local'],
      http: [{ match: [{ gateways: ['istio-system/public'] }], route: [route('web')] }],
    });
    expect(codes({ gateways: [shopGw], virtualServices: [vs], services })).toEqual([]);
  });

  it('ISTIO_VS_HOST_NOT_IN_GATEWAY for a host the gateway does not serve or does not admit for the namespace', () => {
    const restricted = gateway('istio-system', 'restricted', {
      selector: { istio: 'ingressgateway' },
      servers: [httpServer(['payments/*.example.com'], 8080)],
    });
    const vs1 = virtualService('shop', 'vs1', {
      hosts: ['shop.other.org'],
      gateways: ['istio-system/public'],
      http: [{ route: [route('web')] }],
    });
    const vs2 = virtualService('shop', 'vs2', {
      hosts: ['a.example.com'],
      gateways: ['istio-system/restricted'],
      http: [{ route: [route('web')] }],
    });
    expect(
      codes({ gateways: [shopGw, restricted], virtualServices: [vs1, vs2], services }),
    ).toEqual([
      'ISTIO_VS_HOST_NOT_IN_GATEWAY spec.hosts[0]',
      'ISTIO_VS_HOST_NOT_IN_GATEWAY spec.hosts[0]',
    ]);
  });

  it('no host finding for a wildcard server host, a ./ host in the same namespace, or a */ host', () => {
    const local = gateway('shop', 'local', {
      selector: { istio: 'ingressgateway' },
      servers: [httpServer(['./shop.example.org', '*/other.example.org'], 8080)],
    });
    const vs = virtualService('shop', 'vs', {
      hosts: ['a.example.com', 'shop.example.org', 'other.example.org'],
      gateways: ['istio-system/public', 'local'],
      http: [{ route: [route('web')] }],
    });
    const found = codes({ gateways: [shopGw, local], virtualServices: [vs], services });
    // public does not carry the *.example.org hosts and local does not carry a.example.com: each is a real miss.
    expect(found).toEqual([
      'ISTIO_VS_HOST_NOT_IN_GATEWAY spec.hosts[1]',
      'ISTIO_VS_HOST_NOT_IN_GATEWAY spec.hosts[2]',
      'ISTIO_VS_HOST_NOT_IN_GATEWAY spec.hosts[0]',
    ]);
    const onlyLocal = virtualService('shop', 'vs', {
      hosts: ['shop.example.org', 'other.example.org'],
      gateways: ['local'],
      http: [{ route: [route('web')] }],
    });
    expect(codes({ gateways: [local], virtualServices: [onlyLocal], services })).toEqual([]);
  });

  it('ISTIO_VS_DESTINATION_HOST_NOT_FOUND for an unknown host; none for short names, FQDNs and ServiceEntry hosts', () => {
    const bad = virtualService('shop', 'bad', {
      hosts: ['web'],
      http: [{ route: [route('nothing')] }],
      tcp: [{ route: [route('ghost.example.com')] }],
    });
    expect(codes({ virtualServices: [bad], services })).toEqual([
      'ISTIO_VS_DESTINATION_HOST_NOT_FOUND spec.http[0].route[0].destination.host',
      'ISTIO_VS_DESTINATION_HOST_NOT_FOUND spec.tcp[0].route[0].destination.host',
    ]);
    const good = virtualService('front', 'good', {
      hosts: ['web.shop.svc.cluster.local'],
      http: [{ route: [route('web.shop.svc.cluster.local')] }],
      tls: [{ route: [route('api.stripe.com')] }],
    });
    expect(
      codes({
        virtualServices: [good],
        services,
        serviceEntries: [serviceEntry('ext', 'stripe', { hosts: ['*.stripe.com'] })],
      }),
    ).toEqual([]);
    const local = virtualService('shop', 'local', {
      hosts: ['web'],
      http: [{ route: [route('web')] }],
    });
    expect(codes({ virtualServices: [local], services })).toEqual([]);
  });

  it('flags Kubernetes DNS shorthand (web.shop, web.shop.svc), which Istio does not expand, and names the FQDN to write', () => {
    const vs = virtualService('front', 'vs', {
      hosts: ['web.shop.svc.cluster.local'],
      http: [{ route: [route('web.shop')] }, { route: [route('web.shop.svc')] }],
    });
    const report = runValidations(
      snapshot({ pods: [ingressPod], virtualServices: [vs], services }),
    );
    expect(report.findings.map((f) => [f.code, f.suggestion])).toEqual([
      [
        'ISTIO_VS_DESTINATION_HOST_NOT_FOUND',
        'Istio expands only names without dots: write web.shop.svc.cluster.local',
      ],
      [
        'ISTIO_VS_DESTINATION_HOST_NOT_FOUND',
        'Istio expands only names without dots: write web.shop.svc.cluster.local',
      ],
    ]);
  });

  it('ISTIO_VS_SUBSET_NOT_FOUND when no visible DestinationRule defines the subset', () => {
    const vs = virtualService('shop', 'vs', {
      hosts: ['web'],
      http: [{ route: [route('web', { subset: 'v2' })] }],
    });
    const drOwn = destinationRule('shop', 'web', {
      host: 'web',
      subsets: [{ name: 'v1', labels: { version: 'v1' } }],
    });
    const drHidden = destinationRule('other', 'web', {
      host: 'web.shop.svc.cluster.local',
      exportTo: ['.'],
      subsets: [{ name: 'v2', labels: { version: 'v2' } }],
    });
    expect(codes({ virtualServices: [vs], destinationRules: [drOwn, drHidden], services })).toEqual(
      ['ISTIO_VS_SUBSET_NOT_FOUND spec.http[0].route[0].destination.subset'],
    );
    const drShared = destinationRule('other', 'web2', {
      host: 'web.shop.svc.cluster.local',
      subsets: [{ name: 'v2', labels: { version: 'v2' } }],
    });
    expect(codes({ virtualServices: [vs], destinationRules: [drOwn, drShared], services })).toEqual(
      [],
    );
  });

  it('ISTIO_VS_WEIGHTS_NOT_100 when weights of a split do not add up; none for 100 or a single unweighted destination', () => {
    const bad = virtualService('shop', 'vs', {
      hosts: ['web'],
      http: [
        {
          route: [
            { ...route('web'), weight: 70 },
            { ...route('web'), weight: 20 },
          ],
        },
      ],
    });
    expect(codes({ virtualServices: [bad], services })).toEqual([
      'ISTIO_VS_WEIGHTS_NOT_100 spec.http[0].route',
    ]);
    const good = virtualService('shop', 'vs', {
      hosts: ['web'],
      http: [
        {
          route: [
            { ...route('web'), weight: 70 },
            { ...route('web'), weight: 30 },
          ],
        },
        { route: [route('web')] },
      ],
    });
    expect(codes({ virtualServices: [good], services })).toEqual([]);
  });

  it('ISTIO_VS_DUPLICATE_HOST for two VirtualServices with one host on one gateway', () => {
    const a = virtualService('shop', 'a', {
      hosts: ['a.example.com'],
      gateways: ['istio-system/public'],
      http: [{ route: [route('web')] }],
    });
    const b = virtualService('shop', 'b', {
      hosts: ['a.example.com'],
      gateways: ['istio-system/public'],
      http: [{ route: [route('web')] }],
    });
    expect(codes({ gateways: [shopGw], virtualServices: [a, b], services })).toEqual([
      'ISTIO_VS_DUPLICATE_HOST spec.hosts[0]',
      'ISTIO_VS_DUPLICATE_HOST spec.hosts[0]',
    ]);
  });

  it('no duplicate for the same short name in two namespaces, other gateways, or mesh VSs exported to disjoint namespaces', () => {
    const a = virtualService('shop', 'a', { hosts: ['web'], http: [{ route: [route('web')] }] });
    const b = virtualService('front', 'b', {
      hosts: ['web'],
      http: [{ route: [route('web.shop.svc.cluster.local')] }],
    });
    const c = virtualService('shop', 'c', {
      hosts: ['web.shop.svc.cluster.local'],
      exportTo: ['front'],
      http: [{ route: [route('web')] }],
    });
    const d = virtualService('shop', 'd', {
      hosts: ['web'],
      exportTo: ['.'],
      http: [{ route: [route('web')] }],
    });
    expect(codes({ virtualServices: [b, c, d], services })).toEqual([]);
    expect(codes({ virtualServices: [a, d], services })).toEqual([
      'ISTIO_VS_DUPLICATE_HOST spec.hosts[0]',
      'ISTIO_VS_DUPLICATE_HOST spec.hosts[0]',
    ]);
  });
});
