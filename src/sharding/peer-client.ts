import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Agent, ClientRequest, IncomingMessage, OutgoingHttpHeaders, request } from 'node:http';
import { ConfigProvider } from '../config/config.provider';
import { ReplicaCoordination } from '../coordination/replica-coordination';
import { SHARD_HEADERS, sign } from './request-signature';
import type { ShardScope } from './shard-scope';

/** A replica that cannot be reached at all (refused, unresolvable, no connection in time). */
export class PeerUnreachable extends Error {}

const CONNECT_TIMEOUT_MS = 1000;
// Hop-by-hop headers (RFC 9110 §7.6.1) and the host stay with their own connection.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'host',
  'proxy-connection',
  'te',
  'trailer',
]);

type Headers = Record<string, string | string[] | number | undefined>;

function withoutHopByHop(headers: Headers): Headers {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !HOP_BY_HOP.has(k)));
}

/** Fails the request as unreachable when no connection opens within CONNECT_TIMEOUT_MS. */
function guardConnect(outgoing: ClientRequest): void {
  outgoing.on('socket', (socket) => {
    if (!socket.connecting) return;
    const timer = setTimeout(
      () => outgoing.destroy(new PeerUnreachable('no connection')),
      CONNECT_TIMEOUT_MS,
    );
    socket.once('connect', () => clearTimeout(timer));
    socket.once('close', () => clearTimeout(timer));
  });
}

/**
 * The one client of the other replicas' internal ports: every request it sends is signed with
 * the deployment's shared secret (HMAC over who, when, what and for whom) and keeps the caller's
 * request id. The caller's own credentials go along so the owner checks them again, with the
 * caller's grants; they are never trusted on the signature alone.
 */
@Injectable()
export class PeerClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });

  constructor(
    private readonly configProvider: ConfigProvider,
    private readonly coordination: ReplicaCoordination,
  ) {}

  /**
   * Streams the request to the replica at `address` and its answer back to the caller (SSE
   * included). Rejects with PeerUnreachable only before any answer began, so the caller can try
   * the next owner.
   */
  forward(req: Request, res: Response, address: string, scope: ShardScope): Promise<void> {
    return new Promise((resolve, reject) => {
      const outgoing = this.send(
        address,
        req.method,
        req.originalUrl,
        scope,
        withoutHopByHop(req.headers),
      );
      let answered = false;
      outgoing.on('response', (incoming: IncomingMessage) => {
        answered = true;
        res.status(incoming.statusCode ?? 502);
        for (const [name, value] of Object.entries(withoutHopByHop(incoming.headers)))
          if (value !== undefined) res.setHeader(name, value);
        res.on('close', () => incoming.destroy());
        incoming.pipe(res);
        incoming.on('end', () => resolve());
        incoming.on('error', () => resolve());
      });
      outgoing.on('error', (error) => {
        if (!answered) return reject(new PeerUnreachable(error.message));
        res.destroy();
        resolve();
      });
      req.on('close', () => {
        if (!res.writableFinished) outgoing.destroy();
      });
      outgoing.end();
    });
  }

  /** GETs a JSON envelope from the replica; rejects PeerUnreachable, or with the envelope's error. */
  async getJson(
    address: string,
    url: string,
    scope: ShardScope,
    clusters: readonly string[],
    timeoutMs: number,
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const outgoing = this.send(address, 'GET', url, scope, {
        accept: 'application/json',
        [SHARD_HEADERS.clusters]: clusters.join(','),
      });
      const timer = setTimeout(() => outgoing.destroy(new Error('timeout')), timeoutMs);
      let connected = false;
      outgoing.on('socket', (s) =>
        s.connecting ? s.once('connect', () => (connected = true)) : (connected = true),
      );
      outgoing.on('response', (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (c: Buffer) => chunks.push(c));
        incoming.on('end', () => {
          clearTimeout(timer);
          try {
            const envelope = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            if (incoming.statusCode === 200) resolve(envelope.data);
            else reject(new PeerAnswer(envelope.code ?? 'INTERNAL_ERROR', envelope.message ?? ''));
          } catch {
            reject(new PeerAnswer('INTERNAL_ERROR', 'The replica answered no JSON envelope'));
          }
        });
      });
      outgoing.on('error', (error) => {
        clearTimeout(timer);
        reject(connected ? error : new PeerUnreachable(error.message));
      });
      outgoing.end();
    });
  }

  private send(
    address: string,
    method: string,
    url: string,
    scope: ShardScope,
    headers: OutgoingHttpHeaders,
  ): ClientRequest {
    const secret = this.configProvider.config.sharding.internalSecret ?? '';
    const clusters = String(headers[SHARD_HEADERS.clusters] ?? '');
    const signed = {
      from: this.coordination.replicaId,
      at: String(Date.now()),
      method,
      url,
      requestId: scope.requestId,
      authorization: scope.authorization,
      clusters,
    };
    const outgoing = request(new URL(url, address), {
      method,
      agent: this.agent,
      headers: {
        ...headers,
        ...(scope.authorization ? { authorization: scope.authorization } : {}),
        'x-request-id': scope.requestId,
        [SHARD_HEADERS.from]: signed.from,
        [SHARD_HEADERS.at]: signed.at,
        [SHARD_HEADERS.signature]: sign(secret, signed),
      },
    });
    guardConnect(outgoing);
    return outgoing;
  }
}

/** The other replica answered, with an error envelope. */
export class PeerAnswer extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
