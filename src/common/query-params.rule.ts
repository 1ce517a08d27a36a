import type { ExecutionContext } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import type { Request } from 'express';
import { AppError } from './app-error';
import { perHandler } from './handler-memo';
import type { FieldError } from './validation.pipe';

// RouteParamtypes.QUERY: the key of a @Query() argument is `${QUERY}:${index}`.
const QUERY = 4;

interface RouteArg {
  data?: unknown;
}

/**
 * One rule for unknown input: a query parameter an /api operation does not declare is refused
 * with 400 VALIDATION_FAILED, as unknown body properties are (the ValidationPipe's
 * forbidNonWhitelisted). A route whose handler takes a whole @Query() DTO is left to that pipe,
 * which names every unknown field at once; any other route declares no query, or names its
 * parameters one @Query('name') each, and is checked here against that list. Called by the
 * envelope interceptor before the handler runs: one interceptor fewer on every request.
 */
export function refuseUndeclaredQuery(context: ExecutionContext, request: Request): void {
  if (context.getType() !== 'http' || !request.path.startsWith('/api/')) return;
  const declared = declaredQuery(context);
  if (declared === 'dto') return;
  const unknown = Object.keys(request.query ?? {}).filter((name) => !declared.has(name));
  if (!unknown.length) return;
  const details: FieldError[] = unknown.map((field) => ({
    field,
    errors: [`query parameter ${field} is not accepted by this operation`],
  }));
  throw new AppError('VALIDATION_FAILED', 'Request validation failed', details);
}

const declaredQuery = perHandler((context): 'dto' | Set<string> => {
  const args = (Reflect.getMetadata(
    ROUTE_ARGS_METADATA,
    context.getClass(),
    context.getHandler().name,
  ) ?? {}) as Record<string, RouteArg>;
  const names = new Set<string>();
  for (const [key, arg] of Object.entries(args)) {
    if (Number(key.split(':')[0]) !== QUERY) continue;
    if (typeof arg.data !== 'string') return 'dto';
    names.add(arg.data);
  }
  return names;
});
