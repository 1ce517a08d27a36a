// The change timeline's cost (docs/changes.md, figures in docs/performance.md), in one process,
// from the compiled code (run `npm run build` first):
//  1. watch path: per event of a tracked Deployment, the extra cost of its tracked fields: on a
//     status update (same generation: reused) and on a spec change (computed afresh), plus turning
//     a change into a stored row (changeFromEvent + changeRow); and per Pod event (untracked) the
//     listener's early return. At 50 changes/s this is the recording's CPU share of the event loop;
//  2. storage: the recorder's flushes at 50 changes/s (13 rows every 250 ms) into a SQLite file
//     for --seconds simulated seconds: ms per flush, bytes per change, growth per day at 50/s and
//     at the per-day bound (changes.maxPerClusterPerDay, default 20,000).
//   npm run bench:changes -- [--events 20000] [--seconds 600] [--json out.json]
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { dist } from './lib/cloudpilot.mjs';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    seconds: { type: 'string', default: '600' },
    json: { type: 'string' },
  },
});
const EVENTS = Number(values.events);
const SECONDS = Number(values.seconds);
const RATE = 50;
const PER_DAY_BOUND = 20_000;
const log = (...a) => console.error(new Date().toISOString(), ...a);
const result = { when: new Date().toISOString(), node: process.version, rate: RATE };

const { CACHED_KINDS } = dist('monitor/cached-kinds');
const { slimWorkload } = dist('cluster-state/records/workload');
const { trackedState, workloadFields } = dist('cluster-state/records/change-fields');
const { changeFromEvent, changeRow } = dist('changes/change-events');
const { appDataSourceOptions } = dist('app-data-source');
const { ChangeRecord } = dist('changes/change-record.entity');

/** A Deployment as the API server sends it: template, managedFields, status (~5 KB of JSON). */
function deployment(i, version) {
  const time = new Date(Date.UTC(2026, 11, 7) + version * 1000).toISOString();
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: `checkout-api-${i}`,
      namespace: `team-${i % 50}`,
      uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      resourceVersion: String(1_000_000 + version),
      generation: version,
      labels: { app: `checkout-api-${i}`, team: `team-${i % 50}` },
      annotations: { 'deployment.kubernetes.io/revision': String(version) },
      managedFields: [
        {
          manager: 'argocd-controller',
          operation: 'Apply',
          time,
          fieldsV1: { 'f:spec': { 'f:template': {} } },
        },
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          subresource: 'status',
          time,
          fieldsV1: { 'f:status': {} },
        },
      ],
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: `checkout-api-${i}` } },
      template: {
        metadata: {
          labels: { app: `checkout-api-${i}` },
          annotations: { 'prometheus.io/scrape': 'true' },
        },
        spec: {
          serviceAccountName: 'checkout',
          containers: ['app', 'istio-proxy'].map((name) => ({
            name,
            image: `registry.example.com/shop/${name}:1.${version}.0`,
            args: ['--port=8080', '--log-level=info'],
            env: Array.from({ length: 12 }, (_, e) => ({
              name: `SETTING_${e}`,
              value: `value-${e}`,
            })).concat([
              { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
            ]),
            resources: {
              requests: { cpu: '250m', memory: '512Mi' },
              limits: { cpu: '1', memory: '1Gi' },
            },
            readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 5 },
            livenessProbe: { httpGet: { path: '/live', port: 8080 }, periodSeconds: 10 },
            volumeMounts: [{ name: 'config', mountPath: '/etc/app' }],
          })),
          volumes: [{ name: 'config', configMap: { name: `settings-${i}` } }],
        },
      },
    },
    status: {
      replicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      updatedReplicas: 3,
      observedGeneration: version,
    },
  };
}

function perEventMicros(fn, n) {
  for (let i = 0; i < Math.min(n, 2000); i++) fn(i); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  return ((performance.now() - t0) * 1000) / n;
}

// 1. The watch path.
const tracked = CACHED_KINDS.find((k) => k.name === 'deployments').transform;
const objects = Array.from({ length: 200 }, (_, i) => [deployment(i, 1), deployment(i, 2)]);
const plainUs = perEventMicros((i) => slimWorkload(objects[i % 200][1]), EVENTS);
// A status update keeps the generation: the tracked state is reused.
const trackedUs = perEventMicros((i) => tracked(objects[i % 200][1]), EVENTS);
// A spec change moves the generation: the tracked fields are computed afresh.
const specUs = perEventMicros((i) => trackedState(objects[i % 200][1], workloadFields), EVENTS);
const pairs = objects.map(([a, b]) => [tracked(a), tracked(b)]);
const rowUs = perEventMicros((i) => {
  const [previous, record] = pairs[i % 200];
  const draft = changeFromEvent({ kind: 'deployments', type: 'updated', record, previous }, true);
  return changeRow('c1', draft, Date.now());
}, EVENTS);
const podUs = perEventMicros(
  (i) => changeFromEvent({ kind: 'pods', type: 'updated', record: { name: `p${i}` } }, true),
  EVENTS * 10,
);
result.watchPath = {
  slimTransformUs: +plainUs.toFixed(2),
  trackedTransformUs: +trackedUs.toFixed(2),
  statusUpdateExtraUs: +(trackedUs - plainUs).toFixed(2),
  specChangeTrackingUs: +specUs.toFixed(2),
  eventToRowUs: +rowUs.toFixed(2),
  untrackedEventUs: +podUs.toFixed(3),
  perChangeUs: +(specUs + rowUs).toFixed(2),
  cpuShareAt50PerSecond: +(((specUs + rowUs) * RATE) / 1e6).toFixed(5),
};
log('watch path', result.watchPath);

// 2. Storage at 50 changes/s.
const dir = mkdtempSync(join(tmpdir(), 'bench-changes-'));
const file = join(dir, 'changes.db');
const { DataSource } = await import('typeorm');
const db = new DataSource(appDataSourceOptions(`sqlite:///${file}`));
await db.initialize();
await db.runMigrations();
const repo = db.getRepository(ChangeRecord);
const empty = statSync(file).size;
const perFlush = Math.round(RATE / 4);
const flushMs = [];
let stored = 0;
for (let tick = 0; tick < SECONDS * 4; tick++) {
  const rows = Array.from({ length: perFlush }, (_, j) => {
    const n = tick * perFlush + j;
    const [previous, record] = pairs[n % 200];
    const draft = changeFromEvent({ kind: 'deployments', type: 'updated', record, previous }, true);
    return changeRow(
      'c1',
      { ...draft, resourceVersion: String(n) },
      Date.UTC(2026, 11, 7) + tick * 250,
    );
  });
  const t0 = performance.now();
  await repo.createQueryBuilder().insert().values(rows).orIgnore().execute();
  flushMs.push(performance.now() - t0);
  stored += rows.length;
}
await db.query('VACUUM');
const bytesPerChange = (statSync(file).size - empty) / stored;
flushMs.sort((a, b) => a - b);
result.storage = {
  changes: stored,
  flushMsP50: +flushMs[Math.floor(flushMs.length / 2)].toFixed(2),
  flushMsP99: +flushMs[Math.floor(flushMs.length * 0.99)].toFixed(2),
  bytesPerChange: Math.round(bytesPerChange),
  mbPerDayAt50PerSecond: Math.round((bytesPerChange * RATE * 86_400) / 1e6),
  mbPerDayAtBound: +((bytesPerChange * PER_DAY_BOUND) / 1e6).toFixed(1),
};
log('storage', result.storage);
await db.destroy();
rmSync(dir, { recursive: true, force: true });
if (values.json) writeFileSync(values.json, JSON.stringify(result, null, 2));
console.log(JSON.stringify(result, null, 2));
