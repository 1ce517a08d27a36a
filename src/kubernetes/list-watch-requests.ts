import { AppError } from '../common/app-error';
import type { K8sRequest, K8sStreamRequest } from './kube-client';
import type { ListWatchOptions } from './list-watch-options';
import type { WatchEvent } from './watch-stream';

/** Accept headers that make the API server answer PartialObjectMetadata: object bodies (Secret data) never leave it. */
export const METADATA_LIST_ACCEPT =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
export const METADATA_WATCH_ACCEPT = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';

/** A watch that ends normally sooner than this counts as a failure, so a flapping server is not hammered. */
export const MIN_HEALTHY_WATCH_MS = 5_000;

/** One unpaginated LIST of a very large collection legitimately takes minutes. */
const UNPAGINATED_LIST_TIMEOUT_MS = 10 * 60_000;

/** The bookmark that ends the initial events of a `sendInitialEvents` watch. */
const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

export function endsInitialEvents(event: WatchEvent): boolean {
  return (
    event.type === 'BOOKMARK' && event.object.metadata?.annotations?.[INITIAL_EVENTS_END] === 'true'
  );
}

export interface ListPage {
  metadata?: { continue?: string; resourceVersion?: string };
  items?: Record<string, any>[] | null;
}

/** One LIST page (`paginate=false`: the whole collection in one answer, with a long deadline). */
export function listRequest(
  options: ListWatchOptions<unknown>,
  token: string | undefined,
  paginate: boolean,
  signal: AbortSignal,
): K8sRequest {
  const { path, labelSelector, fieldSelector, pageSize = 500 } = options;
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
    accept: options.metadataOnly ? METADATA_LIST_ACCEPT : undefined,
    signal,
    timeoutMs: paginate ? undefined : UNPAGINATED_LIST_TIMEOUT_MS,
  };
}

/**
 * Reads a LIST page by page until the last (or until stopped), asking for the next page before
 * handing this one over, so the request and the page's processing overlap.
 */
export async function readPages(
  fetch: (token?: string) => Promise<ListPage>,
  stopped: () => boolean,
  onPage: (page: ListPage) => void,
): Promise<void> {
  let next: Promise<ListPage> | undefined = fetch(undefined);
  while (next) {
    const page: ListPage = await next;
    const token = page.metadata?.continue || undefined;
    next = token && !stopped() ? fetch(token) : undefined;
    // If this page's processing throws, the prefetched request still settles somewhere.
    next?.catch(() => undefined);
    onPage(page);
  }
}

/**
 * One WATCH, from `resourceVersion`, or (`initial`) streaming the whole collection first from any
 * recent state (served from the watch cache), its end marked by a bookmark.
 */
export function watchRequest(
  options: ListWatchOptions<unknown>,
  resourceVersion: string | undefined,
  initial: boolean,
  signal: AbortSignal,
): K8sStreamRequest {
  const { path, metadataOnly, connectTimeoutMs, labelSelector, fieldSelector } = options;
  const [min, max] = options.watchTimeoutSeconds ?? [300, 600];
  const query = {
    watch: true,
    resourceVersion: initial ? undefined : resourceVersion,
    sendInitialEvents: initial ? true : undefined,
    resourceVersionMatch: initial ? 'NotOlderThan' : undefined,
    allowWatchBookmarks: true,
    timeoutSeconds: min + Math.floor(Math.random() * (max - min + 1)),
    labelSelector,
    fieldSelector,
  };
  const accept = metadataOnly ? METADATA_WATCH_ACCEPT : undefined;
  return { path, query, accept, connectTimeoutMs, signal };
}

/**
 * The API server's answer to a streamed list it does not serve: 400/422 (no WatchList feature, or
 * too old to know resourceVersionMatch on a watch) or 403 (may list but not watch).
 */
export function refusesStreamingList(error: unknown): boolean {
  return (
    error instanceof AppError && (error.code === 'K8S_INVALID' || error.code === 'K8S_FORBIDDEN')
  );
}

/** A 410 Gone, as an HTTP answer or an ERROR event: the resourceVersion is compacted away. */
export function isGone(error: unknown): boolean {
  return error instanceof AppError && error.code === 'K8S_GONE';
}

/** The AppError of a watch's ERROR event (its object is a Status). */
export function eventError(cluster: string, status: Record<string, any>): AppError {
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
