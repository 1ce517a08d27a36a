import { SchedulerRegistry } from '@nestjs/schedule';
import { MetricsService } from '../health/metrics.service';
import { PeriodicJobs } from './periodic-jobs';
import { SoleReplicaCoordination } from './sole-replica.coordination';

/** A replica whose leadership the test decides. */
class TestReplica extends SoleReplicaCoordination {
  leads = true;
  override isLeader(): boolean {
    return this.leads;
  }
}

/** A tick the test finishes: each call records its `now` and waits for `finish()`. */
function gatedTick() {
  const calls: number[] = [];
  let release: () => void = () => undefined;
  const tick = (now: number) => {
    calls.push(now);
    return new Promise<number>((resolve) => (release = () => resolve(now)));
  };
  return { calls, tick, finish: () => release() };
}

async function metric(metrics: MetricsService, name: string): Promise<string> {
  const text = await metrics.registry.metrics();
  return text
    .split('\n')
    .filter((line) => line.startsWith(name))
    .join('\n');
}

describe('PeriodicJobs', () => {
  let replica: TestReplica;
  let metrics: MetricsService;
  let jobs: PeriodicJobs;
  let timers: SchedulerRegistry;

  beforeEach(() => {
    replica = new TestReplica('r1');
    metrics = new MetricsService();
    timers = new SchedulerRegistry();
    jobs = new PeriodicJobs(replica, metrics, timers);
  });
  afterEach(() => {
    jobs.onModuleDestroy();
    jest.useRealTimers();
  });

  it('joins a run in progress instead of starting a second one, and returns the tick result', async () => {
    const gate = gatedTick();
    const job = jobs.register({
      name: 'j',
      everyMs: 1000,
      runsOn: 'every-replica',
      tick: gate.tick,
    });
    const first = job.run(5);
    expect(job.run(6)).toBe(first);
    gate.finish();
    await expect(first).resolves.toBe(5);
    expect(gate.calls).toEqual([5]);
    const second = job.run(7);
    gate.finish();
    await expect(second).resolves.toBe(7);
  });

  it('skips a leader-only job on a follower and counts the skip', async () => {
    const tick = jest.fn(async () => 1);
    const job = jobs.register({ name: 'lead', everyMs: 1000, runsOn: 'leader', tick });
    replica.leads = false;
    await expect(job.run()).resolves.toBeUndefined();
    expect(tick).not.toHaveBeenCalled();
    expect(await metric(metrics, 'cloudpilot_job_skips_total')).toContain(
      'cloudpilot_job_skips_total{job="lead",reason="follower"} 1',
    );
    replica.leads = true;
    await expect(job.run()).resolves.toBe(1);
  });

  it('records the duration of each tick with its outcome, and rejects a direct run that failed', async () => {
    const job = jobs.register({
      name: 'bad',
      everyMs: 1000,
      runsOn: 'every-replica',
      tick: async () => {
        throw new Error('boom');
      },
    });
    await expect(job.run()).rejects.toThrow('boom');
    expect(await metric(metrics, 'cloudpilot_job_duration_seconds_count')).toContain(
      'cloudpilot_job_duration_seconds_count{job="bad",outcome="error"} 1',
    );
  });

  it('fires every interval once booted, skips a timer while the tick still runs and never throws out of it', async () => {
    jest.useFakeTimers();
    const gate = gatedTick();
    jobs.register({ name: 'slow', everyMs: 1000, runsOn: 'every-replica', tick: gate.tick });
    let failures = 0;
    jobs.register({
      name: 'failing',
      everyMs: 1000,
      runsOn: 'every-replica',
      tick: async () => {
        failures++;
        throw new Error('boom');
      },
    });
    await jest.advanceTimersByTimeAsync(5_000);
    expect(gate.calls).toHaveLength(0); // not before the application has booted
    jobs.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(3_000);
    expect(gate.calls).toHaveLength(1);
    expect(failures).toBe(3);
    expect(await metric(metrics, 'cloudpilot_job_skips_total')).toContain(
      'cloudpilot_job_skips_total{job="slow",reason="overlap"} 2',
    );
    gate.finish();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(gate.calls).toHaveLength(2);
  });

  it("keeps its timers in @nestjs/schedule's registry by job name, and removes them on stop", () => {
    jest.useFakeTimers({ now: 10_250 });
    jobs.register({ name: 'plain', everyMs: 1000, runsOn: 'every-replica', tick: async () => 1 });
    jobs.register({
      name: 'slotted',
      everyMs: 1000,
      runsOn: 'leader',
      alignToSlot: true,
      tick: async () => 2,
    });
    jobs.onApplicationBootstrap();
    expect(timers.getIntervals()).toEqual(['plain']);
    expect(timers.getTimeouts()).toEqual(['slotted']);
    jobs.stop('plain');
    jobs.onModuleDestroy();
    expect([timers.getIntervals(), timers.getTimeouts()]).toEqual([[], []]);
  });

  it('runs a slot-aligned job at the middle of each wall-clock slot, and not after stop()', async () => {
    jest.useFakeTimers({ now: 10_250 });
    const ticks: number[] = [];
    jobs.register({
      name: 'aligned',
      everyMs: 1000,
      runsOn: 'leader',
      alignToSlot: true,
      tick: async (now) => void ticks.push(now),
    });
    jobs.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(2_000);
    expect(ticks).toEqual([11_500]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(ticks).toEqual([11_500, 12_500]);
    jobs.stop('aligned');
    await jest.advanceTimersByTimeAsync(5_000);
    expect(ticks).toEqual([11_500, 12_500]);
  });

  it('refuses a second job of the same name', () => {
    const spec = { name: 'twice', everyMs: 1000, runsOn: 'leader' as const, tick: async () => 0 };
    jobs.register(spec);
    expect(() => jobs.register(spec)).toThrow('registered twice');
  });
});
