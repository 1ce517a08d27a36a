import { Global, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ConfigProvider } from '../config/config.provider';
import { AppConfig } from '../config/config.types';
import { HealthModule } from '../health/health.module';
import { LeadershipReporter } from './leadership-reporter';
import { PeriodicJobs } from './periodic-jobs';
import { PostgresCoordination } from './postgres.coordination';
import { ReplicaCoordination } from './replica-coordination';
import { SoleReplicaCoordination } from './sole-replica.coordination';

/** The pod name in Kubernetes; the suffix tells apart two processes on one host (tests, restarts). */
function newReplicaId(): string {
  return `${hostname()}-${randomBytes(3).toString('hex')}`;
}

/** auto follows the database: PostgreSQL can hold several replicas, SQLite only one. */
export function usesPostgresElection(config: AppConfig): boolean {
  const { leaderElection } = config.coordination;
  if (leaderElection === 'auto') return config.database.url.startsWith('postgres');
  return leaderElection === 'postgres';
}

/**
 * Replicas of one deployment: the event bus between them, the leader among them and the periodic
 * jobs that run on every replica or on the leader only. Global.
 */
@Global()
@Module({
  imports: [ScheduleModule.forRoot(), HealthModule],
  providers: [
    {
      provide: ReplicaCoordination,
      inject: [ConfigProvider],
      useFactory: (provider: ConfigProvider): ReplicaCoordination => {
        const { database, coordination } = provider.config;
        return usesPostgresElection(provider.config)
          ? new PostgresCoordination(
              database.url,
              newReplicaId(),
              coordination.retryIntervalSeconds * 1000,
            )
          : new SoleReplicaCoordination(newReplicaId());
      },
    },
    LeadershipReporter,
    PeriodicJobs,
  ],
  exports: [ReplicaCoordination, PeriodicJobs],
})
export class CoordinationModule {}
