import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { hostname } from 'node:os';
import { ConfigProvider } from '../config/config.provider';
import { PeriodicJobs } from '../coordination/periodic-jobs';
import { ReplicaCoordination } from '../coordination/replica-coordination';
import {
  judgeMembers,
  Member,
  memberTimeoutMs,
  MISSED_BEATS,
  sameMembers,
} from './member-judgement';
import { MembershipStore } from './membership-store';

export type { Member } from './member-judgement';

const CHANNEL = 'cloudpilot_membership';

/**
 * Membership of a sharded deployment (PostgreSQL): every replica upserts its row every
 * coordination.retryIntervalSeconds and holds live the members whose heartbeat is younger than
 * sharding.memberTimeoutSeconds (at least MISSED_BEATS beats), by the database's clock; the store
 * beats on a database session of its own (PostgresMembershipStore). A join or a
 * graceful leave is announced on NOTIFY so the others re-read at once; a death is noticed when its
 * heartbeat expires. A beat that fails keeps the last membership read: a replica that cannot
 * read it must not conclude it is alone and start watching every cluster. Inert with sharding off.
 */
@Injectable()
export class ShardMembership implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Sharding');
  private readonly listeners = new Set<() => void>();
  private live: Member[] = [];
  private clusterCount = 0;
  private beating: Promise<void> | undefined;
  private lastProblem = '';
  /** Set at shutdown: a late beat must not write back the row the leave deleted. */
  private left = false;

  constructor(
    private readonly store: MembershipStore,
    private readonly coordination: ReplicaCoordination,
    private readonly configProvider: ConfigProvider,
    jobs: PeriodicJobs,
  ) {
    if (!this.enabled) return;
    jobs.register({
      name: 'membership',
      everyMs: this.beatMs,
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

  private get beatMs(): number {
    return this.configProvider.config.coordination.retryIntervalSeconds * 1000;
  }

  /** How old a member's heartbeat may get, by the database's clock, before it is dead. */
  get timeoutMs(): number {
    const configured = this.configProvider.config.sharding.memberTimeoutSeconds * 1000;
    return memberTimeoutMs(configured, this.beatMs);
  }

  /**
   * The first heartbeat before the Monitor's first reconcile, so it starts only owned caches;
   * retried a few beats, since without a membership this replica would watch every cluster.
   */
  async onModuleInit(): Promise<void> {
    if (!this.enabled) return;
    this.coordination.subscribe(CHANNEL, () => void this.beat());
    for (let attempt = 1; attempt <= MISSED_BEATS && !this.live.length; attempt++) {
      await this.beat();
      if (!this.live.length) await new Promise((r) => setTimeout(r, this.beatMs));
    }
    await this.coordination.publish(CHANNEL, 'joined').catch(() => undefined);
  }

  /** A graceful leave: the others move this replica's clusters now, not after the timeout. */
  async onApplicationShutdown(): Promise<void> {
    if (!this.enabled) return;
    this.left = true;
    await this.beating;
    await this.store.leave(this.self);
    await this.coordination.publish(CHANNEL, 'left').catch(() => undefined);
  }

  /** One heartbeat: never overlaps itself, never throws (a failure keeps the last membership). */
  beat(): Promise<void> {
    this.beating ??= this.runBeat().finally(() => (this.beating = undefined));
    return this.beating;
  }

  private async runBeat(): Promise<void> {
    if (this.left) return;
    try {
      const { nowMs, clusters, others } = await this.store.beat(this.self, this.address);
      const self = { id: this.self, address: this.address, heartbeatAt: nowMs };
      this.update(judgeMembers(others, self, nowMs, this.timeoutMs), clusters);
      this.lastProblem = '';
    } catch (error) {
      this.problem(error as Error);
    }
  }

  /** Logged once per distinct problem: a database outage must not flood the log every beat. */
  private problem(error: Error): void {
    if (error.message !== this.lastProblem)
      this.logger.warn(`Heartbeat failed, keeping the last membership: ${error.message}`);
    this.lastProblem = error.message;
  }

  private update(members: Member[], clusterCount: number): void {
    const min = this.configProvider.config.sharding.minClusters;
    const joinedOrLeft = !sameMembers(members, this.live);
    const crossed = clusterCount >= min !== this.clusterCount >= min;
    this.live = members;
    this.clusterCount = clusterCount;
    if (joinedOrLeft) this.logger.log(`Members now: ${members.map((m) => m.id).join(', ')}`);
    if (joinedOrLeft || crossed) for (const listener of this.listeners) listener();
  }
}
