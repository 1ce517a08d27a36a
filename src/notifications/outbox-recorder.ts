import { Injectable, Logger, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, MoreThan, Repository } from 'typeorm';
import type { Finding } from '../cluster-state/finding';
import { ConfigProvider } from '../config/config.provider';
import { PeriodicJob, PeriodicJobs } from '../coordination/periodic-jobs';
import { LeadershipStatus, ReplicaCoordination } from '../coordination/replica-coordination';
import { DiagnosticsService } from '../diagnostics/diagnostics.service';
import { LlmProposal } from '../llm/proposals/llm-proposal.entity';
import {
  ClusterPlacement,
  ClusterSnapshots,
  EveryCluster,
  recordingRunsOn,
} from '../monitor/cluster-snapshot';
import { diffFindings, FindingDiff, NotifiedState } from './finding-diff';
import { ToldWhileLeading } from './told-while-leading';
import { NotificationEventRow } from './notification-event.entity';
import type { NotificationEvent } from './notification-event';
import { NotifiedFinding } from './notified-finding.entity';
import { OutboxReminders } from './outbox-reminders';
import { OutboxStore } from './outbox-store';

const CHUNK = 200;
/**
 * Findings changed at once (a large cluster's first scan, a node lost) are committed this many per
 * transaction, with the event loop let go between: one transaction of 10k findings held it 1.1 s.
 */
const COMMIT_BATCH = 500;
const ALL_FINDINGS = 1_000_000;
const PROPOSAL_PAGE = 500;

const iso = (ms: number): string => new Date(ms).toISOString();

/** What this leader last committed for a cluster, and the diagnostics change stamp it saw. */
interface Told {
  states: Map<string, NotifiedState>;
  stamp?: number;
}

const toState = (row: NotifiedFinding): NotifiedState => ({
  findingId: row.findingId,
  clusterId: row.clusterId,
  severity: row.severity,
  seq: row.seq,
  open: row.open,
  finding: JSON.parse(row.finding) as Finding,
});

/**
 * Leader-only (with sharding: each replica for the clusters it owns first; reminders and
 * proposals stay the leader's): commits what changed since the last notification to the outbox,
 * before anything is sent. Per cluster, one transaction compares the current findings with what was last
 * notified (notified_finding) and writes the events, their deliveries and the new states
 * together, so a crash leaves either all of them or none, and the next leader finds the same
 * difference again. A cluster that cannot be read is skipped: its findings are unknown, not gone.
 * Two replicas that briefly both record a cluster (a membership change in flight) compute the
 * same event keys from the same notified state: the second commit fails on the unique key and
 * rolls back, so no event is stored twice.
 */
@Injectable()
export class OutboxRecorder {
  private readonly logger = new Logger('Notifications');
  private readonly job: PeriodicJob<number>;
  private readonly told = new ToldWhileLeading<Told>();
  private readonly placement: ClusterPlacement;
  /** When the clusters this replica records may last have changed hands (epoch ms). */
  private placementChangedAt = 0;

  constructor(
    @InjectRepository(NotifiedFinding) private readonly notified: Repository<NotifiedFinding>,
    @InjectRepository(LlmProposal) private readonly proposals: Repository<LlmProposal>,
    private readonly store: OutboxStore,
    private readonly reminders: OutboxReminders,
    private readonly diagnostics: DiagnosticsService,
    private readonly snapshots: ClusterSnapshots,
    private readonly coordination: ReplicaCoordination,
    configProvider: ConfigProvider,
    jobs: PeriodicJobs,
    @Optional() placement?: ClusterPlacement,
  ) {
    this.placement = placement ?? new EveryCluster();
    this.placement.onChange(() => (this.placementChangedAt = Date.now()));
    this.job = jobs.register({
      name: 'notifications-record',
      everyMs: configProvider.config.notifications.scanIntervalSeconds * 1000,
      // Sharded, every replica records the clusters it owns first, as the history does.
      runsOn: recordingRunsOn(configProvider.config.sharding.enabled),
      tick: (now) => this.record(now),
    });
  }

  /** One scan, as the timer runs it: the number of events committed (0 on a follower). */
  async scan(now = Date.now()): Promise<number> {
    return (await this.job.run(now)) ?? 0;
  }

  private async record(now: number): Promise<number> {
    const leads = this.coordination.isLeader();
    const records = (id: string) => this.placement.records(id, leads);
    let committed = 0;
    for (const clusterId of this.snapshots.all().keys()) {
      if (!records(clusterId)) continue;
      // Read before the findings: a change in between is diffed again at the next scan.
      const stamp = this.diagnostics.changeStamp(clusterId);
      const remembered = this.told.get(clusterId, this.tenure());
      if (stamp !== undefined && remembered?.stamp === stamp) continue;
      const current = await this.currentFindings(clusterId);
      if (current)
        committed += await this.commitCluster(clusterId, current, now, {
          remembered: remembered?.states,
          stamp,
        });
    }
    if (!leads) return committed;
    committed += await this.reminders.record(await this.store.allRoutes(), now);
    return committed + (await this.recordProposals(now));
  }

  /**
   * Under which tenure this replica alone has written a cluster's notified state: its leadership,
   * or with sharding its first ownership since the clusters last changed hands.
   */
  private tenure(): LeadershipStatus {
    const status = this.coordination.status();
    const leaderSince = status.since ? Date.parse(status.since) : 0;
    const leader = this.placement.sharded || status.leader;
    const from = this.placement.sharded
      ? this.placementChangedAt
      : Math.max(leaderSince, this.placementChangedAt);
    return { ...status, leader, since: leader ? iso(from) : null };
  }

  private async currentFindings(clusterId: string): Promise<Finding[] | undefined> {
    try {
      return (await this.diagnostics.findings(clusterId, { limit: ALL_FINDINGS })).items;
    } catch (error) {
      this.logger.debug(`No notifications for ${clusterId} now: ${(error as Error).message}`);
      return undefined;
    }
  }

  /**
   * What was last notified comes from the database, or, while this replica has led (sharded: owned
   * the cluster) without a break since it last committed (no one else could have written), from
   * its own memory:
   * reading and parsing every notified finding of a large cluster each scan held the event loop
   * for hundreds of milliseconds.
   */
  private async commitCluster(
    clusterId: string,
    current: Finding[],
    now: number,
    { remembered, stamp }: { remembered?: Map<string, NotifiedState>; stamp?: number },
  ): Promise<number> {
    const known = remembered && diffFindings(clusterId, remembered, current, iso(now));
    if (known && !known.events.length) {
      this.told.set(clusterId, { states: remembered, stamp });
      return 0;
    }
    try {
      const before = remembered ?? (await this.readTold(clusterId));
      const diff = known || diffFindings(clusterId, before, current, iso(now));
      const after = diff.events.length ? new Map(before) : before;
      let committed = 0;
      // Events and states are paired one to one, so each batch is a consistent part: a crash
      // between batches leaves the rest to be found again by the next scan, none told twice.
      for (let i = 0; i < diff.events.length; i += COMMIT_BATCH) {
        if (i > 0) await new Promise((resolve) => setImmediate(resolve));
        const part = {
          events: diff.events.slice(i, i + COMMIT_BATCH),
          states: diff.states.slice(i, i + COMMIT_BATCH),
        };
        committed += await this.notified.manager.transaction((tx) => this.write(tx, part, now));
        for (const state of part.states) after.set(state.findingId, state);
      }
      this.told.set(clusterId, { states: after, stamp });
      return committed;
    } catch (error) {
      this.told.forget(clusterId);
      throw error;
    }
  }

  private async readTold(clusterId: string): Promise<Map<string, NotifiedState>> {
    const rows = await this.notified.find({ where: { clusterId } });
    return new Map(rows.map((row) => [row.findingId, toState(row)]));
  }

  /**
   * The new states, the events and their deliveries, in the caller's transaction. The routes are
   * read here, after the findings: a route created while a scan waited for them (a cluster's first
   * sync) takes the changes seen since, as the route created before them expects.
   */
  private async write(tx: EntityManager, diff: FindingDiff, now: number): Promise<number> {
    const states = diff.states.map((s) => ({
      ...s,
      finding: JSON.stringify(s.finding),
      updatedAt: iso(now),
    }));
    for (let i = 0; i < states.length; i += CHUNK)
      await tx.upsert(NotifiedFinding, states.slice(i, i + CHUNK), ['findingId']);
    return this.store.append(tx, diff.events, await this.store.allRoutes(tx), now);
  }

  /** Proposals waiting for approval, each told once: its event key is the proposal's id. */
  private async recordProposals(now: number): Promise<number> {
    const waiting = await this.proposals.find({
      where: { status: 'pending', expiresAt: MoreThan(iso(now)) },
      order: { createdAt: 'ASC' },
      take: PROPOSAL_PAGE,
    });
    if (!waiting.length) return 0;
    return this.proposals.manager.transaction(async (tx) => {
      const keys = waiting.map((p) => `proposal:${p.id}`);
      const told = await tx.find(NotificationEventRow, {
        select: { key: true },
        where: { key: In(keys) },
      });
      const known = new Set(told.map((row) => row.key));
      const events = waiting
        .filter((p) => !known.has(`proposal:${p.id}`))
        .map((p) => proposalEvent(p, now));
      // Routes read after the proposals, like the findings' (see write).
      return events.length ? this.store.append(tx, events, await this.store.allRoutes(tx), now) : 0;
    });
  }
}

function proposalEvent(p: LlmProposal, now: number): NotificationEvent {
  return {
    id: `proposal:${p.id}`,
    type: 'proposal.pending',
    time: iso(now),
    clusterId: p.clusterId,
    subject: p.id,
    proposal: {
      id: p.id,
      action: p.action,
      target: { kind: p.targetKind, namespace: p.targetNamespace, name: p.targetName },
      reason: p.reason,
      expiresAt: p.expiresAt,
    },
  };
}
