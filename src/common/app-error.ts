import { ErrorCode, statusOf } from './error-codes';

/**
 * A domain error with a stable code. Services throw these; the exception filter turns them into
 * the error envelope with the catalogue's HTTP status and any extra response headers.
 */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Response headers the client needs to act on the error, e.g. Retry-After. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = statusOf(code);
  }
}

/**
 * The refusal of a write instant mode cannot make (its clusters and sources come from
 * configuration), as the rejected promise the refused method answers; `instead` says what to do.
 */
export function refusedInInstantMode(instead: string): Promise<never> {
  return Promise.reject(new AppError('NOT_AVAILABLE_IN_INSTANT_MODE', instead));
}
