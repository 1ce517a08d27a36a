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
      const fields = {
        method: request.method,
        status: response.statusCode,
        durationMs: Math.round(durationMs * 100) / 100,
        actor: ctx?.principal?.name,
        code: ctx?.resultCode,
      };
      // 'finish' may fire outside the request's async context: re-enter it so the line carries the request id.
      if (ctx) requestContext.run(ctx, () => this.pino.info(fields, 'request completed'));
      else this.pino.info(fields, 'request completed');
    });
    next();
  }
}
