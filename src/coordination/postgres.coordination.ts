import { Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { PostgresSession } from '../database/postgres-session';
import { BusHandler, LeadershipStatus, ReplicaCoordination } from './replica-coordination';

/**
 * The advisory lock every replica competes for. Any constant works as long as nothing else in the
 * database uses it; this one is "CPLEADER" read as a big-endian 64-bit integer.
 */
const LEADER_LOCK_KEY = '4850460659009471826';

interface Envelope {
  from: string;
  payload: string;
}

/**
 * PostgreSQL coordination on one dedicated session: LISTEN/NOTIFY carries events between replicas,
 * and the session-level advisory lock elects the leader. PostgreSQL frees the lock the moment the
 * leader's connection closes (kill -9 included), and followers retry every retry interval, so a
 * dead leader is replaced within about one interval. A leader that cannot complete a round trip
 * steps down at once: it may have lost the lock without knowing.
 */
export class PostgresCoordination
  extends ReplicaCoordination
  implements OnModuleInit, OnApplicationShutdown
{
  private readonly logger = new Logger('Coordination');
  private readonly handlers = new Map<string, Set<BusHandler>>();
  private readonly session: PostgresSession;
  private leaderSince: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private stepping: Promise<void> | undefined;
  private lastProblem = '';

  constructor(
    url: string,
    readonly replicaId: string,
    private readonly retryMs: number,
  ) {
    super();
    this.session = new PostgresSession(url, `cloudpilot-${replicaId}`, {
      onNotification: (channel, payload) => this.deliver(channel, payload),
      onLost: (error) => this.onLost(error),
    });
  }

  async onModuleInit(): Promise<void> {
    await this.step();
    this.timer = setInterval(() => void this.step(), this.retryMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.stepping;
    // Closing the session releases the lock now, so a follower takes over within one interval.
    this.leaderSince = null;
    await this.session.close();
  }

  async publish(channel: string, payload: string): Promise<void> {
    const envelope: Envelope = { from: this.replicaId, payload };
    await this.session.notify(channel, JSON.stringify(envelope));
  }

  subscribe(channel: string, handler: BusHandler): () => void {
    const set = this.handlers.get(channel) ?? new Set<BusHandler>();
    if (!this.handlers.has(channel)) {
      this.handlers.set(channel, set);
      if (this.session.connected) void this.session.listen(channel).catch(() => undefined);
    }
    set.add(handler);
    return () => set.delete(handler);
  }

  isLeader(): boolean {
    return this.leaderSince !== null;
  }

  status(): LeadershipStatus {
    return {
      method: 'postgres',
      replicaId: this.replicaId,
      leader: this.isLeader(),
      since: this.leaderSince,
    };
  }

  /** One pass of the loop; never overlaps itself and never throws out of the timer. */
  step(): Promise<void> {
    this.stepping ??= this.runStep().finally(() => (this.stepping = undefined));
    return this.stepping;
  }

  private async runStep(): Promise<void> {
    try {
      if (!this.session.connected) await this.session.connect([...this.handlers.keys()]);
      if (this.isLeader()) await this.session.ping();
      else if (await this.session.tryAdvisoryLock(LEADER_LOCK_KEY)) {
        this.leaderSince = new Date().toISOString();
        this.logger.log(`Replica ${this.replicaId} is now the leader`);
      }
      this.lastProblem = '';
    } catch (error) {
      const problem = (error as Error).message;
      // Logged once per distinct problem: a database outage must not flood the log every second.
      if (problem !== this.lastProblem)
        this.logger.warn(`Coordination connection failed: ${problem}`);
      this.lastProblem = problem;
    }
  }

  private onLost(error: Error): void {
    if (this.isLeader())
      this.logger.warn(`Replica ${this.replicaId} stepped down: ${error.message}`);
    this.leaderSince = null;
  }

  private deliver(channel: string, raw: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(raw) as Envelope;
    } catch {
      return;
    }
    if (envelope.from === this.replicaId || typeof envelope.payload !== 'string') return;
    for (const handler of this.handlers.get(channel) ?? []) handler(envelope.payload);
  }
}
