import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Logger as Pino } from 'pino';
import { requestContext } from '../common/request-context';
import { PINO } from './logging.module';

/** One line per finished request: method, route, status, duration, actor. Never headers or bodies. */
@Injectable()
export class AccessLogMiddleware implements NestMiddleware {
  constructor(@Inject(PINO) private readonly pino: Pino) {}

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
      this.pino.info(fields, 'request completed');
    });
    next();
  }
}
