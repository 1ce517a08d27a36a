import type { PeriodicJobSpec } from '../coordination/periodic-jobs';
import { RecentViews } from './recent-views';
import type { SharedView } from './telemetry-runner';
import { ViewWarmer } from './view-warmer';

type State = 'skipped' | 'ok' | 'error' | 'notConfigured';

const CLUSTERS = [
  { id: 'a', name: 'alpha' },
  { id: 'b', name: 'beta' },
];

/** The job with a runner answering `states[cluster]` in turn for each view it is asked to renew. */
function warmer(
  states: Record<string, State[]>,
  telemetry: Record<string, unknown> = {},
  renewMs = 0,
) {
  const asked: string[] = [];
  const runner = {
    renew: async (clusterId: string, spec: SharedView<unknown>) => {
      asked.push(`${clusterId}:${spec.key}`);
      if (renewMs) await new Promise((r) => setTimeout(r, renewMs));
      return states[clusterId].shift() ?? 'ok';
    },
  };
  const view = (key: string) => ({ key, empty: null, view: async () => null });
  const signals = { sharedView: (scope: string, w: number) => view(`${scope}s|${w}|`) };
  const graphs = { sharedView: (w: number) => view(`graph|${w}|`) };
  const config = {
    config: {
      telemetry: {
        viewCacheSeconds: 5,
        warmIntervalSeconds: 20,
        warmWindows: [300],
        warmForMinutes: 10,
        warmMaxViews: 6,
        ...telemetry,
      },
    },
  };
  const specs: PeriodicJobSpec<unknown>[] = [];
  const jobs = {
    register: (spec: PeriodicJobSpec<unknown>) => (
      specs.push(spec),
      { run: (now?: number) => spec.tick(now ?? Date.now()) }
    ),
  };
  const recent = new RecentViews();
  const job = new ViewWarmer(
    { list: async () => CLUSTERS } as never,
    runner as never,
    signals as never,
    graphs as never,
    recent,
    config as never,
    jobs as never,
  );
  return { job, asked, recent, specs };
}

describe('ViewWarmer', () => {
  it('renews the warm windows, then the views read lately, on every replica', async () => {
    const { job, asked, recent, specs } = warmer({ a: ['ok', 'skipped', 'ok'], b: [] });
    recent.note('a', { view: 'workloads', windowSeconds: 60 });
    const tick = await job.warmNow();
    expect(specs.map((s) => [s.name, s.everyMs, s.runsOn])).toEqual([
      ['telemetry-warm', 20_000, 'every-replica'],
    ]);
    expect(asked.filter((k) => k.startsWith('a:'))).toEqual([
      'a:services|300|',
      'a:graph|300|',
      'a:workloads|60|',
    ]);
    expect(tick).toEqual([
      {
        cluster: CLUSTERS[0],
        data: { renewed: ['services|300', 'workloads|60'], skipped: 1, stopped: null },
      },
      {
        cluster: CLUSTERS[1],
        data: { renewed: ['services|300', 'graph|300'], skipped: 0, stopped: null },
      },
    ]);
  });

  it('stops a cluster at its first failure or missing source, and goes on with the others', async () => {
    const { job, asked } = warmer({ a: ['error'], b: ['notConfigured'] });
    const tick = await job.warmNow();
    expect(asked).toEqual(['a:services|300|', 'b:services|300|']);
    expect(tick.map((e) => ('data' in e ? e.data.stopped : e.error.code))).toEqual([
      'error',
      'notConfigured',
    ]);
  });

  it('keeps at most warmMaxViews per cluster', async () => {
    const { job, asked, recent } = warmer({ a: [], b: [] }, { warmMaxViews: 3 });
    for (const w of [60, 120, 600]) recent.note('a', { view: 'services', windowSeconds: w });
    await job.warmNow();
    expect(asked.filter((k) => k.startsWith('a:'))).toEqual([
      'a:services|300|',
      'a:graph|300|',
      'a:services|600|',
    ]);
  });

  it('starts no view after half the interval: the rest wait for the next run', async () => {
    const { job } = warmer(
      { a: [], b: [] },
      { warmIntervalSeconds: 2, warmWindows: [60, 300] },
      600,
    );
    const tick = await job.warmNow();
    expect(tick.map((e) => ('data' in e ? e.data : e.error))).toEqual([
      { renewed: ['services|60', 'graph|60'], skipped: 0, stopped: 'budget' },
      { renewed: ['services|60', 'graph|60'], skipped: 0, stopped: 'budget' },
    ]);
  });

  it('is off with warmIntervalSeconds 0, and has nothing to do when views are not shared', async () => {
    const off = warmer({ a: [], b: [] }, { warmIntervalSeconds: 0 });
    await expect(off.job.warmNow()).resolves.toEqual([]);
    expect(off.specs).toHaveLength(0);
    const unshared = warmer({ a: [], b: [] }, { viewCacheSeconds: 0 });
    await expect(unshared.job.warmNow()).resolves.toEqual([]);
    expect(unshared.asked).toEqual([]);
  });
});
