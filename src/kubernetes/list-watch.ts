import { AppError } from '../common/app-error';
import { Backoff, BackoffOptions } from './backoff';
import { mapK8sTransportError } from './k8s-error-mapping';
import { K8sRequest, KubeClient } from './kube-client';
import { METADATA_LIST_ACCEPT, METADATA_WATCH_ACCEPT } from './list-all';
import { WatchCache, WatchCacheHandlers } from './watch-cache';
import { watchRetryDelayMs } from './throttle';
import { WatchEvent, readWatchEvents } from './watch-stream';

/** Where a list+watch stands; `stale` means the last good data is kept while the watch is down. */
export type ListWatchState = 'syncing' | 'synced' | 'stale' | 'forbidden' | 'error';

/** Callbacks of one list+watch. Records are what `transform` returned. */
export interface ListWatchHandlers<T> extends WatchCacheHandlers<T> {
  /** After every complete LIST (the first sync and each relist): the cache is exact at that point. */
  onSynced?(): void;
  /** On every change of state, with the AppError that caused stale, forbidden or error. */
  onStateChange?(state: ListWatchState, error?: AppError): void;
}

/** What to list and watch, and how patiently. */
export interface ListWatchOptions<T> {
  /** Collection path, e.g. /api/v1/pods or /api/v1/namespaces/x/configmaps. */
  path: string;
  /** Lists and watches PartialObjectMetadata only: object bodies (Secret data) are never downloaded. */
  metadataOnly?: boolean;
  /** Applied to each object on arrival; only its result is kept. Default: the object itself. */
  transform?: (object: Record<string, any>) => T;
  labelSelector?: string;
  fieldSelector?: string;
  /** LIST page size (default 500). */
  pageSize?: number;
  /**
   * Take the initial list as a watch stream (`sendInitialEvents=true`, the WatchList feature) where
   * the API server serves it, object by object instead of page by page; a server that refuses it
   * gets paginated LISTs. Default true.
   */
  streamingList?: boolean;
  /** Skip the first LIST and watch from this resourceVersion (a restored cache); a 410 then relists. */
  startFromResourceVersion?: string;
  /** Deadline for a watch's response headers (default: the client's request deadline). */
  connectTimeoutMs?: number;
  /** A watch silent this long is reconnected (default 120 s; the API server bookmarks about every minute). */
  idleTimeoutMs?: number;
  /** Server-side watch lifetime, drawn uniformly in [min, max] seconds per watch (default 300–600). */
  watchTimeoutSeconds?: [number, number];
  backoff?: BackoffOptions;
  /** Retry interval after a 403: RBAC rarely changes, so no retry storm (default 5 min). */
  forbiddenRetryMs?: number;
  /**
   * A credential that may list but not watch (403 on the WATCH after a good LIST) falls back to a
   * relist every this many ms; without it such a kind is reported `forbidden`.
   */
  pollIntervalMs?: number;
}

/** How a synced list+watch keeps up: a watch, or a relist every pollIntervalMs. */
export type ListWatchMode = 'watch' | 'poll';

/** Counters for tests and benchmarks (e.g. LIST requests in steady state should stay at zero). */
export interface ListWatchStats {
  /** Complete-list attempts: LISTs, and initial-event streams the API server accepted. */
  lists: number;
  /** Of those, the initial-event streams (WatchList). */
  streamedLists: number;
  pages: number;
  watches: number;
  relistsAfterGone: number;
  /** LISTs whose continue token expired mid-way and were redone unpaginated. */
  expiredContinues: number;
  events: number;
}

/** A watch that ends normally sooner than this counts as a failure, so a flapping server is not hammered. */
const MIN_HEALTHY_WATCH_MS = 5_000;
/** One unpaginated LIST of a very large collection legitimately takes minutes. */
const UNPAGINATED_LIST_TIMEOUT_MS = 10 * 60_000;

interface ListPage {
  metadata?: { continue?: string; resourceVersion?: string };
  items?: Record<string, any>[] | null;
}

/**
 * The API server's answer to a streamed list it does not serve: 400/422 (no WatchList feature, or
 * too old to know resourceVersionMatch on a watch) or 403 (may list but not watch).
 */
function refusesStreamingList(error: unknown): boolean {
  return (
    error instanceof AppError && (error.code === 'K8S_INVALID' || error.code === 'K8S_FORBIDDEN')
  );
}

/** The bookmark that ends the initial events of a `sendInitialEvents` watch. */
const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

/** A 410 Gone, as an HTTP answer or an ERROR event: the resourceVersion is compacted away. */
function isGone(error: unknown): boolean {
  return error instanceof AppError && error.code === 'K8S_GONE';
}

function eventError(cluster: string, status: Record<string, any>): AppError {
  if (status.code === 410)
    return new AppError('K8S_GONE', 'The watch resourceVersion is too old (410 Gone)', {
      cluster,
      reason: 'Expired',
    });
  const code = status.code === 403 ? 'K8S_FORBIDDEN' : 'CLUSTER_ERROR';
  return new AppError(
    code,
    String(status.message ?? `Cluster ${cluster} ended the watch with an error`).slice(0, 1000),
    { cluster, reason: status.reason },
  );
}

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
  private readonly counters: ListWatchStats = {
    lists: 0,
    streamedLists: 0,
    pages: 0,
    watches: 0,
    relistsAfterGone: 0,
    expiredContinues: 0,
    events: 0,
  };
  private current: ListWatchState | undefined;
  private resourceVersion: string | undefined;
  private needList: boolean;
  private everSynced = false;
  private lastFailureGone = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
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
    if (this.inBackoff) this.wake?.();
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
    this.wake?.();
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
          await this.sleep(this.options.pollIntervalMs!);
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
  private async listPages(paginate: boolean): Promise<void> {
    let next: Promise<ListPage> | undefined = this.fetchPage(undefined, paginate);
    while (next) {
      const page: ListPage = await next;
      this.counters.pages += 1;
      const token: string | undefined = page.metadata?.continue || undefined;
      // Ask for the next page before transforming this one, so the two overlap.
      next = token && !this.stopped ? this.fetchPage(token, paginate) : undefined;
      // If this page's transform throws, the prefetched request still settles somewhere.
      next?.catch(() => undefined);
      for (const item of page.items ?? []) this.cache.upsert(item);
      this.resourceVersion = page.metadata?.resourceVersion;
    }
  }

  private fetchPage(token: string | undefined, paginate: boolean): Promise<ListPage> {
    return this.client.request<ListPage>(this.listRequest(token, paginate));
  }

  private listRequest(token: string | undefined, paginate = true): K8sRequest {
    const { path, labelSelector, fieldSelector, pageSize = 500 } = this.options;
    // No resourceVersion: a consistent read that the API server paginates (RV=0 would ignore limit).
    const query = {
      limit: paginate ? pageSize : undefined,
      continue: token,
      labelSelector,
      fieldSelector,
    };
    return {
      path,
      query,
      accept: this.options.metadataOnly ? METADATA_LIST_ACCEPT : undefined,
      signal: this.abort.signal,
      timeoutMs: paginate ? undefined : UNPAGINATED_LIST_TIMEOUT_MS,
    };
  }

  /**
   * One watch until the server ends it. `initial`: the watch first streams the whole collection
   * (sendInitialEvents) and its initial-events-end bookmark completes the sync; a server that
   * refuses that (no WatchList feature: 4xx) turns streaming off and the caller LISTs instead.
   * https://kubernetes.io/docs/reference/using-api/api-concepts/#streaming-lists
   */
  private async watch(initial = false): Promise<void> {
    const { path, metadataOnly, connectTimeoutMs, idleTimeoutMs = 120_000 } = this.options;
    this.counters.watches += 1;
    this.watching = true;
    const stream = await this.client
      .stream({
        path,
        query: this.watchQuery(initial),
        accept: metadataOnly ? METADATA_WATCH_ACCEPT : undefined,
        connectTimeoutMs,
        signal: this.abort.signal,
      })
      .catch((error: unknown) => {
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
      await this.sleep(this.backoff.next());
  }

  private watchQuery(initial: boolean): K8sRequest['query'] {
    const [min, max] = this.options.watchTimeoutSeconds ?? [300, 600];
    const { labelSelector, fieldSelector } = this.options;
    return {
      watch: true,
      // A streamed list starts from any recent state (served from the watch cache).
      resourceVersion: initial ? undefined : this.resourceVersion,
      sendInitialEvents: initial ? true : undefined,
      resourceVersionMatch: initial ? 'NotOlderThan' : undefined,
      allowWatchBookmarks: true,
      timeoutSeconds: min + Math.floor(Math.random() * (max - min + 1)),
      labelSelector,
      fieldSelector,
    };
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
    if (
      this.streamingInitial &&
      event.type === 'BOOKMARK' &&
      event.object.metadata?.annotations?.[INITIAL_EVENTS_END] === 'true'
    ) {
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
      if (!immediate) await this.sleep(this.backoff.next());
      return;
    }
    this.lastFailureGone = false;
    const watchRefused = this.watching;
    this.watching = false;
    if (failure.code === 'K8S_FORBIDDEN' && watchRefused && this.options.pollIntervalMs) {
      // Listed fine, may not watch: keep the listed data and relist on a timer.
      this.polling = true;
      this.needList = true;
      return this.sleep(this.options.pollIntervalMs);
    }
    if (failure.code === 'K8S_FORBIDDEN') {
      this.needList = true;
      this.setState('forbidden', failure);
      return this.sleep(this.options.forbiddenRetryMs ?? 300_000);
    }
    this.setState(this.everSynced ? 'stale' : 'error', failure);
    this.inBackoff = true;
    await this.sleep(watchRetryDelayMs(failure, this.backoff.next()));
    this.inBackoff = false;
  }

  private setState(state: ListWatchState, error?: AppError): void {
    // Only changes are reported: a cluster that stays down must not flood the owner.
    if (state === this.current) return;
    this.current = state;
    this.handlers.onStateChange?.(state, error);
  }

  /** A wait that stop() cuts short, leaving no timer behind. */
  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    }).then(() => {
      this.wake = undefined;
    });
  }
}
