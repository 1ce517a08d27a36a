import { slimNamed, slimNamespace } from '../cluster-state/records/named';
import { slimNode } from '../cluster-state/records/node';
import { slimPod } from '../cluster-state/records/pod';
import { slimLabelled } from '../cluster-state/records/labelled';
import { slimSpecObject, SpecObject } from '../cluster-state/records/spec-object';
import { slimDaemonSet, slimStatefulSet, slimWorkload } from '../cluster-state/records/workload';
import { slimRole, slimRoleBinding, slimServiceAccount } from '../cluster-state/records/access';
import { slimCronJob, slimJob } from '../cluster-state/records/batch';
import { slimPv, slimPvc, slimStorageClass } from '../cluster-state/records/storage';
import {
  slimEndpointSlice,
  slimIngress,
  slimIngressClass,
  slimNetworkPolicy,
} from '../cluster-state/records/networking';
import { slimHpa, slimPdb, slimWebhookConfig } from '../cluster-state/records/policy';
import { slimWarningEvent } from '../cluster-state/records/event';
import {
  slimCertManagerCertificate,
  slimTlsSecretCertificate,
} from '../cluster-state/records/certificate';
import { withSilenceMeta } from '../cluster-state/records/silence-meta';
import {
  configMapFields,
  hpaFields,
  nodeFields,
  replicaSetFields,
  secretFields,
  serviceFields,
  specFields,
  withTracking,
  workloadFields,
} from '../cluster-state/records/change-fields';
import { keyOfPlural } from '../kubernetes/kinds';
import { ClusterAggregates } from './cluster-aggregates';
import { CachedKindName, CachedRecords, POD_TEMPLATE_KINDS } from './cached-records';

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
  /** Cached only when the operator turned this on (monitor config): e.g. kinds that read Secret data. */
  optIn?: keyof CacheOptIns;
  /** Adds (+1) or removes (−1) one record's contribution to the aggregates. */
  feed?: (aggregates: ClusterAggregates, record: CachedRecords[K], sign: 1 | -1) => void;
}

/** Kinds an operator must turn on, because caching them costs something the default should not. */
export interface CacheOptIns {
  /** monitor.tlsSecretCertificates: reads tls.crt of kubernetes.io/tls Secrets (docs/forecasts.md). */
  tlsSecretCertificates: boolean;
}

/** Keeps each row's record type checked against its name, then widens it for the table. */
const row = <K extends CachedKindName>(spec: CachedKindSpec<K>): CachedKindSpec =>
  spec as unknown as CachedKindSpec;

/** A kind kept as its records alone, named by its plural; the adapter's table knows its group. */
const plural = <K extends CachedKindName>(
  name: K,
  transform: CachedKindSpec<K>['transform'],
): CachedKindSpec => row({ name, kind: keyOfPlural(name), transform });

/**
 * ConfigMaps: the overview counts them, and the change timeline keeps a hash per data key (the
 * data itself is dropped on arrival), so they are watched whole rather than as metadata.
 */
function counted(name: 'configmaps', kind: string) {
  return row({
    name,
    kind,
    transform: withTracking(slimNamed, configMapFields),
    feed: (aggregates, record, sign) => aggregates.named(name, record, sign),
  });
}

/** A workload the overview counts and diagnostics read (replica counts, unhappy conditions). */
function workload(
  name: 'deployments' | 'statefulsets' | 'daemonsets',
  kind: string,
  transform = slimWorkload,
) {
  return row({
    name,
    kind,
    transform: withTracking(transform, workloadFields, true),
    feed: (aggregates, record, sign) => aggregates.named(name, record, sign),
  });
}

/** Istio and Gateway API objects; those the change timeline follows carry their tracked spec. */
const specObject = (name: CachedKindName, kind: string, tracked = false): CachedKindSpec =>
  row({
    name,
    kind,
    optional: true,
    transform: (tracked
      ? withTracking(slimSpecObject, specFields, true)
      : slimSpecObject) as CachedKindSpec['transform'],
  });

const namedOf = (o: SpecObject) => ({
  name: o.metadata.name,
  namespace: o.metadata.namespace ?? '',
});

/**
 * Every kind the snapshot holds. Kinds whose transform is wrapped by withTracking also feed the
 * change timeline (docs/changes.md), from the same watch events: no request of its own.
 */
const KINDS: readonly CachedKindSpec[] = [
  row({
    name: 'nodes',
    kind: 'nodes',
    transform: withTracking(slimNode, nodeFields),
    feed: (a, r, s) => a.node(r, s),
  }),
  plural('namespaces', slimNamespace),
  row({ name: 'pods', kind: 'pods', transform: slimPod, feed: (a, r, s) => a.pod(r, s) }),
  workload('deployments', 'deployments.apps'),
  workload('statefulsets', 'statefulsets.apps', slimStatefulSet),
  workload('daemonsets', 'daemonsets.apps', slimDaemonSet),
  row({
    name: 'services',
    kind: 'services',
    transform: withTracking(slimSpecObject, serviceFields),
    feed: (a, r, s) => a.named('services', namedOf(r), s),
  }),
  counted('configmaps', 'configmaps'),
  row({
    name: 'secrets',
    kind: 'secrets',
    metadataOnly: true,
    transform: withTracking(slimLabelled, secretFields),
    feed: (a, r, s) => a.named('secrets', r, s),
  }),
  // Read by diagnostics only (docs/diagnostics.md): what its detectors need, slim.
  plural('replicasets', withTracking(slimWorkload, replicaSetFields)),
  plural('jobs', slimJob),
  plural('cronjobs', slimCronJob),
  plural('endpointslices', slimEndpointSlice),
  plural('ingresses', withTracking(slimIngress, specFields, true)),
  plural('ingressclasses', slimIngressClass),
  plural('networkpolicies', withTracking(slimNetworkPolicy, specFields, true)),
  // Whole objects (small: no data): the image pull Secrets their pods inherit, and
  // automountServiceAccountToken, which decides whether the default account's token reaches its
  // pods (POD_DEFAULT_SERVICE_ACCOUNT_TOKEN).
  plural('serviceaccounts', slimServiceAccount),
  plural('persistentvolumeclaims', slimPvc),
  plural('persistentvolumes', slimPv),
  plural('storageclasses', slimStorageClass),
  plural('horizontalpodautoscalers', withTracking(slimHpa, hpaFields, true)),
  plural('poddisruptionbudgets', withTracking(slimPdb, specFields, true)),
  plural('mutatingwebhookconfigurations', slimWebhookConfig),
  plural('validatingwebhookconfigurations', slimWebhookConfig),
  // RBAC objects by name, and what each binding grants to which ServiceAccounts.
  plural('roles', slimRole),
  plural('clusterroles', slimRole),
  plural('rolebindings', slimRoleBinding),
  plural('clusterrolebindings', slimRoleBinding),
  // Only Warning events: Normal ones are most of the traffic and prove nothing is wrong.
  row({
    name: 'warningevents',
    kind: 'events',
    fieldSelector: 'type=Warning',
    transform: slimWarningEvent,
  }),
  specObject('istioGateways', 'gateways.networking.istio.io', true),
  specObject('virtualServices', 'virtualservices.networking.istio.io', true),
  specObject('destinationRules', 'destinationrules.networking.istio.io', true),
  specObject('serviceEntries', 'serviceentries.networking.istio.io'),
  specObject('k8sGateways', 'gateways.gateway.networking.k8s.io'),
  specObject('httpRoutes', 'httproutes.gateway.networking.k8s.io'),
  // Certificate expiry forecasts (docs/forecasts.md). cert-manager's status needs no Secret data.
  row({
    name: 'certificates',
    kind: 'certificates.cert-manager.io',
    optional: true,
    transform: slimCertManagerCertificate,
  }),
  // Opt-in: the API serves a Secret whole, so this downloads tls.key too; the transform keeps only
  // the certificate's dates and names, and the key is never decoded.
  row({
    name: 'tlsSecretCertificates',
    kind: 'secrets',
    fieldSelector: 'type=kubernetes.io/tls',
    optIn: 'tlsSecretCertificates',
    transform: slimTlsSecretCertificate,
  }),
];

/**
 * Kinds a finding can name whose records have no metadata of their own (SpecObject kinds keep
 * theirs): their records also carry what silences read, labels and the ignore annotation.
 */
const SILENCEABLE = new Set<CachedKindName>([
  'nodes',
  'pods',
  ...POD_TEMPLATE_KINDS,
  'configmaps',
  'secrets',
  'serviceaccounts',
  'ingresses',
  'ingressclasses',
  'networkpolicies',
  'persistentvolumeclaims',
  'persistentvolumes',
  'storageclasses',
  'horizontalpodautoscalers',
  'poddisruptionbudgets',
  'mutatingwebhookconfigurations',
  'validatingwebhookconfigurations',
  'roles',
  'clusterroles',
  'rolebindings',
  'clusterrolebindings',
]);

export const CACHED_KINDS: readonly CachedKindSpec[] = KINDS.map((spec) =>
  SILENCEABLE.has(spec.name)
    ? { ...spec, transform: (object) => withSilenceMeta(spec.transform(object), object) }
    : spec,
);
