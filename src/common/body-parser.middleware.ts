import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { AppError } from './app-error';

const JSON_TYPES = ['application/json', 'application/*+json', 'application/merge-patch+json'];
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return (
    (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined
  );
}

function isJson(request: Request): boolean {
  return Boolean(request.is(JSON_TYPES));
}

/** The largest body accepted, in bytes: provided by the app module from `server.bodyLimitBytes`. */
export const BODY_LIMIT_BYTES = 'BODY_LIMIT_BYTES';

/**
 * JSON body parsing as Nest middleware (Nest's own parser is disabled) so that malformed JSON,
 * oversized bodies and wrong content types become errors in the envelope, not Express HTML pages.
 */
@Injectable()
export class BodyParserMiddleware implements NestMiddleware {
  private readonly parse: ReturnType<typeof express.json>;

  constructor(@Inject(BODY_LIMIT_BYTES) limitBytes: number) {
    this.parse = express.json({
      limit: limitBytes,
      type: JSON_TYPES,
      strict: true,
    });
  }

  // Not async: a request without a body (every read) passes with no promise made for it.
  use(request: Request, response: Response, next: NextFunction): void | Promise<void> {
    if (!BODY_METHODS.has(request.method) || !hasBody(request)) return next();
    return this.parsed(request, response, next);
  }

  private async parsed(request: Request, response: Response, next: NextFunction): Promise<void> {
    if (!isJson(request)) {
      const type = request.headers['content-type'] ?? 'none';
      throw new AppError(
        'UNSUPPORTED_MEDIA_TYPE',
        `Content-Type ${type} is not accepted; send application/json`,
      );
    }
    await new Promise<void>((resolve, reject) =>
      this.parse(request, response, (error?: unknown) =>
        error ? reject(toAppError(error)) : resolve(),
      ),
    );
    next();
  }
}

function toAppError(error: unknown): AppError {
  const type = (error as { type?: string }).type;
  if (type === 'entity.too.large')
    return new AppError('PAYLOAD_TOO_LARGE', 'The request body is larger than the server accepts');
  if (type === 'entity.parse.failed')
    return new AppError('MALFORMED_JSON', 'The request body is not valid JSON');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported')
    return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported body encoding');
  return new AppError('BAD_REQUEST', 'The request body could not be read');
}
