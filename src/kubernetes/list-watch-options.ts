import type { AppError } from '../common/app-error';
import type { BackoffOptions } from './backoff';
import type { WatchCacheHandlers } from './watch-cache';

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

/** Counters at zero, for a new list+watch. */
export function emptyListWatchStats(): ListWatchStats {
  return {
    lists: 0,
    streamedLists: 0,
    pages: 0,
    watches: 0,
    relistsAfterGone: 0,
    expiredContinues: 0,
    events: 0,
  };
}
