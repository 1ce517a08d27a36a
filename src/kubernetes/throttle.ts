import { AppError } from '../common/app-error';

/** The longest a request waits on one Retry-After: a longer ask is answered with the 429 itself. */
export const MAX_REQUEST_RETRY_AFTER_MS = 10_000;
/** The longest a list+watch waits on one Retry-After before trying again. */
export const MAX_WATCH_RETRY_AFTER_MS = 60_000;

/** The Retry-After of a K8S_THROTTLED error in ms, or undefined for any other error. */
export function retryAfterMs(error: unknown): number | undefined {
  if (!(error instanceof AppError) || error.code !== 'K8S_THROTTLED') return undefined;
  const seconds = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
  return Math.max(1, seconds ?? 1) * 1000;
}

/**
 * How long to wait before resending a throttled request, or undefined to give up and answer the
 * 429: after `maxRetries` retries, when the server asks for more than 10 s, or when the wait would
 * outlast the request's own deadline. The API server answers 429 before doing any work (API
 * Priority and Fairness), so resending is safe for every verb.
 * https://kubernetes.io/docs/concepts/cluster-administration/flow-control/
 */
export function throttleDelayMs(
  error: unknown,
  attempt: number,
  maxRetries: number,
  remainingMs: number,
): number | undefined {
  const wait = retryAfterMs(error);
  if (wait === undefined || attempt > maxRetries) return undefined;
  if (wait > MAX_REQUEST_RETRY_AFTER_MS || wait >= remainingMs) return undefined;
  return wait;
}

/** A list+watch's wait after a failure: its backoff, or longer when the server asked for it (bounded). */
export function watchRetryDelayMs(error: unknown, backoffMs: number): number {
  const asked = retryAfterMs(error);
  return asked === undefined
    ? backoffMs
    : Math.max(backoffMs, Math.min(asked, MAX_WATCH_RETRY_AFTER_MS));
}
