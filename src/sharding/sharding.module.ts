import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HealthModule } from '../health/health.module';
import { ClusterPlacement } from '../monitor/cluster-snapshot';
import { InternalServer } from './internal-server';
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
    ShardMembership,
    ShardedPlacement,
    { provide: ClusterPlacement, useExisting: ShardedPlacement },
    PeerClient,
    InternalServer,
    ShardMapService,
    ShardProxyMiddleware,
  ],
  exports: [ClusterPlacement, ShardProxyMiddleware, ShardMembership, ShardedPlacement, PeerClient],
})
export class ShardingModule {}
