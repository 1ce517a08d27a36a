import { findKind, collectionPath, KindDescriptor } from '../kubernetes/kinds';
import { ClusterAggregates, CountedKind } from './cluster-aggregates';
import { slimNamed, slimNamespace, slimNode, slimPod } from './slim-records';

export type MonitoredKind = 'nodes' | 'namespaces' | 'pods' | CountedKind;

/** One kind the Monitor keeps live: where to list it, how to slim it, how it feeds the aggregates. */
export interface MonitoredKindSpec {
  key: MonitoredKind;
  path: string;
  /** Lists and watches PartialObjectMetadata: for Secrets, so their data is never downloaded. */
  metadataOnly: boolean;
  transform: (object: Record<string, any>) => unknown;
  /** Adds (+1) or removes (−1) one slim record's contribution. */
  feed: (aggregates: ClusterAggregates, record: any, sign: 1 | -1) => void;
}

function path(key: string): string {
  const descriptor: KindDescriptor | undefined = findKind(key);
  if (!descriptor) throw new Error(`Kind ${key} is missing from the kinds table`);
  return collectionPath(descriptor, descriptor.versions[0]);
}

const counted = (kind: CountedKind, key: string, metadataOnly: boolean): MonitoredKindSpec => ({
  key: kind,
  path: path(key),
  metadataOnly,
  transform: slimNamed,
  feed: (aggregates, record, sign) => aggregates.named(kind, record, sign),
});

/** Every kind an overview reads. ConfigMaps are counted only, so they are watched as metadata too. */
export const MONITORED_KINDS: readonly MonitoredKindSpec[] = [
  {
    key: 'nodes',
    path: path('nodes'),
    metadataOnly: false,
    transform: slimNode,
    feed: (a, r, s) => a.node(r, s),
  },
  {
    key: 'namespaces',
    path: path('namespaces'),
    metadataOnly: false,
    transform: slimNamespace,
    feed: () => undefined,
  },
  {
    key: 'pods',
    path: path('pods'),
    metadataOnly: false,
    transform: slimPod,
    feed: (a, r, s) => a.pod(r, s),
  },
  counted('deployments', 'deployments.apps', false),
  counted('statefulsets', 'statefulsets.apps', false),
  counted('daemonsets', 'daemonsets.apps', false),
  counted('services', 'services', false),
  counted('configmaps', 'configmaps', true),
  counted('secrets', 'secrets', true),
];
