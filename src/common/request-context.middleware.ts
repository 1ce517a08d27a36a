import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { requestContext, requestIdFrom } from './request-context';

/** First in the chain: gives the request its id (echoed as X-Request-Id) and its async context. */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    const requestId = requestIdFrom(request.headers['x-request-id']);
    response.setHeader('X-Request-Id', requestId);
    // originalUrl: inside middleware mounted on a pattern, request.path is relative to the mount.
    const path = request.originalUrl.split('?')[0];
    requestContext.run({ requestId, method: request.method, path }, () => next());
  }
}
