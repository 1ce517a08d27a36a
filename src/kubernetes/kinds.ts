/**
 * One descriptor per kind CloudPilot knows by name: where it lives in the API and whether it is
 * namespaced. Features look kinds up here; nobody builds an API path by hand.
 * `versions` lists the served versions CloudPilot understands, preferred first.
 */
export interface KindDescriptor {
  kind: string;
  group: string;
  versions: string[];
  plural: string;
  namespaced: boolean;
}

const core = (
  kind: string,
  plural: string,
  namespaced: boolean,
  group = '',
  versions = ['v1'],
): KindDescriptor => ({ kind, group, versions, plural, namespaced });
const ISTIO_VERSIONS = ['v1', 'v1beta1', 'v1alpha3'];

export const KINDS: readonly KindDescriptor[] = [
  core('Pod', 'pods', true),
  core('Service', 'services', true),
  core('ConfigMap', 'configmaps', true),
  core('Secret', 'secrets', true),
  core('PersistentVolumeClaim', 'persistentvolumeclaims', true),
  core('PersistentVolume', 'persistentvolumes', false),
  core('Node', 'nodes', false),
  core('Namespace', 'namespaces', false),
  core('Event', 'events', true),
  core('ServiceAccount', 'serviceaccounts', true),
  core('Deployment', 'deployments', true, 'apps'),
  core('StatefulSet', 'statefulsets', true, 'apps'),
  core('DaemonSet', 'daemonsets', true, 'apps'),
  core('ReplicaSet', 'replicasets', true, 'apps'),
  core('Job', 'jobs', true, 'batch'),
  core('CronJob', 'cronjobs', true, 'batch'),
  core('EndpointSlice', 'endpointslices', true, 'discovery.k8s.io'),
  core('Ingress', 'ingresses', true, 'networking.k8s.io'),
  core('NetworkPolicy', 'networkpolicies', true, 'networking.k8s.io'),
  core('HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, 'autoscaling', ['v2', 'v1']),
  core('PodDisruptionBudget', 'poddisruptionbudgets', true, 'policy'),
  core('StorageClass', 'storageclasses', false, 'storage.k8s.io'),
  core('IngressClass', 'ingressclasses', false, 'networking.k8s.io'),
  core('Role', 'roles', true, 'rbac.authorization.k8s.io'),
  core('ClusterRole', 'clusterroles', false, 'rbac.authorization.k8s.io'),
  core('RoleBinding', 'rolebindings', true, 'rbac.authorization.k8s.io'),
  core('ClusterRoleBinding', 'clusterrolebindings', false, 'rbac.authorization.k8s.io'),
  core(
    'MutatingWebhookConfiguration',
    'mutatingwebhookconfigurations',
    false,
    'admissionregistration.k8s.io',
  ),
  core(
    'ValidatingWebhookConfiguration',
    'validatingwebhookconfigurations',
    false,
    'admissionregistration.k8s.io',
  ),
  core('CustomResourceDefinition', 'customresourcedefinitions', false, 'apiextensions.k8s.io'),
  core('NodeMetrics', 'nodes', false, 'metrics.k8s.io', ['v1beta1']),
  {
    kind: 'Gateway',
    group: 'networking.istio.io',
    versions: ISTIO_VERSIONS,
    plural: 'gateways',
    namespaced: true,
  },
  {
    kind: 'VirtualService',
    group: 'networking.istio.io',
    versions: ISTIO_VERSIONS,
    plural: 'virtualservices',
    namespaced: true,
  },
  {
    kind: 'DestinationRule',
    group: 'networking.istio.io',
    versions: ISTIO_VERSIONS,
    plural: 'destinationrules',
    namespaced: true,
  },
  {
    kind: 'ServiceEntry',
    group: 'networking.istio.io',
    versions: ISTIO_VERSIONS,
    plural: 'serviceentries',
    namespaced: true,
  },
  {
    kind: 'Gateway',
    group: 'gateway.networking.k8s.io',
    versions: ['v1'],
    plural: 'gateways',
    namespaced: true,
  },
  {
    kind: 'HTTPRoute',
    group: 'gateway.networking.k8s.io',
    versions: ['v1'],
    plural: 'httproutes',
    namespaced: true,
  },
  {
    kind: 'Certificate',
    group: 'cert-manager.io',
    versions: ['v1'],
    plural: 'certificates',
    namespaced: true,
  },
];

/** `plural.group` (or the plural alone for the core group): unique across the table. */
export function kindKey(kind: Pick<KindDescriptor, 'group' | 'plural'>): string {
  return kind.group ? `${kind.plural}.${kind.group}` : kind.plural;
}

/** What a path needs to know of a kind; both table descriptors and discovered resources have it. */
export type PathKind = Pick<KindDescriptor, 'group' | 'plural' | 'namespaced'>;

/** The collection path of a kind at a version, optionally within a namespace. */
export function collectionPath(kind: PathKind, version: string, namespace?: string): string {
  const base = kind.group ? `/apis/${kind.group}/${version}` : `/api/${version}`;
  return kind.namespaced && namespace
    ? `${base}/namespaces/${encodeURIComponent(namespace)}/${kind.plural}`
    : `${base}/${kind.plural}`;
}

export function objectPath(
  kind: PathKind,
  version: string,
  name: string,
  namespace?: string,
): string {
  return `${collectionPath(kind, version, namespace)}/${encodeURIComponent(name)}`;
}

/** A kind of the table by its key; throws for a key that is not in the table (a programming error). */
export function kindOf(key: string): KindDescriptor {
  const found = findKind(key);
  if (!found) throw new Error(`Kind ${key} is missing from the kinds table`);
  return found;
}

export function findKind(key: string): KindDescriptor | undefined {
  return KINDS.find((k) => kindKey(k) === key);
}

/**
 * The key of the one kind of the table with this plural (e.g. jobs → jobs.batch); throws when the
 * table holds none or several (nodes: Node and NodeMetrics), which then need their full key.
 */
export function keyOfPlural(plural: string): string {
  const found = KINDS.filter((k) => k.plural === plural);
  if (found.length !== 1)
    throw new Error(`Plural ${plural} names ${found.length} kinds of the table`);
  return kindKey(found[0]);
}
