import { runValidations } from './run-validations';
import { MeshSnapshot } from './snapshot';
import { destinationRule, pod, service, serviceEntry, snapshot } from './testing/mesh-builders';

const codes = (s: Partial<MeshSnapshot>) =>
  runValidations(snapshot(s)).findings.map((f) => `${f.code} ${f.object.name} ${f.fields.path}`);
const pods = [
  pod('shop', 'web-1', { app: 'web', version: 'v1' }),
  pod('shop', 'other-1', { app: 'other', version: 'v2' }),
];
const services = [service('shop', 'web')];

describe('DestinationRule checks', () => {
  it('ISTIO_DR_HOST_NOT_FOUND for an unknown host; none for short names, ServiceEntry hosts and wildcards', () => {
    expect(
      codes({
        destinationRules: [destinationRule('shop', 'dr', { host: 'webb' })],
        services,
        pods,
      }),
    ).toEqual(['ISTIO_DR_HOST_NOT_FOUND dr spec.host']);
    const good = [
      destinationRule('shop', 'a', { host: 'web' }),
      destinationRule('front', 'b', { host: 'web.shop.svc.cluster.local' }),
      destinationRule('shop', 'c', { host: 'api.stripe.com' }),
      destinationRule('shop', 'd', { host: '*.shop.svc.cluster.local' }),
    ];
    expect(
      codes({
        destinationRules: good,
        services,
        pods,
        serviceEntries: [serviceEntry('ext', 'stripe', { hosts: ['api.stripe.com'] })],
      }),
    ).toEqual([]);
  });

  it("ISTIO_DR_SUBSET_NO_PODS when no pod of the host's Service has the subset labels", () => {
    const dr = destinationRule('shop', 'dr', {
      host: 'web',
      subsets: [
        { name: 'v1', labels: { version: 'v1' } },
        { name: 'v2', labels: { version: 'v2' } },
      ],
    });
    // other-1 has version v2 but is not a pod of Service web: still no pod for subset v2.
    expect(codes({ destinationRules: [dr], services, pods })).toEqual([
      'ISTIO_DR_SUBSET_NO_PODS dr spec.subsets[1].labels',
    ]);
    expect(
      codes({
        destinationRules: [
          destinationRule('shop', 'dr', {
            host: 'web',
            subsets: [{ name: 'v1', labels: { version: 'v1' } }],
          }),
        ],
        services,
        pods,
      }),
    ).toEqual([]);
  });

  it('ISTIO_DR_DUPLICATE_SUBSET for two rules in one namespace defining a subset of one host; none across namespaces', () => {
    const a = destinationRule('shop', 'a', {
      host: 'web',
      subsets: [{ name: 'v1', labels: { version: 'v1' } }],
    });
    const b = destinationRule('shop', 'b', {
      host: 'web.shop.svc.cluster.local',
      subsets: [{ name: 'v1', labels: { version: 'v1' } }],
    });
    const c = destinationRule('front', 'c', {
      host: 'web.shop.svc.cluster.local',
      subsets: [{ name: 'v1', labels: { version: 'v1' } }],
    });
    expect(codes({ destinationRules: [a, b], services, pods })).toEqual([
      'ISTIO_DR_DUPLICATE_SUBSET a spec.subsets[0].name',
      'ISTIO_DR_DUPLICATE_SUBSET b spec.subsets[0].name',
    ]);
    expect(codes({ destinationRules: [a, c], services, pods })).toEqual([]);
  });
});
