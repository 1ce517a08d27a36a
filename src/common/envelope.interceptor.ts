import {
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { map, Observable } from 'rxjs';
import { AppError } from './app-error';
import { successEnvelope, successEnvelopeJson } from './envelope';
import { perHandler } from './handler-memo';
import { refuseUndeclaredQuery } from './query-params.rule';
import { requestContext, requestIdFrom } from './request-context';
import { SerializedAnswer } from './serialized-answer';

const RAW_RESPONSE = 'cloudpilot:raw-response';

/** Marks a handler whose response is not JSON (a download, a stream) and so is not enveloped. */
export const RawResponse = () => SetMetadata(RAW_RESPONSE, true);

/**
 * Wraps every successful /api response in the success envelope, showing only what the caller may
 * see; first refuses a query parameter the operation does not declare (the rule lives beside).
 */
@Injectable()
export class EnvelopeInterceptor implements NestInterceptor {
  private readonly isRaw = perHandler((context) =>
    Boolean(
      this.reflector.getAllAndOverride<boolean>(RAW_RESPONSE, [
        context.getHandler(),
        context.getClass(),
      ]),
    ),
  );

  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    refuseUndeclaredQuery(context, request);
    if (this.isRaw(context) || !request.path.startsWith('/api/')) return next.handle();
    const ctx = requestContext.current();
    const requestId = ctx?.requestId ?? requestIdFrom(request.headers['x-request-id']);
    return next.handle().pipe(
      map((answer: unknown) => {
        if (answer instanceof SerializedAnswer && !ctx?.visible) {
          if (ctx) ctx.resultCode = 'OK';
          // What res.json() would set; a string body is then sent as it is.
          context
            .switchToHttp()
            .getResponse<Response>()
            .setHeader('Content-Type', 'application/json');
          return successEnvelopeJson(answer.json, requestId);
        }
        const data: unknown = answer instanceof SerializedAnswer ? answer.value : answer;
        const shown = ctx?.visible && data !== undefined ? ctx.visible(data) : data;
        // The whole answer is outside the grants: the same 404 whether or not it exists.
        if (shown === undefined && data !== undefined)
          throw new AppError('OUT_OF_SCOPE', "The object is outside the caller's grants");
        if (ctx) ctx.resultCode = 'OK';
        return successEnvelope(shown ?? null, requestId);
      }),
    );
  }
}
