import { AppError } from '../common/app-error';
import type { KubeClient } from '../kubernetes/kube-client';
import { ListWatch, ListWatchMode, ListWatchState } from '../kubernetes/list-watch';
import { ClusterAggregates } from './cluster-aggregates';
import { MONITORED_KINDS, MonitoredKind, MonitoredKindSpec } from './monitored-kinds';
import type { ClusterUsage } from './node-usage';
import { OverviewHistory } from './overview-history';
import type { NamespaceRecord, NodeRecord } from './slim-records';

export interface ClusterCacheOptions {
  /** Relist interval for kinds that may be listed but not watched (monitor.cacheTtlSeconds). */
  pollIntervalMs: number;
  /** How often a cluster with a failed watch is probed, so its return is noticed within about this. */
  recoveryProbeMs?: number;
  /** Samples of the overview kept for trends (monitor.historySize). */
  historySize?: number;
  /** Passed to every list+watch (tests shorten backoffs). */
  backoff?: { initialMs: number; maxMs: number };
  onStateChange?(kind: MonitoredKind, state: ListWatchState, error?: AppError): void;
}

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

interface Section {
  spec: MonitoredKindSpec;
  watch: ListWatch<any>;
}

/**
 * The live cache of one cluster: a list+watch per monitored kind feeding one set of incremental
 * aggregates. While a watch is down, one cheap probe per second (not one retry per kind) notices the
 * API server's return and resumes every watch at once.
 */
export class ClusterCache {
  readonly aggregates = new ClusterAggregates();
  readonly history: OverviewHistory;
  /** metrics.k8s.io usage as of the last scheduled tick; undefined when that API is not served. */
  usage: ClusterUsage | undefined;
  /** The last reachability check of the scheduled tick. */
  health: ClusterHealth | undefined;
  private readonly sections = new Map<MonitoredKind, Section>();
  private lastChange = 0;
  private recovery: NodeJS.Timeout | undefined;
  private probing = false;
  private stopped = false;
  private settledWaiters: Array<() => void> = [];

  constructor(
    readonly client: KubeClient,
    private readonly options: ClusterCacheOptions,
  ) {
    this.history = new OverviewHistory(options.historySize ?? 120);
    for (const spec of MONITORED_KINDS) this.sections.set(spec.key, this.section(spec));
  }

  get clusterId(): string {
    return this.client.clusterId;
  }

  start(): void {
    for (const section of this.sections.values()) section.watch.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.recovery);
    this.recovery = undefined;
    await Promise.all([...this.sections.values()].map((s) => s.watch.stop()));
    this.releaseWaiters();
  }

  /** True once every kind has finished its first sync or reported why it cannot. */
  get settled(): boolean {
    return [...this.sections.values()].every((s) => s.watch.state !== 'syncing');
  }

  /** Resolves when settled, or after timeoutMs, whichever is first. */
  async whenSettled(timeoutMs: number): Promise<void> {
    if (this.settled || this.stopped) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.settledWaiters.push(resolve);
      timer = setTimeout(resolve, timeoutMs);
    });
    clearTimeout(timer);
  }

  status(): Record<MonitoredKind, KindStatus> {
    const now = Date.now();
    const result = {} as Record<MonitoredKind, KindStatus>;
    for (const [key, { watch }] of this.sections) {
      const error = watch.lastError;
      const last = watch.lastSyncedAt;
      const healthy = watch.state === 'synced';
      result[key] = {
        state: watch.state,
        mode: watch.mode,
        count: watch.size,
        lastSyncedAt: last ? new Date(healthy ? now : last).toISOString() : null,
        ageSeconds: last ? (healthy ? 0 : Math.round((now - last) / 100) / 10) : null,
        lists: watch.stats.lists,
        relistsAfterGone: watch.stats.relistsAfterGone,
        ...(error && !healthy ? { error: { code: error.code, message: error.message } } : {}),
      };
    }
    return result;
  }

  /** Each section whose watch is down, with its error: what the fleet reports when nothing is live. */
  failures(): { kind: MonitoredKind; state: ListWatchState; error?: AppError }[] {
    return [...this.sections.entries()]
      .filter(([, s]) => s.watch.state === 'stale' || s.watch.state === 'error')
      .map(([kind, s]) => ({ kind, state: s.watch.state, error: s.watch.lastError }));
  }

  /** True when no kind is live: every kind is stale, in error or forbidden. */
  get down(): boolean {
    const states = [...this.sections.values()].map((s) => s.watch.state);
    return (
      states.every((s) => s === 'stale' || s === 'error' || s === 'forbidden') &&
      states.some((s) => s !== 'forbidden')
    );
  }

  /** Epoch ms of the last change applied to any kind, or of the last complete sync. */
  get lastUpdated(): number {
    return this.lastChange;
  }

  nodes(): NodeRecord[] {
    return this.sections.get('nodes')!.watch.values();
  }

  node(name: string): NodeRecord | undefined {
    return this.sections.get('nodes')!.watch.get(name);
  }

  namespaces(): NamespaceRecord[] {
    return this.sections.get('namespaces')!.watch.values();
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

  private section(spec: MonitoredKindSpec): Section {
    const changed = (): void => {
      this.lastChange = Date.now();
    };
    const section: Section = {
      spec,
      watch: new ListWatch(
        this.client,
        {
          path: spec.path,
          metadataOnly: spec.metadataOnly,
          transform: spec.transform,
          pollIntervalMs: this.options.pollIntervalMs,
          backoff: this.options.backoff,
        },
        {
          onAdd: (record) => {
            spec.feed(this.aggregates, record, 1);
            changed();
          },
          onUpdate: (record, previous) => {
            spec.feed(this.aggregates, previous, -1);
            spec.feed(this.aggregates, record, 1);
            changed();
          },
          onDelete: (record) => {
            spec.feed(this.aggregates, record, -1);
            changed();
          },
          onSynced: changed,
          onStateChange: (state, error) => this.stateChanged(section, state, error),
        },
      ),
    };
    return section;
  }

  private stateChanged(section: Section, state: ListWatchState, error?: AppError): void {
    this.options.onStateChange?.(section.spec.key, state, error);
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
      await this.client.request({ path: '/version', timeoutMs: Math.max(500, interval * 2) });
      this.retryFailed();
    } catch {
      // Still down: the next probe tries again; the states already say so.
    } finally {
      this.probing = false;
    }
  }
}
