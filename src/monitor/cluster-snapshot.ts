import type { AppError } from '../common/app-error';
import type { NamedRecord, NamespaceRecord } from '../cluster-state/records/named';
import type { NodeRecord } from '../cluster-state/records/node';
import type { PodRecord } from '../cluster-state/records/pod';
import type { LabelledRecord } from '../cluster-state/records/labelled';
import type { SpecObject } from '../cluster-state/records/spec-object';
import type { WorkloadRecord } from '../cluster-state/records/workload';
import type { CronJobRecord, JobRecord } from '../cluster-state/records/batch';
import type { PvcRecord, PvRecord, StorageClassRecord } from '../cluster-state/records/storage';
import type {
  EndpointSliceRecord,
  IngressRecord,
  NetworkPolicyRecord,
} from '../cluster-state/records/networking';
import type { HpaRecord, PdbRecord, WebhookConfigRecord } from '../cluster-state/records/policy';
import type { WarningEventRecord } from '../cluster-state/records/event';
import type { CertificateRecord } from '../cluster-state/records/certificate';
import type { ListWatchMode, ListWatchState } from '../kubernetes/list-watch';
import type { ClusterAggregates } from './cluster-aggregates';
import type { ClusterUsage } from './node-usage';

/**
 * The read-only port through which every feature (Overview, Istio validations, diagnostics, the
 * LLM tools) reads a cluster's live state. The Monitor implements it; no other file of
 * src/monitor may be imported from outside (ESLint enforces), so the cache can change freely.
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
  networkpolicies: NetworkPolicyRecord;
  configmaps: NamedRecord;
  /** Metadata only: Secret data is never downloaded. */
  secrets: LabelledRecord;
  serviceaccounts: NamedRecord;
  persistentvolumeclaims: PvcRecord;
  persistentvolumes: PvRecord;
  storageclasses: StorageClassRecord;
  horizontalpodautoscalers: HpaRecord;
  poddisruptionbudgets: PdbRecord;
  mutatingwebhookconfigurations: WebhookConfigRecord;
  validatingwebhookconfigurations: WebhookConfigRecord;
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

/** What the scheduled tick last learned by asking the API server for its version. */
export interface ClusterHealth {
  reachable: boolean;
  kubernetesVersion?: string;
  checkedAt: string;
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

export interface KindFailure {
  kind: CachedKindName;
  state: ListWatchState;
  error?: AppError;
}

/** One cluster's live state. Reading it never sends a request to the API server. */
export interface ClusterSnapshot {
  readonly clusterId: string;
  /** Records of a kind, of one namespace or all; empty when the kind is not cached here. */
  list<K extends CachedKindName>(kind: K, namespace?: string): CachedRecords[K][];
  get<K extends CachedKindName>(
    kind: K,
    name: string,
    namespace?: string,
  ): CachedRecords[K] | undefined;
  /** True when this kind is cached for this cluster (optional kinds need their CRDs served). */
  caches(kind: CachedKindName): boolean;
  /** Freshness of every cached kind. */
  status(): Partial<Record<CachedKindName, KindStatus>>;
  /** Each kind whose watch is down, with its error. */
  failures(): KindFailure[];
  /** True when no kind is live: every kind is stale, in error or forbidden. */
  readonly down: boolean;
  /** True once every kind has finished its first sync or reported why it cannot. */
  readonly settled: boolean;
  whenSettled(timeoutMs: number): Promise<void>;
  /** Epoch ms of the last change applied to any kind, or of the last complete sync. */
  readonly lastUpdated: number;
  /** Counts and request/limit sums, maintained on every change. */
  readonly aggregates: Readonly<ClusterAggregates>;
  /** metrics.k8s.io usage as of the last scheduled tick; undefined when that API is not served. */
  readonly usage: ClusterUsage | undefined;
  readonly health: ClusterHealth | undefined;
  /**
   * Starts caching the optional kinds (CRDs) the cluster serves since the last check. Cheap when
   * nothing is missing; discovery is re-read at most every few seconds.
   */
  refreshKinds(): Promise<void>;
  /** Calls the listener on every add, update and delete until the returned function is called. */
  subscribe(listener: SnapshotListener): () => void;
}

/**
 * What diagnostics read of a snapshot: the snapshot itself, or its mirror in the diagnostics
 * worker (a copy fed by the snapshot's changes, in another isolate).
 */
export type DiagnosedSnapshot = Pick<
  ClusterSnapshot,
  'clusterId' | 'list' | 'get' | 'caches' | 'settled' | 'subscribe'
> & {
  status(): Partial<Record<CachedKindName, Pick<KindStatus, 'lastSyncedAt'>>>;
  readonly aggregates: Pick<ClusterAggregates, 'allocation'>;
};

/** The Monitor's snapshots, as features inject them. */
export abstract class ClusterSnapshots {
  /** The live snapshot of a cluster resolved by id, started if none runs. */
  abstract forCluster(clusterId: string): Promise<ClusterSnapshot>;
  /** Every running snapshot, keyed by cluster id. */
  abstract all(): ReadonlyMap<string, ClusterSnapshot>;
}

export { SnapshotMirror } from './snapshot-mirror';
export type { MirrorBatch, MirroredChange } from './snapshot-mirror';
export type { ClusterUsage } from './node-usage';
export type {
  ClusterAggregates,
  NamespaceAggregate,
  NodeAllocation,
  PhaseCounts,
  ResourceSums,
  CountedKind,
} from './cluster-aggregates';
