import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The diagnostics worker as the built service runs it: a real worker thread started from
 * dist/diagnostics/diagnostics.worker.js (Jest runs the TypeScript sources, where `auto` picks the
 * inline isolate). A plain `node` process drives the built modules over a snapshot of pods.
 */
const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');

const SCRIPT = `
const { DiagnosticsIsolate } = require(${JSON.stringify(join(DIST, 'diagnostics/diagnostics-isolate.js'))});
const { RemoteDiagnostics } = require(${JSON.stringify(join(DIST, 'diagnostics/remote-diagnostics.js'))});
const { slimPod } = require(${JSON.stringify(join(DIST, 'cluster-state/records/pod.js'))});
const { readdirSync, readFileSync } = require('node:fs');

const pods = new Map();
const listeners = new Set();
const snapshot = {
  clusterId: 'c1',
  settled: true,
  list: (kind) => (kind === 'pods' ? [...pods.values()] : []),
  get: (kind, name, ns) => (kind === 'pods' ? pods.get(ns + '/' + name) : undefined),
  caches: (kind) => kind === 'pods',
  status: () => ({ pods: { lastSyncedAt: '2026-01-01T00:00:00Z' } }),
  subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
};
const put = (name, reason) => {
  const record = slimPod({
    metadata: { name, namespace: 'shop' },
    // A hygienic template (pinned image, probe, memory limit, no default token): the container
    // hygiene codes judge bare pods, and this test counts the crash findings only.
    spec: {
      automountServiceAccountToken: false,
      containers: [{
        name: 'app',
        image: 'registry.example/web:1.0',
        readinessProbe: { httpGet: { path: '/', port: 8080 } },
        resources: { requests: { cpu: '1' }, limits: { memory: '64Mi' } },
      }],
    },
    status: {
      phase: 'Running',
      containerStatuses: [reason
        ? { name: 'app', ready: false, restartCount: 3, state: { waiting: { reason } } }
        : { name: 'app', ready: true, restartCount: 0, state: { running: {} } }],
      conditions: [{ type: 'Ready', status: reason ? 'False' : 'True' }],
    },
  });
  const had = pods.has('shop/' + name);
  pods.set('shop/' + name, record);
  for (const l of listeners) l({ kind: 'pods', type: had ? 'updated' : 'added', record });
};
const until = async (check) => {
  for (const deadline = Date.now() + 10_000; !check(); await new Promise((r) => setTimeout(r, 20)))
    if (Date.now() > deadline) throw new Error('timed out');
};
/** Nice values of this process's threads other than the main one. */
const nices = () => readdirSync('/proc/self/task').filter((t) => t !== String(process.pid)).map((t) => {
  const stat = readFileSync('/proc/self/task/' + t + '/stat', 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
});

// The worker and the engines' timers are unref'd (they must not keep a service alive): this does.
const keepAlive = setInterval(() => undefined, 1000);
(async () => {
  for (let i = 0; i < 1200; i++) put('web-' + i, i % 400 === 0 ? 'CrashLoopBackOff' : undefined);
  const failures = [];
  const isolate = new DiagnosticsIsolate('auto', (e) => failures.push(e.message));
  const engine = new RemoteDiagnostics(snapshot, isolate, { debounceMs: 50, resyncMs: 60_000 });
  const changes = [];
  engine.onChange((c) => changes.push(c.type + ' ' + c.finding.object.name));
  engine.start();
  await engine.evaluateInSlices();
  const first = engine.list().map((f) => f.code + ' ' + f.object.name).sort();
  const niceValues = nices();

  // The worker dies: a new one is started and sent the snapshot again; nothing is announced twice.
  const firstSeen = engine.list()[0].firstSeen;
  await isolate.port.terminate();
  put('web-5', 'ImagePullBackOff');
  await until(() => engine.list().length === 4);
  const afterRestart = engine.list().map((f) => f.code + ' ' + f.object.name).sort();
  const keptFirstSeen = engine.get(engine.list().find((f) => f.object.name === 'web-0').id).firstSeen === firstSeen;
  put('web-0');
  await until(() => engine.list().length === 3);

  // A worker that keeps dying is not replaced for ever: after 5 in a minute the failure is reported
  // and an evaluation asked for answers at once (the service then answers 503).
  for (let k = 0; k < 6 && isolate.available; k++) {
    await new Promise((r) => setTimeout(r, 100));
    await isolate.port.terminate();
  }
  await until(() => !isolate.available);
  const answeredAtOnce = await Promise.race([
    engine.evaluateInSlices().then(() => true),
    new Promise((r) => setTimeout(() => r(false), 1000)),
  ]);
  engine.stop();
  await isolate.close();
  clearInterval(keepAlive);
  console.log(JSON.stringify({ isolation: isolate.isolation, first, niceValues, afterRestart, keptFirstSeen, changes, failures, answeredAtOnce }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

describe('the diagnostics worker thread (built)', () => {
  beforeAll(() => {
    if (!existsSync(join(DIST, 'diagnostics', 'diagnostics.worker.js')))
      throw new Error('dist/ is missing: `npm test` builds it first (npm run build)');
  });

  it('evaluates in a worker thread at a lower priority, survives the worker dying, and keeps what it knew', () => {
    const run = spawnSync(process.execPath, ['-e', SCRIPT], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.isolation).toBe('worker');
    expect(out.first).toEqual([
      'POD_CRASH_LOOP web-0',
      'POD_CRASH_LOOP web-400',
      'POD_CRASH_LOOP web-800',
    ]);
    // Linux: the evaluating thread runs at nice 10, every other thread at the process's 0.
    expect(out.niceValues).toContain(10);
    expect(out.afterRestart).toEqual([...out.first, 'POD_IMAGE_PULL web-5'].sort());
    expect(out.keptFirstSeen).toBe(true);
    // Opened once each, the new one after the restart, then the fixed one resolved: no repeats.
    expect(out.changes).toEqual([
      'opened web-0',
      'opened web-400',
      'opened web-800',
      'opened web-5',
      'resolved web-0',
    ]);
    expect(out.failures).toEqual([expect.stringMatching(/keeps exiting .*not replaced/)]);
    expect(out.answeredAtOnce).toBe(true);
  });
});
