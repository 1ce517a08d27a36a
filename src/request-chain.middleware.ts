import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AuditMiddleware } from './audit/audit.middleware';
import { BodyParserMiddleware } from './common/body-parser.middleware';
import { runInOrder } from './common/middleware-chain';
import { RequestContextMiddleware } from './common/request-context.middleware';
import { HttpMetricsMiddleware } from './health/http-metrics.middleware';
import { AccessLogMiddleware } from './logging/access-log.middleware';
import { ShardProxyMiddleware } from './sharding/shard-proxy.middleware';

/**
 * The one ordered chain every request passes, as a single router layer: context first (request
 * id), then observers, then forwarding a read of a cluster another replica watches (sharding),
 * then auditing mutations and parsing bodies.
 */
@Injectable()
export class RequestChainMiddleware implements NestMiddleware<Request, Response> {
  private readonly steps: readonly NestMiddleware<Request, Response>[];

  constructor(
    context: RequestContextMiddleware,
    metrics: HttpMetricsMiddleware,
    accessLog: AccessLogMiddleware,
    shardProxy: ShardProxyMiddleware,
    audit: AuditMiddleware,
    body: BodyParserMiddleware,
  ) {
    this.steps = [context, metrics, accessLog, shardProxy, audit, body];
  }

  use(request: Request, response: Response, next: NextFunction): void {
    runInOrder(this.steps, request, response, next);
  }
}
