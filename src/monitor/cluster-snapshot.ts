import type { AppError } from '../common/app-error';
import type { ListWatchState } from '../kubernetes/list-watch';
import type { CachedKindName, CachedRecords, KindStatus, SnapshotListener } from './cached-records';
import type { ClusterAggregates } from './cluster-aggregates';
import type { FleetOptions } from './cluster-placement';
import type { ClusterRef, FleetEntry } from './fleet';
import type { ClusterUsage } from './node-usage';

/**
 * The read-only port through which every feature (Overview, Istio validations, diagnostics, the
 * LLM tools) reads a cluster's live state. The Monitor implements it; no other file of
 * src/monitor may be imported from outside (ESLint enforces), so the cache can change freely.
 */

/** What the scheduled tick last learned by asking the API server for its version. */
export interface ClusterHealth {
  reachable: boolean;
  kubernetesVersion?: string;
  checkedAt: string;
  error?: { code: string; message: string };
}

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
  /** Freshness of every cached kind, or of `kinds` only (a fleet answer reads 9 of 29). */
  status(kinds?: readonly CachedKindName[]): Partial<Record<CachedKindName, KindStatus>>;
  /** Each kind whose watch is down, with its error. */
  failures(): KindFailure[];
  /** True when no kind is live: every kind is stale, in error or forbidden. */
  readonly down: boolean;
  /** True once every kind has finished its first sync or reported why it cannot. */
  readonly settled: boolean;
  whenSettled(timeoutMs: number): Promise<void>;
  /** Epoch ms of the last change applied to any kind, or of the last complete sync. */
  readonly lastUpdated: number;
  /**
   * Grows with every change applied and every completed sync: while it is the same, so are the
   * records and the aggregates (lastUpdated alone cannot say so: two changes may share a ms).
   */
  readonly revision: number;
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

/** A fleet answer: one entry per registered cluster, and how long a first sync was waited for. */
export interface Fleet<T> {
  items: FleetEntry<T>[];
  deadlineSeconds: number;
}

/** The Monitor's snapshots, as features inject them. */
export abstract class ClusterSnapshots {
  /** How long a request waits for a cluster still on its first sync (monitor.fleetDeadlineSeconds). */
  abstract readonly firstSyncDeadlineMs: number;
  /** The live snapshot of a cluster resolved by id, started if none runs. */
  abstract forCluster(clusterId: string): Promise<ClusterSnapshot>;
  /** Every running snapshot, keyed by cluster id. */
  abstract all(): ReadonlyMap<string, ClusterSnapshot>;
  /**
   * Every registered cluster's answer at once, each computed from its snapshot once settled (see
   * `settled`); a cluster whose `each` throws is its error as data.
   */
  abstract fleet<T>(
    each: (snapshot: ClusterSnapshot, cluster: ClusterRef) => Promise<T>,
    options: FleetOptions,
  ): Promise<Fleet<T>>;

  /**
   * The live snapshot of a cluster once its first sync has ended, or once the first-sync deadline
   * has passed: the caller checks `settled` and `down` and answers with the reason instead of zeros.
   */
  async settled(clusterId: string): Promise<ClusterSnapshot> {
    const snapshot = await this.forCluster(clusterId);
    await snapshot.whenSettled(this.firstSyncDeadlineMs);
    return snapshot;
  }
}

export type * from './cached-records';
export { POD_TEMPLATE_KINDS } from './cached-records';
export { SnapshotMirror } from './snapshot-mirror';
export type { MirrorBatch, MirroredChange } from './snapshot-mirror';
export { emptyNamespaceAggregate } from './cluster-aggregates';
export { fanOut, firstSyncTimeout } from './fleet';
export { ClusterPlacement, EveryCluster, recordingRunsOn } from './cluster-placement';
export type { FleetOptions, FleetPlan } from './cluster-placement';
export type { ClusterRef, FanOutOptions, FleetEntry, FleetError } from './fleet';
export type { ClusterUsage } from './node-usage';
export type {
  ClusterAggregates,
  NamespaceAggregate,
  NodeAllocation,
  PhaseCounts,
  ResourceSums,
  CountedKind,
} from './cluster-aggregates';
