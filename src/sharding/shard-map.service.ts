import { Injectable } from '@nestjs/common';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import { ConfigProvider } from '../config/config.provider';
import { MetricsService } from '../health/metrics.service';
import { LocalCaches } from './local-caches';
import { ShardMapResponseDto } from './shard-map.dto';
import { ShardedPlacement } from './sharded-placement';
import { ShardMembership } from './shard-membership';

/** The shard map (who owns which cluster) and, in /metrics, how many caches this replica runs. */
@Injectable()
export class ShardMapService {
  constructor(
    private readonly membership: ShardMembership,
    private readonly placement: ShardedPlacement,
    private readonly directory: ClusterDirectory,
    private readonly configProvider: ConfigProvider,
    private readonly local: LocalCaches,
    metrics: MetricsService,
  ) {
    const caches = () => this.local.all().size;
    const self = () => membership.self;
    metrics.of('cloudpilot_monitored_clusters', function () {
      this.reset();
      this.set({ replica: self() }, caches());
    });
  }

  /** The open watches of this replica's caches: kinds in watch mode (not polled) and synced. */
  private watches(): number {
    let open = 0;
    for (const cache of this.local.all().values())
      for (const kind of Object.values(cache.status()))
        if (kind?.mode === 'watch' && kind.state === 'synced') open++;
    return open;
  }

  async map(): Promise<ShardMapResponseDto> {
    const clusters = await this.directory.list();
    const items = clusters.map((c) => ({
      cluster: { id: c.id, name: c.name },
      owners: this.placement.sharded ? this.placement.owners(c.id) : [],
    }));
    const count = (id: string, first: boolean) =>
      items.filter((i) => (first ? i.owners[0] === id : i.owners.includes(id))).length;
    const { enabled, replicationFactor } = this.configProvider.config.sharding;
    return {
      enabled,
      sharded: this.placement.sharded,
      replicationFactor,
      replicaId: this.membership.self,
      members: this.membership.members().map((m) => ({
        id: m.id,
        address: m.address,
        heartbeatAt: new Date(m.heartbeatAt).toISOString(),
        primary: count(m.id, true),
        owned: count(m.id, false),
      })),
      watching: [...this.local.all().keys()],
      watches: this.watches(),
      items,
    };
  }
}
