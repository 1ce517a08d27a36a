import type { FindingChange } from './cluster-diagnostics';
import { DiagnosticsIsolate } from './diagnostics-isolate';
import { evaluate } from './evaluate';
import type { EvaluatedFinding } from '../cluster-state/finding';
import type { Finding } from '../cluster-state/finding';
import { RemoteDiagnostics } from './remote-diagnostics';
import { snapshotInput } from './snapshot-input';
import { NOW } from './testing/diagnostics-builders';
import { podSnapshot } from './testing/pod-snapshot';
import {
  bigCluster,
  DEPLOYMENTS,
  PER_DEPLOYMENT,
  podOf,
  random,
} from './testing/generated-cluster';

const until = async (check: () => boolean, ms = 5_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('RemoteDiagnostics (the isolate inline, over a MessageChannel)', () => {
  let isolate: DiagnosticsIsolate;
  beforeEach(() => (isolate = new DiagnosticsIsolate('inline')));
  afterEach(() => isolate.close());

  it('evaluates what the snapshot held before it started and what changed since, and announces open and resolve', async () => {
    const { snapshot, put, remove, settle } = podSnapshot('c1', { settled: false });
    put('web-1', 'CrashLoopBackOff');
    put('web-2');
    const engine = new RemoteDiagnostics(snapshot, isolate, { debounceMs: 20, resyncMs: 60_000 });
    const changes: FindingChange[] = [];
    engine.onChange((c) => changes.push(c));
    engine.start();
    await engine.evaluateInSlices();
    expect(engine.ready).toBe(false); // not settled: no findings from a half-synced snapshot
    settle();
    await engine.evaluateInSlices();
    expect(engine.ready).toBe(true);
    expect(engine.list().map((f) => [f.code, f.object.name])).toEqual([
      ['POD_CRASH_LOOP', 'web-1'],
    ]);
    const first = engine.list()[0];
    expect(first.lastSeen).toBe(new Date(engine.evaluatedAt).toISOString());

    put('web-2', 'ImagePullBackOff');
    await until(() => engine.list().length === 2);
    expect(engine.get(first.id)?.firstSeen).toBe(first.firstSeen);
    remove('web-1');
    await until(() => engine.list().length === 1);
    expect(changes.map((c) => `${c.type} ${c.finding.object.name}`)).toEqual([
      'opened web-1',
      'opened web-2',
      'resolved web-1',
    ]);
    engine.stop();
  });

  it('a second engine on the same isolate is independent, and a stopped one answers at once', async () => {
    const a = podSnapshot('c1', { settled: false });
    const b = podSnapshot('c2', { settled: false });
    a.put('x', 'CrashLoopBackOff');
    a.settle();
    b.settle();
    const ea = new RemoteDiagnostics(a.snapshot, isolate, { debounceMs: 20, resyncMs: 60_000 });
    const eb = new RemoteDiagnostics(b.snapshot, isolate, { debounceMs: 20, resyncMs: 60_000 });
    ea.start();
    eb.start();
    await Promise.all([ea.evaluateInSlices(), eb.evaluateInSlices()]);
    expect(ea.list()).toHaveLength(1);
    expect(eb.list()).toHaveLength(0);
    eb.stop();
    await expect(eb.evaluateInSlices()).resolves.toBeUndefined();
    ea.stop();
  });

  it('sends findings computed in this process along with a requested evaluation', async () => {
    const { snapshot, settle } = podSnapshot('c1', { settled: false });
    settle();
    const external = {
      id: 'f-ext',
      code: 'FORECAST_CPU_REQUESTS_SATURATION',
      severity: 'warning' as const,
      object: { group: '', kind: 'Cluster', namespace: '', name: 'c1' },
      message: 'CPU requests reach allocatable in 3 days',
      evidence: { fields: {}, events: [], related: [] },
      suggestion: 'Add nodes',
      count: 1,
      affected: [],
      source: 'forecast',
    };
    let findings: unknown[] = [];
    const engine = new RemoteDiagnostics(snapshot, isolate, {
      debounceMs: 20,
      resyncMs: 60_000,
      external: () => findings as never,
    });
    engine.start();
    await engine.evaluateInSlices();
    expect(engine.list()).toHaveLength(0);
    findings = [external];
    await engine.evaluateInSlices();
    expect(engine.list().map((f) => f.id)).toEqual(['f-ext']);
    engine.stop();
  });
});

describe('RemoteDiagnostics on a big generated cluster', () => {
  // The clock stands still at NOW (only Date is faked): the mirror's evaluations and the one-shot
  // evaluation here see the same time.
  beforeEach(() =>
    jest.useFakeTimers({
      now: NOW,
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    }),
  );
  afterEach(() => jest.useRealTimers());

  it('finds through the mirror exactly what one pass over the snapshot finds, through changes', async () => {
    const isolate = new DiagnosticsIsolate('inline');
    const { snapshot, put, remove } = bigCluster();
    // No debounced evaluation during the test: each one is asked for, after the changes so far.
    const engine = new RemoteDiagnostics(snapshot, isolate, {
      debounceMs: 600_000,
      resyncMs: 600_000,
    });
    const strip = ({ firstSeen: _f, lastSeen: _l, ...f }: Finding): EvaluatedFinding => f;
    const same = async () => {
      await engine.evaluateInSlices();
      const expected = evaluate('big', snapshotInput(snapshot, NOW));
      const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
      expect(engine.list().map(strip).sort(byId)).toEqual([...expected].sort(byId));
    };
    engine.start();
    await same();
    expect(engine.list().length).toBeGreaterThan(300);
    const next = random(11);
    for (let round = 0; round < 4; round++) {
      for (let c = 0; c < 60; c++) {
        const d = Math.floor(next() * DEPLOYMENTS);
        const p = podOf(d, Math.floor(next() * PER_DEPLOYMENT), Math.floor(next() * 6));
        const roll = next();
        if (roll < 0.2) remove('pods', p);
        else if (roll < 0.3) put('pods', { ...p, labels: { app: `d-${(d + 1) % DEPLOYMENTS}` } });
        else put('pods', p);
      }
      await same();
    }
    engine.stop();
    await isolate.close();
    // A big generated cluster evaluated many times: seconds of CPU, more than Jest's default 5 s
    // on a CI worker sharing 2 cores with the integration suites. Its checks are about equality.
  }, 30_000);
});
