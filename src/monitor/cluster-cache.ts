import { AppError } from '../common/app-error';
import type { KubeClient } from '../kubernetes/kube-client';
import { ListWatch, ListWatchState } from '../kubernetes/list-watch';
import { CACHED_KINDS, CachedKindSpec, CacheOptIns } from './cached-kinds';
import { ClusterAggregates } from './cluster-aggregates';
import { KindStatusMemo } from './kind-status-memo';
import type {
  CachedKindName,
  CachedRecords,
  ClusterHealth,
  ClusterSnapshot,
  KindFailure,
  KindStatus,
  SnapshotChange,
  SnapshotListener,
} from './cluster-snapshot';
import type { ClusterUsage } from './node-usage';

export interface ClusterCacheOptions {
  /** Relist interval for kinds that may be listed but not watched (monitor.cacheTtlSeconds). */
  pollIntervalMs: number;
  /** How often a cluster with a failed watch is probed, so its return is noticed within about this. */
  recoveryProbeMs?: number;
  /** Passed to every list+watch (tests shorten backoffs). */
  backoff?: { initialMs: number; maxMs: number };
  /** Kinds the operator turned on (monitor config); the others with `optIn` are never cached. */
  optIns?: Partial<CacheOptIns>;
  onStateChange?(kind: CachedKindName, state: ListWatchState, error?: AppError): void;
}

/** Where a kind's collection is served in this cluster, or null when it is not (yet) served. */
export type KindPathResolver = (spec: CachedKindSpec) => Promise<string | null>;

interface Section {
  spec: CachedKindSpec;
  watch: ListWatch<any>;
}

/**
 * The live cache of one cluster, and the ClusterSnapshot features read: a list+watch per cached
 * kind feeding one set of incremental aggregates. While a watch is down, one cheap probe per
 * second (not one retry per kind) notices the API server's return and resumes every watch at once.
 */
export class ClusterCache implements ClusterSnapshot {
  readonly aggregates = new ClusterAggregates();
  usage: ClusterUsage | undefined;
  health: ClusterHealth | undefined;
  private readonly sections = new Map<CachedKindName, Section>();
  private readonly listeners = new Set<SnapshotListener>();
  private readonly statusMemo = new KindStatusMemo();
  private lastChange = 0;
  private changes = 0;
  private recovery: NodeJS.Timeout | undefined;
  private probing = false;
  private stopped = false;
  /** Set by start(): until then (queued for its first sync) refreshKinds() starts nothing. */
  private begun = false;
  /** False until the first round of kind resolution is done: before it, the cache is not settled. */
  private kindsResolved = false;
  private settledWaiters: Array<() => void> = [];

  constructor(
    readonly client: KubeClient,
    private readonly resolvePath: KindPathResolver,
    private readonly options: ClusterCacheOptions,
  ) {}

  get clusterId(): string {
    return this.client.clusterId;
  }

  /** A list+watch per kind served: built-in kinds at once, CRDs once discovery shows them. */
  start(): Promise<void> {
    this.begun = !this.stopped;
    return this.refreshKinds();
  }

  /** Starts the kinds that became served since (a CRD installed later); the scheduled tick calls it. */
  async refreshKinds(): Promise<void> {
    if (!this.begun) return;
    const missing = CACHED_KINDS.filter(
      (spec) =>
        !this.sections.has(spec.name) &&
        (!spec.optIn || this.options.optIns?.[spec.optIn] === true),
    );
    await Promise.all(
      missing.map(async (spec) => {
        const path = await this.resolvePath(spec);
        if (!path || this.stopped || this.sections.has(spec.name)) return;
        const section = this.section(spec, path);
        this.sections.set(spec.name, section);
        section.watch.start();
      }),
    );
    this.kindsResolved = true;
    if (this.settled) this.releaseWaiters();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.recovery);
    this.recovery = undefined;
    this.listeners.clear();
    await Promise.all([...this.sections.values()].map((s) => s.watch.stop()));
    this.releaseWaiters();
  }

  list<K extends CachedKindName>(kind: K, namespace?: string): CachedRecords[K][] {
    const all: CachedRecords[K][] = this.sections.get(kind)?.watch.values() ?? [];
    return namespace === undefined ? all : all.filter((r) => namespaceOf(r) === namespace);
  }

  get<K extends CachedKindName>(
    kind: K,
    name: string,
    namespace?: string,
  ): CachedRecords[K] | undefined {
    return this.sections.get(kind)?.watch.get(namespace ? `${namespace}/${name}` : name);
  }

  caches(kind: CachedKindName): boolean {
    return this.sections.has(kind);
  }

  subscribe(listener: SnapshotListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get settled(): boolean {
    return (
      this.kindsResolved && [...this.sections.values()].every((s) => s.watch.state !== 'syncing')
    );
  }

  async whenSettled(timeoutMs: number): Promise<void> {
    if (this.settled || this.stopped) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.settledWaiters.push(resolve);
      timer = setTimeout(resolve, timeoutMs);
    });
    clearTimeout(timer);
  }

  /** Every kind's status, or only `kinds` (the overview reads 9 of ~30), from the memo. */
  status(kinds?: readonly CachedKindName[]): Partial<Record<CachedKindName, KindStatus>> {
    const all = this.statusMemo.read(this.sections, Date.now());
    if (!kinds) return all;
    const result: Partial<Record<CachedKindName, KindStatus>> = {};
    for (const key of kinds) if (all[key]) result[key] = all[key];
    return result;
  }

  failures(): KindFailure[] {
    return [...this.sections.entries()]
      .filter(([, s]) => s.watch.state === 'stale' || s.watch.state === 'error')
      .map(([kind, s]) => ({ kind, state: s.watch.state, error: s.watch.lastError }));
  }

  get down(): boolean {
    const states = [...this.sections.values()].map((s) => s.watch.state);
    return (
      states.every((s) => s === 'stale' || s === 'error' || s === 'forbidden') &&
      states.some((s) => s !== 'forbidden')
    );
  }

  get lastUpdated(): number {
    return this.lastChange;
  }

  get revision(): number {
    return this.changes;
  }

  /** Cuts every backoff wait short (the scheduled tick calls this for failed watches). */
  retryFailed(): void {
    for (const section of this.sections.values())
      if (section.watch.state === 'stale' || section.watch.state === 'error')
        section.watch.retryNow();
  }

  /** List and watch counters of every kind, summed (benchmarks check that steady state lists nothing). */
  stats(): { lists: number; watches: number; relistsAfterGone: number; events: number } {
    const total = { lists: 0, watches: 0, relistsAfterGone: 0, events: 0 };
    for (const { watch } of this.sections.values()) {
      const s = watch.stats;
      total.lists += s.lists;
      total.watches += s.watches;
      total.relistsAfterGone += s.relistsAfterGone;
      total.events += s.events;
    }
    return total;
  }

  private section(spec: CachedKindSpec, path: string): Section {
    const feed = (record: unknown, sign: 1 | -1): void =>
      spec.feed?.(this.aggregates, record as never, sign);
    const section: Section = {
      spec,
      watch: new ListWatch(
        this.client,
        {
          path,
          metadataOnly: spec.metadataOnly,
          fieldSelector: spec.fieldSelector,
          transform: spec.transform,
          pollIntervalMs: this.options.pollIntervalMs,
          backoff: this.options.backoff,
        },
        {
          onAdd: (record) => {
            feed(record, 1);
            this.changed({ kind: spec.name, type: 'added', record });
          },
          onUpdate: (record, previous) => {
            feed(previous, -1);
            feed(record, 1);
            this.changed({ kind: spec.name, type: 'updated', record, previous });
          },
          onDelete: (record) => {
            feed(record, -1);
            this.changed({ kind: spec.name, type: 'deleted', record });
          },
          onSynced: () => {
            this.lastChange = Date.now();
            this.changes++;
          },
          onStateChange: (state, error) => this.stateChanged(section, state, error),
        },
      ),
    };
    return section;
  }

  private changed(change: SnapshotChange): void {
    this.lastChange = Date.now();
    this.changes++;
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // A subscriber's bug must not break the cache that every other feature reads.
      }
    }
  }

  private stateChanged(section: Section, state: ListWatchState, error?: AppError): void {
    this.options.onStateChange?.(section.spec.name, state, error);
    if (this.settled) this.releaseWaiters();
    if (state === 'stale' || state === 'error') this.startRecoveryProbe();
  }

  private releaseWaiters(): void {
    const waiters = this.settledWaiters;
    this.settledWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** While any watch is down, asks /version every second; the first answer resumes all watches. */
  private startRecoveryProbe(): void {
    if (this.recovery || this.stopped) return;
    const interval = this.options.recoveryProbeMs ?? 1_000;
    this.recovery = setInterval(() => void this.probe(interval), interval);
  }

  private async probe(interval: number): Promise<void> {
    if (this.probing) return;
    if (!this.failures().length) {
      clearInterval(this.recovery);
      this.recovery = undefined;
      return;
    }
    this.probing = true;
    try {
      await this.client.version(Math.max(500, interval * 2));
      this.retryFailed();
    } catch {
      // Still down: the next probe tries again; the states already say so.
    } finally {
      this.probing = false;
    }
  }
}

/** Records keep their namespace as `namespace` (slim records) or in `metadata` (spec objects). */
function namespaceOf(record: unknown): string {
  const r = record as { namespace?: string; metadata?: { namespace?: string } };
  return r.namespace ?? r.metadata?.namespace ?? '';
}
