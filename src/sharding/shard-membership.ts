import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { hostname } from 'node:os';
import { Repository } from 'typeorm';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import { ConfigProvider } from '../config/config.provider';
import { PeriodicJobs } from '../coordination/periodic-jobs';
import { ReplicaCoordination } from '../coordination/replica-coordination';
import { ReplicaMember } from './replica-member.entity';

const CHANNEL = 'cloudpilot_membership';
// The database's clock, in epoch ms: heartbeats are written and judged by one clock.
const NOW_MS = '(extract(epoch from clock_timestamp()) * 1000)::bigint';
/** Rows of replicas gone this long are deleted (kill -9 leaves its row behind). */
const FORGET_AFTER_MS = 3_600_000;

/** A live replica as the others see it. */
export interface Member {
  id: string;
  address: string;
  heartbeatAt: number;
}

/**
 * Membership of a sharded deployment (PostgreSQL): every replica upserts its row every
 * coordination.retryIntervalSeconds and reads the rows whose heartbeat is younger than
 * sharding.memberTimeoutSeconds. A join or a graceful leave is announced on NOTIFY so the others
 * re-read at once; a death is noticed when its heartbeat expires. Inert with sharding off.
 */
@Injectable()
export class ShardMembership implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Sharding');
  private readonly listeners = new Set<() => void>();
  private live: Member[] = [];
  private clusterCount = 0;
  private beating: Promise<void> | undefined;
  private lastProblem = '';
  private lastForget = 0;

  constructor(
    @InjectRepository(ReplicaMember) private readonly rows: Repository<ReplicaMember>,
    private readonly coordination: ReplicaCoordination,
    private readonly directory: ClusterDirectory,
    private readonly configProvider: ConfigProvider,
    jobs: PeriodicJobs,
  ) {
    if (!this.enabled) return;
    jobs.register({
      name: 'membership',
      everyMs: configProvider.config.coordination.retryIntervalSeconds * 1000,
      runsOn: 'every-replica',
      tick: () => this.beat(),
    });
  }

  get enabled(): boolean {
    return this.configProvider.config.sharding.enabled;
  }

  get self(): string {
    return this.coordination.replicaId;
  }

  /** This replica's internal URL, as it announces it. */
  get address(): string {
    const { internalAddress, internalPort } = this.configProvider.config.sharding;
    return internalAddress || `http://${hostname()}:${internalPort}`;
  }

  /** The live members, by id; empty until the first heartbeat. */
  members(): readonly Member[] {
    return this.live;
  }

  /** Registered clusters at the last heartbeat (sharding starts at sharding.minClusters). */
  get clusters(): number {
    return this.clusterCount;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The first heartbeat before the Monitor's first reconcile, so it starts only owned caches. */
  async onModuleInit(): Promise<void> {
    if (!this.enabled) return;
    this.coordination.subscribe(CHANNEL, () => void this.beat());
    await this.beat();
    await this.coordination.publish(CHANNEL, 'joined').catch(() => undefined);
  }

  /** A graceful leave: the others move this replica's clusters now, not after the timeout. */
  async onApplicationShutdown(): Promise<void> {
    if (!this.enabled) return;
    await this.beating;
    await this.rows.delete({ id: this.self }).catch(() => undefined);
    await this.coordination.publish(CHANNEL, 'left').catch(() => undefined);
  }

  /** One heartbeat: never overlaps itself, never throws (a failure keeps the last membership). */
  beat(): Promise<void> {
    this.beating ??= this.runBeat().finally(() => (this.beating = undefined));
    return this.beating;
  }

  private async runBeat(): Promise<void> {
    try {
      const timeoutMs = this.configProvider.config.sharding.memberTimeoutSeconds * 1000;
      // One statement: the beat and the judgement share one clock reading, so however late this
      // replica's event loop gets, it never judges itself dead (and so never watches everything).
      const found = (await this.rows.query(
        `WITH beat AS (
           INSERT INTO replica_member (id, address, heartbeat_at) VALUES ($1, $2, ${NOW_MS})
           ON CONFLICT (id) DO UPDATE SET address = EXCLUDED.address, heartbeat_at = EXCLUDED.heartbeat_at
           RETURNING id, address, heartbeat_at
         )
         SELECT id, address, heartbeat_at AS "heartbeatAt" FROM beat
         UNION ALL
         SELECT id, address, heartbeat_at FROM replica_member
         WHERE id <> $1 AND heartbeat_at > ${NOW_MS} - $3::bigint
         ORDER BY id`,
        [this.self, this.address, timeoutMs],
      )) as { id: string; address: string; heartbeatAt: string }[];
      if (Date.now() - this.lastForget > FORGET_AFTER_MS / 60) await this.forget();
      const count = (await this.directory.list()).length;
      this.update(
        found.map((m) => ({ ...m, heartbeatAt: Number(m.heartbeatAt) })),
        count,
      );
      this.lastProblem = '';
    } catch (error) {
      const problem = (error as Error).message;
      if (problem !== this.lastProblem) this.logger.warn(`Heartbeat failed: ${problem}`);
      this.lastProblem = problem;
    }
  }

  /** Deletes the rows of replicas long gone (kill -9 leaves its row behind). */
  private async forget(): Promise<void> {
    this.lastForget = Date.now();
    await this.rows.query(
      `DELETE FROM replica_member WHERE heartbeat_at < ${NOW_MS} - $1::bigint`,
      [FORGET_AFTER_MS],
    );
  }

  private update(members: Member[], clusterCount: number): void {
    const key = (list: readonly Member[]) => list.map((m) => `${m.id}@${m.address}`).join(',');
    const min = this.configProvider.config.sharding.minClusters;
    const joinedOrLeft = key(members) !== key(this.live);
    const crossed = clusterCount >= min !== this.clusterCount >= min;
    this.live = members;
    this.clusterCount = clusterCount;
    if (joinedOrLeft) this.logger.log(`Members now: ${members.map((m) => m.id).join(', ')}`);
    if (joinedOrLeft || crossed) for (const listener of this.listeners) listener();
  }
}
