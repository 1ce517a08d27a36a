import {
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { map, Observable } from 'rxjs';
import { successEnvelope } from './envelope';
import { requestContext, requestIdFrom } from './request-context';

const RAW_RESPONSE = 'cloudpilot:raw-response';

/** Marks a handler whose response is not JSON (a download, a stream) and so is not enveloped. */
export const RawResponse = () => SetMetadata(RAW_RESPONSE, true);

/** Wraps every successful /api response in the success envelope. */
@Injectable()
export class EnvelopeInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const raw = this.reflector.getAllAndOverride<boolean>(RAW_RESPONSE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (raw || !request.path.startsWith('/api/')) return next.handle();
    const ctx = requestContext.current();
    const requestId = ctx?.requestId ?? requestIdFrom(request.headers['x-request-id']);
    return next.handle().pipe(
      map((data: unknown) => {
        if (ctx) ctx.resultCode = 'OK';
        return successEnvelope(data ?? null, requestId);
      }),
    );
  }
}
