import { slimNamed, slimNamespace } from '../cluster-state/records/named';
import { slimNode } from '../cluster-state/records/node';
import { slimPod } from '../cluster-state/records/pod';
import { slimLabelled } from '../cluster-state/records/labelled';
import { slimSpecObject, SpecObject } from '../cluster-state/records/spec-object';
import { ClusterAggregates } from './cluster-aggregates';
import type { CachedKindName, CachedRecords } from './cluster-snapshot';

/**
 * One kind the Monitor keeps live per cluster: which kind of the adapter's registry, how each
 * object is slimmed on arrival, and how it feeds the overview's aggregates. Adding a kind to the
 * snapshot is one row here plus its record type in CachedRecords.
 */
export interface CachedKindSpec<K extends CachedKindName = CachedKindName> {
  name: K;
  /** The kind's key in the adapter's registry (`plural.group`, or the plural for the core group). */
  kind: string;
  transform: (object: Record<string, any>) => CachedRecords[K];
  /** Lists and watches PartialObjectMetadata: Secret data is never downloaded. */
  metadataOnly?: boolean;
  fieldSelector?: string;
  /** Cached only when the cluster serves the kind (CRDs); started when discovery first sees it. */
  optional?: boolean;
  /** Adds (+1) or removes (−1) one record's contribution to the aggregates. */
  feed?: (aggregates: ClusterAggregates, record: CachedRecords[K], sign: 1 | -1) => void;
}

/** Keeps each row's record type checked against its name, then widens it for the table. */
const row = <K extends CachedKindName>(spec: CachedKindSpec<K>): CachedKindSpec =>
  spec as unknown as CachedKindSpec;

/** A kind the overview only counts: name and namespace are all it keeps. */
function counted(
  name: 'deployments' | 'statefulsets' | 'daemonsets' | 'configmaps',
  kind: string,
  metadataOnly = false,
) {
  return row({
    name,
    kind,
    metadataOnly,
    transform: slimNamed,
    feed: (aggregates, record, sign) => aggregates.named(name, record, sign),
  });
}

const specObject = (name: CachedKindName, kind: string): CachedKindSpec =>
  row({ name, kind, optional: true, transform: slimSpecObject as CachedKindSpec['transform'] });

const namedOf = (o: SpecObject) => ({
  name: o.metadata.name,
  namespace: o.metadata.namespace ?? '',
});

/** Every kind the snapshot holds. ConfigMaps are only counted, so they are watched as metadata. */
export const CACHED_KINDS: readonly CachedKindSpec[] = [
  row({ name: 'nodes', kind: 'nodes', transform: slimNode, feed: (a, r, s) => a.node(r, s) }),
  row({ name: 'namespaces', kind: 'namespaces', transform: slimNamespace }),
  row({ name: 'pods', kind: 'pods', transform: slimPod, feed: (a, r, s) => a.pod(r, s) }),
  counted('deployments', 'deployments.apps'),
  counted('statefulsets', 'statefulsets.apps'),
  counted('daemonsets', 'daemonsets.apps'),
  row({
    name: 'services',
    kind: 'services',
    transform: slimSpecObject,
    feed: (a, r, s) => a.named('services', namedOf(r), s),
  }),
  counted('configmaps', 'configmaps', true),
  row({
    name: 'secrets',
    kind: 'secrets',
    metadataOnly: true,
    transform: slimLabelled,
    feed: (a, r, s) => a.named('secrets', r, s),
  }),
  specObject('istioGateways', 'gateways.networking.istio.io'),
  specObject('virtualServices', 'virtualservices.networking.istio.io'),
  specObject('destinationRules', 'destinationrules.networking.istio.io'),
  specObject('serviceEntries', 'serviceentries.networking.istio.io'),
  specObject('k8sGateways', 'gateways.gateway.networking.k8s.io'),
  specObject('httpRoutes', 'httproutes.gateway.networking.k8s.io'),
];
