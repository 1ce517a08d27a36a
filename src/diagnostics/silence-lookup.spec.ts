import type { ObjectRef } from '../cluster-state/finding';
import type { CachedKindName, ClusterSnapshot } from '../monitor/cluster-snapshot';
import { snapshotMetaLookup } from './silence-lookup';

/** A snapshot's `get` over a few records, keyed `kind name namespace`. */
function snapshotOf(records: Record<string, unknown>): Pick<ClusterSnapshot, 'get'> {
  return {
    get: ((kind: CachedKindName, name: string, namespace?: string) =>
      records[`${kind} ${name} ${namespace ?? ''}`]) as ClusterSnapshot['get'],
  };
}

const ref = (group: string, kind: string, name: string, namespace = 'shop'): ObjectRef => ({
  group,
  kind,
  namespace,
  name,
});

describe('snapshotMetaLookup', () => {
  const lookup = snapshotMetaLookup(
    snapshotOf({
      'replicasets web-7f9 shop': {
        labels: { app: 'web' },
        owner: { kind: 'Deployment', name: 'web' },
      },
      'services api shop': {
        metadata: {
          name: 'api',
          labels: { team: 'shop' },
          annotations: { 'cloudpilot.dev/ignore': 'SERVICE_NO_MATCHING_PODS' },
        },
        spec: {},
      },
      'istioGateways edge shop': { metadata: { name: 'edge' }, spec: {} },
      'validatingwebhookconfigurations policy ': {
        labels: {},
        ignore: ['WEBHOOK_MISSING_SERVICE'],
      },
    }),
  );

  it('reads labels, ignored codes and the owner from a record', () => {
    expect(lookup(ref('apps', 'ReplicaSet', 'web-7f9'))).toEqual({
      labels: { app: 'web' },
      ignore: undefined,
      owner: { kind: 'Deployment', name: 'web' },
    });
  });

  it('reads them from the metadata of a kind kept whole (SpecObject)', () => {
    expect(lookup(ref('', 'Service', 'api'))).toEqual({
      labels: { team: 'shop' },
      ignore: ['SERVICE_NO_MATCHING_PODS'],
    });
    expect(lookup(ref('networking.istio.io', 'Gateway', 'edge'))).toEqual({
      labels: {},
      ignore: undefined,
    });
    // A Gateway API Gateway is another kind: not the Istio one of the same name.
    expect(lookup(ref('gateway.networking.k8s.io', 'Gateway', 'edge'))).toBeUndefined();
  });

  it('looks cluster-scoped objects up without a namespace', () => {
    expect(lookup(ref('', 'ValidatingWebhookConfiguration', 'policy', ''))?.ignore).toEqual([
      'WEBHOOK_MISSING_SERVICE',
    ]);
  });

  it('has nothing for objects not cached or of kinds it does not know', () => {
    expect(lookup(ref('apps', 'Deployment', 'gone'))).toBeUndefined();
    expect(lookup(ref('example.com', 'Widget', 'w'))).toBeUndefined();
  });
});
