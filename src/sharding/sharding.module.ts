import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConfigProvider } from '../config/config.provider';
import { ReplicaCoordination } from '../coordination/replica-coordination';
import { HealthModule } from '../health/health.module';
import { ClusterPlacement } from '../monitor/cluster-snapshot';
import { InternalServer } from './internal-server';
import { LocalCaches } from './local-caches';
import { memberTimeoutMs } from './member-judgement';
import { MembershipStore, PostgresMembershipStore } from './membership-store';
import { PeerClient } from './peer-client';
import { ReplicaMember } from './replica-member.entity';
import { ShardMapController } from './shard-map.controller';
import { ShardMapService } from './shard-map.service';
import { ShardMembership } from './shard-membership';
import { ShardProxyMiddleware } from './shard-proxy.middleware';
import { ShardedPlacement } from './sharded-placement';

/**
 * Sharding across replicas (docs/scaling.md): membership, ownership, the internal port and the
 * forwarding of reads to owners. Global because the Monitor takes its ClusterPlacement from here;
 * with sharding off that placement is "every cluster", today's behaviour.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([ReplicaMember]), HealthModule],
  controllers: [ShardMapController],
  providers: [
    {
      provide: MembershipStore,
      inject: [ConfigProvider, ReplicaCoordination],
      // Opens its session on the first beat only: with sharding off it never does.
      useFactory: (provider: ConfigProvider, coordination: ReplicaCoordination) => {
        const { database, sharding } = provider.config;
        const beatMs = provider.config.coordination.retryIntervalSeconds * 1000;
        const timeoutMs = memberTimeoutMs(sharding.memberTimeoutSeconds * 1000, beatMs);
        return new PostgresMembershipStore(database.url, coordination.replicaId, timeoutMs);
      },
    },
    ShardMembership,
    ShardedPlacement,
    { provide: ClusterPlacement, useExisting: ShardedPlacement },
    PeerClient,
    InternalServer,
    ShardMapService,
    ShardProxyMiddleware,
    LocalCaches,
  ],
  exports: [
    ClusterPlacement,
    ShardProxyMiddleware,
    ShardMembership,
    ShardedPlacement,
    PeerClient,
    LocalCaches,
  ],
})
export class ShardingModule {}
