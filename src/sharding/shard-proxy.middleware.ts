import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { PrincipalResolver } from '../access/principal-resolver';
import { unauthorized } from '../access/protected-resource';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import { requestContext } from '../common/request-context';
import { LocalCaches } from './local-caches';
import { PeerClient, PeerUnreachable } from './peer-client';
import { ShardedPlacement } from './sharded-placement';
import { ShardMembership } from './shard-membership';
import { forwardedRequests, shardScope } from './shard-scope';

/** A route of one cluster's live state: /api/v1/clusters/<id or name>/<anything>. */
const CLUSTER_ROUTE = /^\/api\/v1\/clusters\/([^/?]+)\/[^?]/;
// Reads are served from the owner's cache; writes go to the API server, from any replica.
const FORWARDED_METHODS = new Set(['GET', 'HEAD']);

export const SERVED_BY_HEADER = 'X-CloudPilot-Replica';

/**
 * With sharding in force, a read of a cluster this replica does not watch is streamed to its first
 * reachable owner over the internal port, and answered here only if none is (starting the cache,
 * as the next replica in rendezvous order). The caller is authenticated here first, so nothing
 * unauthenticated crosses; the owner authenticates it again and applies its grants.
 */
@Injectable()
export class ShardProxyMiddleware implements NestMiddleware {
  constructor(
    private readonly membership: ShardMembership,
    private readonly placement: ShardedPlacement,
    private readonly peers: PeerClient,
    private readonly directory: ClusterDirectory,
    private readonly principals: PrincipalResolver,
    private readonly caches: LocalCaches,
  ) {}

  // Not async: without sharding (the default) a request passes with no promise made for it.
  use(req: Request, res: Response, next: NextFunction): void | Promise<void> {
    if (!this.membership.enabled) return next();
    return this.sharded(req, res, next);
  }

  private sharded(req: Request, res: Response, next: NextFunction): Promise<void> {
    res.setHeader(SERVED_BY_HEADER, this.membership.self);
    const forwarded = forwardedRequests.get(req);
    const scope = {
      authorization: req.headers.authorization ?? '',
      requestId: requestContext.current()?.requestId ?? '',
      clusters: forwarded?.clusters,
    };
    // The rest of the chain (and the fleet answers in it) run inside the scope.
    return shardScope.run(scope, async () => {
      const owners = forwarded ? [] : await this.elsewhere(req);
      for (const owner of owners) {
        const address = this.placement.addressOf(owner);
        if (!address) continue;
        if (owner === owners[0]) await this.authenticate(req);
        try {
          return await this.peers.forward(req, res, address, scope);
        } catch (error) {
          if (!(error instanceof PeerUnreachable)) throw error;
        }
      }
      next();
    });
  }

  /**
   * The replicas to try for this request, in rendezvous order up to this one: none when it is
   * not a cluster read, sharding is not in force, or this replica watches the cluster with a warm
   * cache. An owner whose cache is still on its first sync (it became one when a member died or
   * joined) asks the other owner, whose cache is warm, rather than make the caller wait.
   */
  private async elsewhere(req: Request): Promise<string[]> {
    const ref = CLUSTER_ROUTE.exec(req.originalUrl)?.[1];
    if (!ref || !FORWARDED_METHODS.has(req.method) || !this.placement.sharded) return [];
    const cluster = await this.directory.get(decodeURIComponent(ref)).catch(() => undefined);
    if (!cluster) return [];
    const me = this.membership.self;
    if (this.placement.watches(cluster.id))
      return this.caches.warm(cluster.id)
        ? []
        : this.placement.owners(cluster.id).filter((o) => o !== me);
    const order = this.placement.order(cluster.id);
    const self = order.indexOf(me);
    return self < 0 ? order : order.slice(0, self);
  }

  private async authenticate(req: Request): Promise<void> {
    await this.principals
      .resolve(req.headers.authorization)
      .catch((error: unknown) => Promise.reject(unauthorized(error, req)));
  }
}
