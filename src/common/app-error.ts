import { ErrorCode, statusOf } from './error-codes';

/**
 * A domain error with a stable code. Services throw these; the exception filter turns them into
 * the error envelope with the catalogue's HTTP status.
 */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = statusOf(code);
  }
}
