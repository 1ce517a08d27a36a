import type { ObjectRef } from '../cluster-state/finding';
import type { SpecObject } from '../cluster-state/records/spec-object';
import { ignoredCodes, SilenceMeta } from '../cluster-state/records/silence-meta';
import type { CachedKindName, ClusterSnapshot } from '../monitor/cluster-snapshot';
import type { SilenceMetaLookup, SilenceObjectMeta } from './silence-matching';

/** The snapshot's kind for the kinds findings name; Gateway is told apart by its group. */
const KIND_RECORDS: Record<string, CachedKindName> = {
  Pod: 'pods',
  Node: 'nodes',
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
  ReplicaSet: 'replicasets',
  Job: 'jobs',
  CronJob: 'cronjobs',
  ConfigMap: 'configmaps',
  Secret: 'secrets',
  ServiceAccount: 'serviceaccounts',
  Service: 'services',
  Ingress: 'ingresses',
  IngressClass: 'ingressclasses',
  NetworkPolicy: 'networkpolicies',
  PersistentVolumeClaim: 'persistentvolumeclaims',
  PersistentVolume: 'persistentvolumes',
  StorageClass: 'storageclasses',
  HorizontalPodAutoscaler: 'horizontalpodautoscalers',
  PodDisruptionBudget: 'poddisruptionbudgets',
  MutatingWebhookConfiguration: 'mutatingwebhookconfigurations',
  ValidatingWebhookConfiguration: 'validatingwebhookconfigurations',
  Role: 'roles',
  ClusterRole: 'clusterroles',
  RoleBinding: 'rolebindings',
  ClusterRoleBinding: 'clusterrolebindings',
  VirtualService: 'virtualServices',
  DestinationRule: 'destinationRules',
  ServiceEntry: 'serviceEntries',
  HTTPRoute: 'httpRoutes',
};

const cachedKindOf = (ref: ObjectRef): CachedKindName | undefined =>
  ref.kind === 'Gateway'
    ? ref.group === 'networking.istio.io'
      ? 'istioGateways'
      : 'k8sGateways'
    : KIND_RECORDS[ref.kind];

type MetaRecord = Partial<SpecObject> & SilenceMeta & { owner?: { kind: string; name: string } };

/**
 * What silencing reads of the object a finding names, from the snapshot (one map lookup): records
 * carry their labels and ignored codes (monitor/cached-kinds.ts), SpecObject kinds their metadata.
 * Objects of kinds not cached (or not listed here) have none: only matchers on code, namespace,
 * kind and name apply to their findings.
 */
export function snapshotMetaLookup(snapshot: Pick<ClusterSnapshot, 'get'>): SilenceMetaLookup {
  return (ref): SilenceObjectMeta | undefined => {
    const kind = cachedKindOf(ref);
    if (!kind) return undefined;
    const record = snapshot.get(kind, ref.name, ref.namespace || undefined) as
      MetaRecord | undefined;
    if (!record) return undefined;
    if (record.metadata)
      return {
        labels: record.metadata.labels ?? {},
        ignore: ignoredCodes(record.metadata.annotations),
      };
    return { labels: record.labels, ignore: record.ignore, owner: record.owner };
  };
}
