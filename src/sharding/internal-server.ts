import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createServer, IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { errorEnvelope } from '../common/envelope';
import { requestIdFrom } from '../common/request-context';
import { ConfigProvider } from '../config/config.provider';
import { SHARD_HEADERS, verify } from './request-signature';
import { forwardedRequests } from './shard-scope';

const MAX_HEADER_BYTES = 64 * 1024;

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/**
 * The internal port (sharding.internalPort): the same application as the public port, reached
 * only by the other replicas. A request without a valid signature of the shared secret is refused
 * before the application sees it; a signed one is marked as forwarded, so it is answered here
 * and never forwarded again. Listens only with sharding enabled.
 */
@Injectable()
export class InternalServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Sharding');
  private server: Server | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly configProvider: ConfigProvider,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { sharding, server } = this.configProvider.config;
    if (!sharding.enabled) return;
    const app = this.adapterHost.httpAdapter.getInstance<RequestListener>();
    const secret = sharding.internalSecret ?? '';
    this.server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) =>
      this.accepts(req, secret) ? app(req, res) : refuse(req, res),
    );
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(sharding.internalPort, server.host, () => resolve());
    });
    this.logger.log(`Internal port ${server.host}:${sharding.internalPort}`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accepts(req: IncomingMessage, secret: string): boolean {
    const clusters = header(req, SHARD_HEADERS.clusters);
    const signed = {
      from: header(req, SHARD_HEADERS.from),
      at: header(req, SHARD_HEADERS.at),
      method: req.method ?? '',
      url: req.url ?? '',
      requestId: header(req, 'x-request-id'),
      authorization: header(req, 'authorization'),
      clusters,
    };
    if (!signed.from || !verify(secret, signed, header(req, SHARD_HEADERS.signature))) return false;
    const ids = clusters ? new Set(clusters.split(',')) : undefined;
    forwardedRequests.set(req, { from: signed.from, clusters: ids });
    return true;
  }
}

function refuse(req: IncomingMessage, res: ServerResponse): void {
  const requestId = requestIdFrom(req.headers['x-request-id']);
  const body = JSON.stringify(
    errorEnvelope(
      'UNAUTHENTICATED',
      'Only signed requests of other replicas are accepted here',
      requestId,
    ),
  );
  res.writeHead(401, {
    'content-type': 'application/json; charset=utf-8',
    'x-request-id': requestId,
  });
  res.end(body);
}
