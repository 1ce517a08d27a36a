import { ClusterDiagnostics, FindingChange } from './cluster-diagnostics';
import { podSnapshot } from './testing/pod-snapshot';

/** An engine on fake timers over a pod snapshot, recording every change it announces. */
function startedEngine() {
  jest.useFakeTimers();
  const { snapshot, put } = podSnapshot();
  const engine = new ClusterDiagnostics(snapshot, { debounceMs: 250, resyncMs: 60_000 });
  const changes: FindingChange[] = [];
  engine.onChange((c) => changes.push(c));
  engine.start();
  return { engine, changes, put };
}

describe('ClusterDiagnostics', () => {
  afterEach(() => jest.useRealTimers());

  it('opens a finding on a change, keeps firstSeen while it lasts, and resolves it when fixed', async () => {
    const { engine, changes, put } = startedEngine();
    put('web', 'CrashLoopBackOff');
    await jest.advanceTimersByTimeAsync(300);
    expect(changes.map((c) => c.type)).toEqual(['opened']);
    const first = engine.list()[0];
    put('web', 'CrashLoopBackOff');
    await jest.advanceTimersByTimeAsync(300);
    expect(engine.list()[0].firstSeen).toBe(first.firstSeen);
    expect(changes.map((c) => c.type)).toEqual(['opened']);
    put('web');
    await jest.advanceTimersByTimeAsync(300);
    expect(changes.map((c) => c.type)).toEqual(['opened', 'resolved']);
    expect(engine.list()).toEqual([]);
    engine.stop();
  });

  it('announces a finding that changed as updated, keeping firstSeen, and leaves the others quiet', async () => {
    const { engine, changes, put } = startedEngine();
    put('web', 'CrashLoopBackOff');
    put('api', 'ImagePullBackOff');
    await jest.advanceTimersByTimeAsync(300);
    const opened = new Map(engine.list().map((f) => [f.object.name, f]));
    changes.length = 0;
    // Only web changes: api's finding is kept from the last run, and nothing is said about it.
    put('web', 'CreateContainerConfigError');
    await jest.advanceTimersByTimeAsync(300);
    expect(changes.map((c) => [c.type, c.finding.object.name, c.finding.code])).toEqual([
      ['opened', 'web', 'POD_CONTAINER_CONFIG_ERROR'],
      ['resolved', 'web', 'POD_CRASH_LOOP'],
    ]);
    const api = engine.list().find((f) => f.object.name === 'api')!;
    expect(api.firstSeen).toBe(opened.get('api')!.firstSeen);
    changes.length = 0;
    put('api', 'ErrImagePull');
    await jest.advanceTimersByTimeAsync(300);
    expect(changes.map((c) => [c.type, c.finding.object.name])).toEqual([['updated', 'api']]);
    expect(changes[0].finding.firstSeen).toBe(opened.get('api')!.firstSeen);
    engine.stop();
  });

  it('evaluates a burst of changes once per debounce window', async () => {
    jest.useFakeTimers();
    const { snapshot, put } = podSnapshot();
    let evaluations = 0;
    const engine = new ClusterDiagnostics(snapshot, {
      debounceMs: 250,
      resyncMs: 60_000,
      onEvaluated: () => evaluations++,
    });
    engine.start();
    await jest.advanceTimersByTimeAsync(300);
    for (let i = 0; i < 50; i++) put(`p${i}`, 'ImagePullBackOff');
    await jest.advanceTimersByTimeAsync(300);
    expect(evaluations).toBe(2);
    expect(engine.list()).toHaveLength(50);
    engine.stop();
  });
});
