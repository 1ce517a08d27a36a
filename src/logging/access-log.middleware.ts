import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Logger as Pino } from 'pino';
import { requestContext } from '../common/request-context';
import { PINO } from './logging.module';

/** One line per finished request: method, route, status, duration, actor. Never headers or bodies. */
@Injectable()
export class AccessLogMiddleware implements NestMiddleware {
  /**
   * The app's logger without its path redaction: a line's fields here are scalars, which paths
   * such as `*.token` (keys of nested objects) can never match, and looking for them cost more
   * than the rest of the line. The redaction of secrets in the written text still applies.
   */
  private readonly lines: Pino;

  constructor(@Inject(PINO) pino: Pino) {
    this.lines = pino.child({}, { redact: { paths: [] } });
  }

  use(request: Request, response: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    const ctx = requestContext.current();
    response.on('finish', () => {
      if (ctx && request.route) ctx.route = String(request.route.path);
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      // 'finish' fires outside the request's async context: the line names its request itself
      // (cheaper than re-entering the context for the logger's mixin to find it).
      const fields = {
        ...(ctx ? { requestId: ctx.requestId, route: ctx.route ?? ctx.path } : {}),
        method: request.method,
        status: response.statusCode,
        durationMs: Math.round(durationMs * 100) / 100,
        actor: ctx?.principal?.name,
        code: ctx?.resultCode,
      };
      this.lines.info(fields, 'request completed');
    });
    next();
  }
}
