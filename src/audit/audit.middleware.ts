import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { requestContext } from '../common/request-context';
import { AuditService } from './audit.service';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What a request acted on, from its route parameters and namespace: never from its body. */
function targetOf(request: Request): string | null {
  const params = Object.entries(request.params ?? {}).map(([k, v]) => `${k}=${String(v)}`);
  const namespace =
    typeof request.query?.namespace === 'string' ? [`namespace=${request.query.namespace}`] : [];
  const parts = [...params, ...namespace];
  return parts.length ? parts.join(' ').slice(0, 1024) : null;
}

function withNote(target: string | null, note: string | undefined): string | null {
  if (!note) return target;
  return [target, note].filter(Boolean).join(' ').slice(0, 1024);
}

/**
 * Records every mutating request on a matched route with its final status and code (including
 * refusals: 401, 403, validation errors), and commits the entry *before* the response leaves:
 * `end()` waits for the insert, so a client that saw a 2xx can rely on the entry even if the
 * process is killed the next instant. Waiting on 'finish' (after the response) could lose it.
 */
@Injectable()
export class AuditMiddleware implements NestMiddleware {
  constructor(private readonly audit: AuditService) {}

  use(request: Request, response: Response, next: NextFunction): void {
    if (!MUTATING.has(request.method)) return next();
    const ctx = requestContext.current();
    const end = response.end.bind(response) as (...args: unknown[]) => Response;
    let recorded = false;
    response.end = ((...args: unknown[]) => {
      if (recorded || !request.route || !ctx) return end(...args);
      recorded = true;
      void this.audit
        .record({
          actor: ctx.principal?.name ?? 'anonymous',
          role: ctx.principal?.role ?? null,
          principalKind: ctx.principal?.kind ?? null,
          grants: ctx.principal ? JSON.stringify(ctx.principal.scope.grants).slice(0, 4096) : null,
          method: request.method,
          route: String(request.route.path),
          path: request.originalUrl.split('?')[0].slice(0, 1024),
          target: withNote(targetOf(request), ctx.auditNote),
          status: response.statusCode,
          resultCode: ctx.resultCode ?? (response.statusCode < 400 ? 'OK' : 'UNKNOWN'),
          requestId: ctx.requestId,
        })
        .finally(() => end(...args));
      return response;
    }) as Response['end'];
    next();
  }
}
