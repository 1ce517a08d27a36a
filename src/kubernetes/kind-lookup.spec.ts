import type { Discovery, ServedKind } from './discovery';
import { apiVersionOf, findServed, notServed } from './kind-lookup';
import { kindOf } from './kinds';

const served = (
  plural: string,
  kind: string,
  group = '',
  shortNames: string[] = [],
  version = 'v1',
): ServedKind => ({
  group,
  version,
  kind,
  plural,
  namespaced: true,
  verbs: ['get', 'list'],
  shortNames,
});
const SERVED = [
  served('pods', 'Pod', '', ['po']),
  served('gateways', 'Gateway', 'networking.istio.io', ['gw'], 'v1beta1'),
  served('gateways', 'Gateway', 'gateway.networking.k8s.io'),
  served('deployments', 'Deployment', 'apps', ['deploy']),
  served('deployments', 'Deployment', 'apps', ['deploy'], 'v1beta2'),
];
const DISCOVERY: Discovery = { resources: SERVED, failed: [], source: 'aggregated', fetchedAt: 0 };

describe('findServed of a route reference', () => {
  it.each(['pods', 'Pod', 'po', 'POD'])('finds pods by %s', (ref) =>
    expect(findServed(DISCOVERY, ref)?.plural).toBe('pods'),
  );

  it('takes plural.group exactly', () => {
    expect(findServed(DISCOVERY, 'gateways.gateway.networking.k8s.io')?.group).toBe(
      'gateway.networking.k8s.io',
    );
    expect(findServed(DISCOVERY, 'deployments.apps')?.kind).toBe('Deployment');
  });

  it('refuses an ambiguous name with the candidates instead of guessing', () => {
    expect(() => findServed(DISCOVERY, 'gateways')).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        message: expect.stringContaining('gateways.networking.istio.io'),
      }),
    );
    expect(findServed(DISCOVERY, 'gw')?.group).toBe('networking.istio.io');
  });

  it('answers an unknown kind with nothing, and its error is K8S_NOT_FOUND', () => {
    expect(findServed(DISCOVERY, 'widgets')).toBeUndefined();
    expect(notServed('c1', 'widgets')).toMatchObject({ code: 'K8S_NOT_FOUND' });
  });
});

describe('findServed of a manifest group and kind', () => {
  it('keeps the version the manifest names, on the preferred resource', () => {
    const found = findServed(DISCOVERY, { group: 'apps', kind: 'Deployment', version: 'v1beta2' });
    expect(found).toMatchObject({ plural: 'deployments', version: 'v1beta2' });
    expect(apiVersionOf(found!)).toBe('apps/v1beta2');
  });

  it('names the group of a kind the cluster does not serve', () => {
    const ref = { group: 'example.com', kind: 'Widget' };
    expect(findServed(DISCOVERY, ref)).toBeUndefined();
    expect(notServed('c1', ref)).toMatchObject({
      code: 'K8S_NOT_FOUND',
      message: 'This cluster serves no Widget in group "example.com"',
    });
  });
});

describe('findServed of a kinds-table descriptor', () => {
  it('picks the most preferred version the cluster serves', () => {
    const gateway = kindOf('gateways.networking.istio.io');
    expect(findServed(DISCOVERY, gateway)?.version).toBe('v1beta1');
    expect(apiVersionOf(findServed(DISCOVERY, kindOf('pods'))!)).toBe('v1');
  });

  it("says an add-on's group is not installed, with the add-on's code", () => {
    const vs = kindOf('virtualservices.networking.istio.io');
    expect(findServed(DISCOVERY, vs)).toBeUndefined();
    expect(notServed('c1', vs)).toMatchObject({
      code: 'ISTIO_NOT_INSTALLED',
      details: { cluster: 'c1' },
    });
    expect(notServed('c1', kindOf('httproutes.gateway.networking.k8s.io'))).toMatchObject({
      code: 'GATEWAY_API_NOT_INSTALLED',
    });
    expect(notServed('c1', kindOf('certificates.cert-manager.io'))).toMatchObject({
      code: 'K8S_NOT_FOUND',
    });
  });
});
