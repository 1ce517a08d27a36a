import { HttpException } from '@nestjs/common';
import { AppError } from './app-error';
import { ErrorCode } from './error-codes';

export interface MappedError {
  status: number;
  code: ErrorCode;
  message: string;
  details?: unknown;
  headers?: Record<string, string>;
  /** True when the client must not see the original message (it may carry internals). */
  unexpected: boolean;
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

/**
 * Maps anything thrown while handling a request to a status and a stable code. `routeMatched`
 * separates "no such route" from a handler's own 404.
 */
export function mapError(error: unknown, routeMatched: boolean): MappedError {
  if (error instanceof AppError) {
    return {
      status: error.status,
      code: error.code,
      message: error.message,
      details: error.details,
      headers: error.headers,
      unexpected: false,
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === 404 && !routeMatched) {
      return {
        status,
        code: 'ROUTE_NOT_FOUND',
        message: 'No route matches this method and path',
        unexpected: false,
      };
    }
    const code = CODE_BY_STATUS[status];
    if (code) return { status, code, message: messageOf(error), unexpected: false };
  }
  return {
    status: 500,
    code: 'INTERNAL_ERROR',
    message: 'Internal error; quote the request id when reporting it',
    unexpected: true,
  };
}

function messageOf(error: HttpException): string {
  const body = error.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.join('; ');
  return error.message;
}
