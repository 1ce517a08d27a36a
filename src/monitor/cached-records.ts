import type { ListWatchMode, ListWatchState } from '../kubernetes/list-watch';
import type { NamedRecord, NamespaceRecord } from '../cluster-state/records/named';
import type { NodeRecord } from '../cluster-state/records/node';
import type { PodRecord } from '../cluster-state/records/pod';
import type { LabelledRecord } from '../cluster-state/records/labelled';
import type { SpecObject } from '../cluster-state/records/spec-object';
import type { WorkloadRecord } from '../cluster-state/records/workload';
import type { CronJobRecord, JobRecord } from '../cluster-state/records/batch';
import type { PvcRecord, PvRecord, StorageClassRecord } from '../cluster-state/records/storage';
import type {
  RoleBindingRecord,
  RoleRecord,
  ServiceAccountRecord,
} from '../cluster-state/records/access';
import type {
  EndpointSliceRecord,
  IngressClassRecord,
  IngressRecord,
  NetworkPolicyRecord,
} from '../cluster-state/records/networking';
import type { HpaRecord, PdbRecord, WebhookConfigRecord } from '../cluster-state/records/policy';
import type { WarningEventRecord } from '../cluster-state/records/event';
import type { CertificateRecord } from '../cluster-state/records/certificate';

/*
 * The vocabulary of cached records and their changes, shared by the snapshot port
 * (cluster-snapshot.ts, which re-exports it), the cache and the mirror without importing each other.
 */

/** The record each cached kind holds, by the kind's name in the snapshot. */
export interface CachedRecords {
  nodes: NodeRecord;
  namespaces: NamespaceRecord;
  pods: PodRecord;
  deployments: WorkloadRecord;
  statefulsets: WorkloadRecord;
  daemonsets: WorkloadRecord;
  replicasets: WorkloadRecord;
  jobs: JobRecord;
  cronjobs: CronJobRecord;
  services: SpecObject;
  endpointslices: EndpointSliceRecord;
  ingresses: IngressRecord;
  ingressclasses: IngressClassRecord;
  networkpolicies: NetworkPolicyRecord;
  configmaps: NamedRecord;
  /** Metadata only: Secret data is never downloaded. */
  secrets: LabelledRecord;
  serviceaccounts: ServiceAccountRecord;
  persistentvolumeclaims: PvcRecord;
  persistentvolumes: PvRecord;
  storageclasses: StorageClassRecord;
  horizontalpodautoscalers: HpaRecord;
  poddisruptionbudgets: PdbRecord;
  mutatingwebhookconfigurations: WebhookConfigRecord;
  validatingwebhookconfigurations: WebhookConfigRecord;
  roles: RoleRecord;
  clusterroles: RoleRecord;
  rolebindings: RoleBindingRecord;
  clusterrolebindings: RoleBindingRecord;
  /** Warning events only (fieldSelector type=Warning). */
  warningevents: WarningEventRecord;
  istioGateways: SpecObject;
  virtualServices: SpecObject;
  destinationRules: SpecObject;
  serviceEntries: SpecObject;
  k8sGateways: SpecObject;
  httpRoutes: SpecObject;
  /** cert-manager Certificates (when the CRD is served): expiry from their status. */
  certificates: CertificateRecord;
  /** Opt-in (monitor.tlsSecretCertificates): kubernetes.io/tls Secrets reduced to certificate dates. */
  tlsSecretCertificates: CertificateRecord;
}

export type CachedKindName = keyof CachedRecords;

/** The kinds that carry a pod template: the workloads a person acts on for their pods. */
export const POD_TEMPLATE_KINDS: readonly CachedKindName[] = [
  'deployments',
  'statefulsets',
  'daemonsets',
  'replicasets',
  'jobs',
  'cronjobs',
];

/** How fresh one kind's section of the cache is. */
export interface KindStatus {
  state: ListWatchState;
  mode: ListWatchMode;
  /** Objects held. */
  count: number;
  /** When this kind was last known exact (ISO time); with `stale`, the data is this old. */
  lastSyncedAt: string | null;
  ageSeconds: number | null;
  /** Complete LISTs so far (the first sync, relists, polls): flat in steady state. */
  lists: number;
  /** Relists forced by 410 Gone (the watch's resourceVersion was compacted away). */
  relistsAfterGone: number;
  /** Why the kind is stale, forbidden or in error. */
  error?: { code: string; message: string };
}

/** One change applied to the cache, as its subscribers see it. */
export interface SnapshotChange<K extends CachedKindName = CachedKindName> {
  kind: K;
  type: 'added' | 'updated' | 'deleted';
  record: CachedRecords[K];
  /** The record before an update. */
  previous?: CachedRecords[K];
}

export type SnapshotListener = (change: SnapshotChange) => void;
