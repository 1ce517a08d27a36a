import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { MetricsService } from '../health/metrics.service';
import { ReplicaCoordination } from './replica-coordination';

/** One periodic job, as a feature registers it. */
export interface PeriodicJobSpec<T> {
  /** Names the job in logs and in the `job` label of its metrics. */
  name: string;
  everyMs: number;
  /**
   * `leader`: singleton work on shared state (the history); followers keep time and skip.
   * `every-replica`: work on this replica's own state (its caches, its diagnostics).
   */
  runsOn: 'leader' | 'every-replica';
  /**
   * Runs at the middle of each `everyMs` slot of the wall clock (slot = floor(epoch ms / everyMs))
   * instead of every `everyMs` from start-up, so every replica's timer agrees on which tick is
   * which, and timer jitter never skips or doubles a slot.
   */
  alignToSlot?: boolean;
  /** The work of one tick, at `now` (epoch ms). May throw: the timer logs it and goes on. */
  tick(now: number): Promise<T>;
}

/**
 * The retention of stored records (deleting or compacting old rows): hourly at half past on the
 * wall clock, so every replica agrees on the moment and a replica restarted more often than
 * hourly still keeps it; the leader alone, as the rows are shared.
 */
export function retentionJob(
  name: string,
  tick: (now: number) => Promise<void>,
): PeriodicJobSpec<void> {
  return { name, everyMs: 3_600_000, runsOn: 'leader', alignToSlot: true, tick };
}

/** A registered job: its one guarded entry, what the timer calls and what tests call. */
export interface PeriodicJob<T> {
  /**
   * Runs one tick now. A tick still running is joined (the same promise), never doubled; a
   * leader-only job on a follower resolves undefined without running.
   */
  run(now?: number): Promise<T | undefined>;
}

interface Entry {
  spec: PeriodicJobSpec<unknown>;
  running: Promise<unknown> | undefined;
  stopped: boolean;
}

/**
 * The one scheduler of periodic work. Jobs register from their constructors with their interval
 * from config; timers start once the application has booted and stop with it. A tick never
 * overlaps itself (a timer firing while it runs is a skip), never throws out of the timer, and
 * reports its duration and skips in /metrics.
 */
@Injectable()
export class PeriodicJobs implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('PeriodicJobs');
  private readonly jobs = new Map<string, Entry>();
  private started = false;
  private stopped = false;

  constructor(
    private readonly coordination: ReplicaCoordination,
    private readonly metrics: MetricsService,
    // @nestjs/schedule holds the timers by job name: they are listed, and cleared at shutdown.
    private readonly timers: SchedulerRegistry,
  ) {}

  register<T>(spec: PeriodicJobSpec<T>): PeriodicJob<T> {
    if (this.jobs.has(spec.name)) throw new Error(`Periodic job ${spec.name} is registered twice`);
    const entry: Entry = { spec, running: undefined, stopped: false };
    this.jobs.set(spec.name, entry);
    if (this.started) this.schedule(entry);
    return { run: (now) => this.run(entry, now) as Promise<T | undefined> };
  }

  onApplicationBootstrap(): void {
    this.started = true;
    for (const entry of this.jobs.values()) this.schedule(entry);
  }

  onModuleDestroy(): void {
    this.stopped = true;
    for (const entry of this.jobs.values()) this.unschedule(entry);
  }

  /** Stops one job's timer; `run()` still works (tests that are the job's clock themselves). */
  stop(name: string): void {
    const entry = this.jobs.get(name);
    if (!entry) return;
    entry.stopped = true;
    this.unschedule(entry);
  }

  private run(entry: Entry, now = Date.now()): Promise<unknown> {
    const { name, runsOn } = entry.spec;
    if (entry.running) return entry.running;
    if (runsOn === 'leader' && !this.coordination.isLeader()) {
      this.metrics.jobSkips.inc({ job: name, reason: 'follower' });
      return Promise.resolve(undefined);
    }
    const end = this.metrics.jobDuration.startTimer({ job: name });
    const running = entry.spec.tick(now).then(
      (result) => {
        end({ outcome: 'ok' });
        return result;
      },
      (error: unknown) => {
        end({ outcome: 'error' });
        throw error;
      },
    );
    entry.running = running.finally(() => {
      entry.running = undefined;
    });
    return entry.running;
  }

  /** The timer's call: a tick still running is skipped, and a failure is logged, not thrown. */
  private fire(entry: Entry): void {
    if (entry.running) {
      this.metrics.jobSkips.inc({ job: entry.spec.name, reason: 'overlap' });
      return;
    }
    this.run(entry).catch((error: Error) =>
      this.logger.warn(`Periodic job ${entry.spec.name} failed: ${error.message}`),
    );
  }

  private schedule(entry: Entry): void {
    const { name, everyMs, alignToSlot } = entry.spec;
    if (this.stopped || entry.stopped) return;
    if (!alignToSlot) {
      this.timers.addInterval(name, setInterval(() => this.fire(entry), everyMs).unref());
      return;
    }
    const now = Date.now();
    const next = (Math.floor(now / everyMs) + 1) * everyMs + everyMs / 2;
    const timeout = setTimeout(() => {
      this.timers.deleteTimeout(name);
      this.fire(entry);
      this.schedule(entry);
    }, next - now).unref();
    this.timers.addTimeout(name, timeout);
  }

  private unschedule(entry: Entry): void {
    const { name } = entry.spec;
    if (this.timers.doesExist('interval', name)) this.timers.deleteInterval(name);
    if (this.timers.doesExist('timeout', name)) this.timers.deleteTimeout(name);
  }
}
