import { APIConnectionError, APIConnectionTimeoutError, APIError, RateLimitError } from 'openai';
import { AppError } from '../common/app-error';

export interface ProviderFailure {
  error: AppError;
  retriable: boolean;
  /** From the provider's Retry-After (or retry-after-ms) header. */
  retryAfterMs?: number;
  /** The caller left: nothing to retry, nothing to report to it. */
  aborted?: boolean;
}

/**
 * A failed model call as a stable envelope code. The provider's own message is not relayed: it
 * can echo request details; the status is enough for the client and the log.
 */
export function classify(error: unknown, caller: AbortSignal, timedOut: boolean): ProviderFailure {
  if (caller.aborted)
    return {
      error: new AppError('LLM_TIMEOUT', 'The client left; the model call was stopped'),
      retriable: false,
      aborted: true,
    };
  if (timedOut || error instanceof APIConnectionTimeoutError)
    return {
      error: new AppError('LLM_TIMEOUT', 'The LLM provider did not answer in time'),
      retriable: true,
    };
  if (error instanceof RateLimitError)
    return {
      error: new AppError('LLM_RATE_LIMITED', 'The LLM provider is rate limiting this key'),
      retriable: true,
      retryAfterMs: retryAfterOf(error.headers),
    };
  if (error instanceof APIConnectionError)
    return {
      error: new AppError('LLM_PROVIDER_ERROR', 'The LLM provider cannot be reached'),
      retriable: true,
    };
  if (error instanceof APIError && error.status !== undefined)
    return {
      error: new AppError('LLM_PROVIDER_ERROR', `The LLM provider answered HTTP ${error.status}`, {
        providerStatus: error.status,
      }),
      retriable: error.status >= 500 || error.status === 408,
    };
  if (error instanceof AppError) return { error, retriable: false };
  return {
    error: new AppError('LLM_PROVIDER_ERROR', 'The LLM provider answered something unreadable'),
    retriable: false,
  };
}

/** Retry-After as seconds or an HTTP date; retry-after-ms (OpenAI's own) wins when present. */
export function retryAfterOf(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms >= 0 && headers?.get('retry-after-ms')) return ms;
  const raw = headers?.get('retry-after');
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * How long to wait before the next attempt, or null when it must not happen: not retriable, or
 * the wait would end past the request's deadline (a Retry-After longer than that is the answer).
 */
export function retryDelayMs(
  failure: ProviderFailure,
  attempt: number,
  now: number,
  deadlineAt: number,
  random = Math.random,
): number | null {
  if (!failure.retriable) return null;
  const backoff = Math.min(8_000, 250 * 2 ** attempt) * (0.5 + random() / 2);
  const wait = failure.retryAfterMs ?? backoff;
  return now + wait + 50 >= deadlineAt ? null : wait;
}
