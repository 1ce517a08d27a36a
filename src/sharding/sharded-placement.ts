import { Injectable } from '@nestjs/common';
import { ConfigProvider } from '../config/config.provider';
import {
  ClusterPlacement,
  ClusterRef,
  FleetEntry,
  FleetOptions,
  FleetPlan,
} from '../monitor/cluster-snapshot';
import { PeerAnswer, PeerClient, PeerUnreachable } from './peer-client';
import { rendezvousOrder } from './rendezvous';
import { ShardMembership } from './shard-membership';
import { shardScope, ShardScope } from './shard-scope';

type Remote = Awaited<FleetPlan['remote']>;

/** Time an owner gets beyond the fleet deadline to answer its share of a fleet question. */
const OWNER_MARGIN_MS = 2000;

/**
 * Ownership by rendezvous hashing over the live members (docs/scaling.md, "Sharding"): a cluster's
 * owners are the first sharding.replicationFactor replicas of its order. Sharding is in force once
 * enabled, with a membership read and at least sharding.minClusters clusters; before that, every
 * replica watches everything, as without sharding.
 */
@Injectable()
export class ShardedPlacement extends ClusterPlacement {
  constructor(
    private readonly membership: ShardMembership,
    private readonly configProvider: ConfigProvider,
    private readonly peers: PeerClient,
  ) {
    super();
  }

  get sharded(): boolean {
    const { enabled, minClusters } = this.configProvider.config.sharding;
    return (
      enabled && this.membership.members().length > 0 && this.membership.clusters >= minClusters
    );
  }

  /** Every live replica for the cluster, best first; the first `replicationFactor` own it. */
  order(clusterId: string): string[] {
    return rendezvousOrder(
      clusterId,
      this.membership.members().map((m) => m.id),
    );
  }

  owners(clusterId: string): string[] {
    return this.order(clusterId).slice(0, this.configProvider.config.sharding.replicationFactor);
  }

  addressOf(replicaId: string): string | undefined {
    return this.membership.members().find((m) => m.id === replicaId)?.address;
  }

  watches(clusterId: string): boolean {
    return !this.sharded || this.owners(clusterId).includes(this.membership.self);
  }

  samples(clusterId: string): boolean {
    return !this.sharded || this.owners(clusterId)[0] === this.membership.self;
  }

  onChange(listener: () => void): () => void {
    return this.membership.onChange(listener);
  }

  plan(clusters: readonly ClusterRef[], options: FleetOptions): FleetPlan {
    const scope = shardScope.current();
    const none = Promise.resolve<Remote>({ entries: [], fallback: [] });
    // A share another replica asked for: exactly those clusters, here.
    if (scope?.clusters)
      return { local: clusters.filter((c) => scope.clusters!.has(c.id)), remote: none };
    if (!this.sharded || !scope || !options.route) return { local: [...clusters], remote: none };
    const local = clusters.filter((c) => this.watches(c.id));
    const away = clusters.filter((c) => !this.watches(c.id));
    return { local, remote: this.ask(away, options.route, scope, new Set()) };
  }

  /**
   * Asks each cluster's best live replica not yet tried for its share; the clusters of a replica
   * that cannot be reached go to their next one, and those whose next one is this replica are
   * answered here. An owner that answers with an error, or too late, is that cluster's error.
   */
  private async ask(
    clusters: readonly ClusterRef[],
    route: string,
    scope: ShardScope,
    failed: ReadonlySet<string>,
  ): Promise<Remote> {
    const self = this.membership.self;
    const byReplica = new Map<string, ClusterRef[]>();
    const fallback: ClusterRef[] = [];
    for (const cluster of clusters) {
      const next = this.order(cluster.id).find((id) => !failed.has(id));
      if (!next || next === self) fallback.push(cluster);
      else byReplica.set(next, [...(byReplica.get(next) ?? []), cluster]);
    }
    const answers = await Promise.all(
      [...byReplica].map(([replica, share]) => this.askOne(replica, share, route, scope)),
    );
    const entries = answers.flatMap((a) => a.entries);
    const unreachable = answers.filter((a) => a.unreachable);
    if (unreachable.length === 0) return { entries, fallback };
    const retried = await this.ask(
      unreachable.flatMap((a) => a.share),
      route,
      scope,
      new Set([...failed, ...unreachable.map((a) => a.replica)]),
    );
    return {
      entries: [...entries, ...retried.entries],
      fallback: [...fallback, ...retried.fallback],
    };
  }

  private async askOne(
    replica: string,
    share: ClusterRef[],
    route: string,
    scope: ShardScope,
  ): Promise<{
    replica: string;
    share: ClusterRef[];
    entries: FleetEntry<unknown>[];
    unreachable: boolean;
  }> {
    const address = this.addressOf(replica);
    const deadlineMs = this.configProvider.config.monitor.fleetDeadlineSeconds * 1000;
    const ids = share.map((c) => c.id);
    try {
      if (!address) throw new PeerUnreachable('no address');
      const data = (await this.peers.getJson(
        address,
        route,
        scope,
        ids,
        deadlineMs + OWNER_MARGIN_MS,
      )) as {
        items?: FleetEntry<unknown>[];
      };
      const answered = new Map((data.items ?? []).map((e) => [e.cluster.id, e]));
      const entries = share.map(
        (c) => answered.get(c.id) ?? ownerError(c, replica, 'answered without it'),
      );
      return { replica, share, entries, unreachable: false };
    } catch (error) {
      if (error instanceof PeerUnreachable)
        return { replica, share, entries: [], unreachable: true };
      const reason =
        error instanceof PeerAnswer ? `answered ${error.code}` : 'did not answer in time';
      return {
        replica,
        share,
        entries: share.map((c) => ownerError(c, replica, reason)),
        unreachable: false,
      };
    }
  }
}

function ownerError(cluster: ClusterRef, replica: string, reason: string): FleetEntry<unknown> {
  return {
    cluster,
    error: {
      code: 'SERVICE_UNAVAILABLE',
      message: `The replica that watches cluster ${cluster.name} (${replica}) ${reason}`,
    },
  };
}
