import { AppError } from '../common/app-error';
import { Backoff, Pause } from './backoff';
import { mapK8sTransportError } from './k8s-error-mapping';
import { KubeClient } from './kube-client';
import {
  emptyListWatchStats,
  ListWatchHandlers,
  ListWatchMode,
  ListWatchOptions,
  ListWatchState,
  ListWatchStats,
} from './list-watch-options';
import {
  eventError,
  endsInitialEvents,
  isGone,
  ListPage,
  listRequest,
  MIN_HEALTHY_WATCH_MS,
  readPages,
  refusesStreamingList,
  watchRequest,
} from './list-watch-requests';
import { WatchCache } from './watch-cache';
import { watchRetryDelayMs } from './throttle';
import { WatchEvent, readWatchEvents } from './watch-stream';

export type { ListWatchHandlers, ListWatchMode, ListWatchOptions, ListWatchState };

/**
 * Informer semantics over KubeClient: a paginated LIST, then a WATCH from its resourceVersion with
 * bookmarks, rotated every 5–10 minutes; a 410 relists, any other failure or a silent stream
 * reconnects with exponential backoff and jitter; a 403 is reported `forbidden` and retried slowly.
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
 */
export class ListWatch<T = Record<string, any>> {
  private readonly cache: WatchCache<T>;
  private readonly backoff: Backoff;
  private readonly abort = new AbortController();
  private readonly counters: ListWatchStats = emptyListWatchStats();
  private current: ListWatchState | undefined;
  private resourceVersion: string | undefined;
  private needList: boolean;
  private everSynced = false;
  private lastFailureGone = false;
  private loop: Promise<void> | undefined;
  private readonly pause = new Pause(this.abort.signal);
  private polling = false;
  private watching = false;
  /** Only backoff waits may be cut short by retryNow(); forbidden and poll waits keep their pace. */
  private inBackoff = false;
  private lastSyncAt: number | undefined;
  private failure: AppError | undefined;
  /** Cleared for good once the API server refuses a streamed initial list. */
  private streamingList: boolean;
  /** The open watch is streaming the initial list: its bookmark completes the sync. */
  private streamingInitial = false;

  constructor(
    private readonly client: KubeClient,
    private readonly options: ListWatchOptions<T>,
    private readonly handlers: ListWatchHandlers<T> = {},
  ) {
    this.cache = new WatchCache(options.transform ?? ((o) => o as T), handlers);
    this.backoff = new Backoff(options.backoff ?? { initialMs: 800, maxMs: 30_000 });
    this.resourceVersion = options.startFromResourceVersion;
    this.needList = options.startFromResourceVersion === undefined;
    this.streamingList = options.streamingList ?? true;
  }

  get state(): ListWatchState {
    return this.current ?? 'syncing';
  }

  get stats(): ListWatchStats {
    return { ...this.counters };
  }

  /** The latest failure while not synced (updated on every retry, unlike onStateChange). */
  get lastError(): AppError | undefined {
    return this.current === 'synced' ? undefined : this.failure;
  }

  get mode(): ListWatchMode {
    return this.polling ? 'poll' : 'watch';
  }

  /** When the data was last known exact: the end of a LIST or the last sign of a live watch (epoch ms). */
  get lastSyncedAt(): number | undefined {
    return this.lastSyncAt;
  }

  /**
   * Cuts a backoff wait short, e.g. when the owner has seen the API server answer again, so a
   * cluster that comes back is resynced at once rather than after up to 30 s of backoff.
   */
  retryNow(): void {
    if (this.inBackoff) this.pause.wake();
  }

  /** The kept records, in no particular order. */
  values(): T[] {
    return this.cache.values();
  }

  /** One record by `namespace/name` (or `name` for cluster-scoped kinds). */
  get(key: string): T | undefined {
    return this.cache.get(key);
  }

  get size(): number {
    return this.cache.size;
  }

  /** Starts listing and watching in the background; errors surface as states, never as rejections. */
  start(): void {
    this.loop ??= this.run();
  }

  /** Aborts the open request and any wait; resolves once nothing of this list+watch is left running. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.pause.wake();
    await this.loop;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    this.setState('syncing');
    while (!this.stopped) {
      try {
        if (this.needList && this.streamingList && !this.polling) {
          await this.watch(true);
          continue;
        }
        if (this.needList) await this.list();
        if (this.polling) {
          await this.pause.for(this.options.pollIntervalMs!);
          this.needList = true;
          continue;
        }
        await this.watch();
      } catch (error) {
        if (!this.stopped) await this.recover(error);
      }
    }
  }

  private async list(): Promise<void> {
    this.counters.lists += 1;
    this.cache.beginRelist();
    try {
      await this.listPages(true).catch((error: unknown) => {
        if (!isGone(error) || this.stopped) throw error;
        // The continue token expired mid-list (a list longer than the compaction interval): paging
        // again would expire again, so take one unpaginated list, as client-go's pager does.
        this.counters.expiredContinues += 1;
        this.cache.beginRelist();
        return this.listPages(false);
      });
    } catch (error) {
      this.cache.abandonRelist();
      throw error;
    }
    if (this.stopped) return this.cache.abandonRelist();
    this.completeList();
  }

  /** The cache now holds exactly the collection as of this.resourceVersion. */
  private completeList(): void {
    this.cache.endRelist();
    this.needList = false;
    this.everSynced = true;
    this.lastSyncAt = Date.now();
    this.setState('synced');
    this.handlers.onSynced?.();
  }

  /** One complete LIST into the cache, page by page or (paginate=false) in one answer. */
  private listPages(paginate: boolean): Promise<void> {
    const fetch = (token?: string) =>
      this.client.request<ListPage>(listRequest(this.options, token, paginate, this.abort.signal));
    return readPages(
      fetch,
      () => this.stopped,
      (page) => {
        this.counters.pages += 1;
        for (const item of page.items ?? []) this.cache.upsert(item);
        this.resourceVersion = page.metadata?.resourceVersion;
      },
    );
  }

  /**
   * One watch until the server ends it. `initial`: the watch first streams the whole collection
   * (sendInitialEvents) and its initial-events-end bookmark completes the sync; a server that
   * refuses that (no WatchList feature: 4xx) turns streaming off and the caller LISTs instead.
   * https://kubernetes.io/docs/reference/using-api/api-concepts/#streaming-lists
   */
  private async watch(initial = false): Promise<void> {
    const { idleTimeoutMs = 120_000 } = this.options;
    this.counters.watches += 1;
    this.watching = true;
    const request = watchRequest(this.options, this.resourceVersion, initial, this.abort.signal);
    const stream = await this.client.streamChunks(request).catch((error: unknown) => {
      if (!initial || !refusesStreamingList(error)) throw error;
      this.streamingList = false;
    });
    this.watching = false;
    if (!stream) return;
    const opened = Date.now();
    if (initial) this.beginStreamedList();
    else this.markWatchHealthy(opened);
    this.lastFailureGone = false;
    this.backoff.reset();
    try {
      await readWatchEvents(this.client.clusterId, stream, idleTimeoutMs, (event) =>
        this.apply(event),
      );
    } finally {
      // Ended before its initial-events-end bookmark: the streamed list is incomplete.
      if (this.streamingInitial) this.cache.abandonRelist();
      this.streamingInitial = false;
    }
    // The server ended the watch (timeoutSeconds): resume from the last resourceVersion at once.
    if (Date.now() - opened < MIN_HEALTHY_WATCH_MS && !this.stopped)
      await this.pause.for(this.backoff.next());
  }

  private beginStreamedList(): void {
    this.counters.lists += 1;
    this.counters.streamedLists += 1;
    this.cache.beginRelist();
    this.streamingInitial = true;
  }

  private markWatchHealthy(at: number): void {
    this.lastSyncAt = at;
    if (this.everSynced) this.setState('synced');
  }

  private apply(event: WatchEvent): void {
    if (this.stopped) return;
    this.counters.events += 1;
    if (event.type === 'ERROR') throw eventError(this.client.clusterId, event.object);
    if (!this.streamingInitial) this.lastSyncAt = Date.now();
    if (event.type === 'ADDED' || event.type === 'MODIFIED') this.cache.upsert(event.object);
    else if (event.type === 'DELETED') this.cache.remove(event.object);
    this.resourceVersion = event.object.metadata?.resourceVersion ?? this.resourceVersion;
    if (this.streamingInitial && endsInitialEvents(event)) {
      this.streamingInitial = false;
      this.completeList();
    }
  }

  private async recover(error: unknown): Promise<void> {
    // A stream cut mid-read (a dying server) is a transport failure like a refused connect.
    const failure =
      error instanceof AppError ? error : mapK8sTransportError(this.client.clusterId, error, false);
    this.failure = failure;
    if (isGone(failure)) {
      this.needList = true;
      this.counters.relistsAfterGone += 1;
      // One immediate relist; a second 410 in a row waits like any other failure.
      const immediate = !this.lastFailureGone;
      this.lastFailureGone = true;
      if (!immediate) await this.pause.for(this.backoff.next());
      return;
    }
    this.lastFailureGone = false;
    const watchRefused = this.watching;
    this.watching = false;
    if (failure.code === 'K8S_FORBIDDEN' && watchRefused && this.options.pollIntervalMs) {
      // Listed fine, may not watch: keep the listed data and relist on a timer.
      this.polling = true;
      this.needList = true;
      return this.pause.for(this.options.pollIntervalMs);
    }
    if (failure.code === 'K8S_FORBIDDEN') {
      this.needList = true;
      this.setState('forbidden', failure);
      return this.pause.for(this.options.forbiddenRetryMs ?? 300_000);
    }
    this.setState(this.everSynced ? 'stale' : 'error', failure);
    this.inBackoff = true;
    await this.pause.for(watchRetryDelayMs(failure, this.backoff.next()));
    this.inBackoff = false;
  }

  private setState(state: ListWatchState, error?: AppError): void {
    // Only changes are reported: a cluster that stays down must not flood the owner.
    if (state === this.current) return;
    this.current = state;
    this.handlers.onStateChange?.(state, error);
  }
}
