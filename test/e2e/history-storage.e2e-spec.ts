import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { NodeRecord } from '../../src/cluster-state/records/node';
import type { HpaRecord } from '../../src/cluster-state/records/policy';
import type { PodRecord } from '../../src/cluster-state/records/pod';
import type { WorkloadRecord } from '../../src/cluster-state/records/workload';
import { appDataSourceOptions } from '../../src/app-data-source';
import { withFindingCounts } from '../../src/history/finding-counts';
import { HistorySample } from '../../src/history/history-sample.entity';
import { HistoryRetention } from '../../src/history/history-retention';
import { historyRows, hpaRows, nodeRows, workloadRows } from '../../src/history/history-rows';
import { ClusterAggregates } from '../../src/monitor/cluster-aggregates';

/**
 * The storage bound of docs/forecasts.md#storage: 30 simulated days of one realistic cluster,
 * written straight into SQLite as the sampler's own row builders shape them, compacted once per
 * simulated day as the leader does (hourly), then measured. It fails if the database grows past
 * the documented bound.
 */
jest.setTimeout(600_000);

const DAY = 86_400_000;
/**
 * A 5-minute tick keeps this suite near a minute; the bytes per row do not depend on the tick, and
 * docs/forecasts.md#storage gives the numbers of a 60 s run (CLOUDPILOT_STORAGE_TICK_SECONDS=60).
 */
const TICK = Number(process.env.CLOUDPILOT_STORAGE_TICK_SECONDS ?? 300) * 1000;
const DAYS = 30;
const NOW = Date.UTC(2026, 11, 2);
const CLUSTER = '00000000-0000-4000-8000-000000000001';
/** The documented bound (docs/forecasts.md#storage): bytes per stored row, indexes included. */
const MAX_BYTES_PER_ROW = 400;

const CORE = 1_000_000_000n;
const MI = 1024n * 1024n * 1_000_000_000n;
const POOLS = ['general', 'memory-optimized', 'spot'];

function cluster() {
  const nodes: NodeRecord[] = Array.from({ length: 20 }, (_, i) => ({
    name: `ip-10-0-${i}-${100 + i}.eu-west-1.compute.internal`,
    labels: { 'eks.amazonaws.com/nodegroup': POOLS[i % 3] },
    ready: true,
    unschedulable: false,
    roles: [],
    kubeletVersion: 'v1.33.1',
    osImage: '',
    kernelVersion: '',
    containerRuntimeVersion: '',
    architecture: 'amd64',
    capacity: { cpu: 16n * CORE, memory: 65536n * MI, pods: 110 },
    allocatable: { cpu: 15n * CORE + CORE / 2n, memory: 61000n * MI, pods: 110 },
    conditions: [],
    taints: [],
    addresses: [],
    created: '',
  }));
  const namespaces = Array.from({ length: 50 }, (_, i) => `team-${i}-services`);
  const replicaSets: WorkloadRecord[] = [];
  const pods: PodRecord[] = namespaces.flatMap((namespace, n) =>
    Array.from({ length: 12 }, (_, p): PodRecord => {
      // Two restarting workloads per namespace: 100 with restarts in all.
      const restarting = p < 2;
      const rs = `checkout-api-${p}-7d9f8c6b5`;
      if (restarting)
        replicaSets.push({
          name: rs,
          namespace,
          owner: { kind: 'Deployment', name: `checkout-api-${p}` },
          desired: 1,
          ready: 0,
          available: 0,
          updated: 1,
        });
      return {
        name: `${rs}-x${n}${p}`,
        namespace,
        labels: {},
        nodeName: nodes[(n * 12 + p) % 20].name,
        phase: 'Running',
        ready: !restarting,
        requests: { cpu: CORE / 4n, memory: 512n * MI },
        limits: { cpu: CORE, memory: 1024n * MI },
        owner: { kind: 'ReplicaSet', name: rs },
        containers: restarting
          ? [
              {
                name: 'app',
                role: 'main',
                ready: false,
                restarts: 1234,
                waiting: 'CrashLoopBackOff',
              },
            ]
          : undefined,
      };
    }),
  );
  const hpas: HpaRecord[] = Array.from({ length: 20 }, (_, i) => ({
    name: `checkout-api-${i}`,
    namespace: namespaces[i],
    target: { kind: 'Deployment', name: `checkout-api-${i}`, apiVersion: 'apps/v1' },
    minReplicas: 2,
    maxReplicas: 20,
    currentReplicas: 7,
    desiredReplicas: 8,
  }));
  const aggregates = new ClusterAggregates();
  for (const node of nodes) aggregates.node(node, 1);
  for (const pod of pods) aggregates.pod(pod, 1);
  const usage = {
    at: '',
    total: { cpu: 123n * CORE, memory: 400000n * MI },
    byNode: new Map(
      nodes.map((n) => [n.name, { cpu: 6n * CORE + CORE / 3n, memory: 20000n * MI }]),
    ),
    // Usage per namespace, as read from Prometheus's per-pod series.
    byNamespace: new Map(
      namespaces.map((ns) => [ns, { cpu: 2n * CORE + CORE / 7n, memory: 8000n * MI + 12345n }]),
    ),
  };
  const lists: Record<string, unknown[]> = { nodes, pods, horizontalpodautoscalers: hpas };
  return {
    clusterId: CLUSTER,
    aggregates,
    usage,
    list: ((kind: string) => lists[kind] ?? []) as never,
    get: ((kind: string, name: string, ns: string) =>
      kind === 'replicasets'
        ? replicaSets.find((r) => r.name === name && r.namespace === ns)
        : undefined) as never,
  };
}

/** The rows of one tick, as the sampler builds them (slot and time filled in per tick). */
function tickTemplate() {
  const snapshot = cluster();
  const counts = {
    cluster: { critical: 12, warning: 40, info: 130 },
    namespaces: new Map<string, { critical: number; warning: number; info: number }>(),
  };
  const rows = [
    ...withFindingCounts(historyRows(snapshot, 0, ''), counts),
    ...nodeRows(snapshot, ['eks.amazonaws.com/nodegroup'], 0, ''),
    ...workloadRows(snapshot, 0, ''),
    ...hpaRows(snapshot, 0, ''),
  ];
  return rows.map((r) => ({ scope: r.scope, name: r.name, data: JSON.stringify(r.values) }));
}

describe('history storage under 30 simulated days', () => {
  let dir: string;
  let source: DataSource;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cloudpilot-history-'));
    source = await new DataSource(
      appDataSourceOptions(`sqlite:///${join(dir, 'history.db')}`),
    ).initialize();
  });
  afterAll(async () => {
    await source.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stays within the documented bytes per row and per cluster per day', async () => {
    const template = tickTemplate();
    const scopes = new Map<string, number>();
    for (const r of template) scopes.set(r.scope, (scopes.get(r.scope) ?? 0) + 1);
    // 1 cluster, 50 namespaces, 20 nodes, 3 pools, 100 restarting workloads, 20 HPAs.
    expect(Object.fromEntries(scopes)).toEqual({
      cluster: 1,
      namespace: 50,
      node: 20,
      nodePool: 3,
      workload: 100,
      hpa: 20,
    });
    // Namespace rows carry their usage (read from Prometheus per pod) in this measure.
    const namespaceRow = JSON.parse(template.find((r) => r.scope === 'namespace')!.data);
    expect(namespaceRow).toMatchObject({
      usageCpu: expect.any(Number),
      usageMemory: expect.any(Number),
    });
    const db = (source.driver as unknown as { databaseConnection: BetterDb }).databaseConnection;
    const insert = db.prepare(
      'INSERT INTO history_sample (cluster_id, scope, name, slot, at, data) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const writeDay = db.transaction((first: number, last: number) => {
      for (let slot = first; slot < last; slot++) {
        const at = new Date(slot * TICK).toISOString();
        for (const r of template) insert.run(CLUSTER, r.scope, r.name, slot, at, r.data);
      }
    });
    const retention = new HistoryRetention(source.getRepository(HistorySample), TICK);
    const start = NOW - DAYS * DAY;
    let written = 0;
    for (let d = 0; d < DAYS; d++) {
      const first = Math.floor((start + d * DAY) / TICK);
      const last = Math.floor((start + (d + 1) * DAY) / TICK);
      writeDay(first, last);
      written += (last - first) * template.length;
      await retention.compact(start + (d + 1) * DAY, 365);
    }
    db.exec('VACUUM');
    const pageSize = Number(db.pragma('page_size', { simple: true }));
    const pages = Number(db.pragma('page_count', { simple: true }));
    const bytes = pageSize * pages;
    const rows = await source.getRepository(HistorySample).count();
    // Every tick of the last day, one per 15 minutes for the 29 days before.
    const ticksKept = DAY / TICK + (DAYS - 1) * 96;
    expect(rows).toBe(ticksKept * template.length);
    const perRow = bytes / rows;
    process.stderr.write(
      `history storage: ${written} rows written, ${rows} kept, ${bytes} B ` +
        `(${perRow.toFixed(0)} B per row, ${(bytes / DAYS / 1024 / 1024).toFixed(2)} MiB per cluster per day ` +
        `over ${DAYS} days at a ${TICK / 1000} s tick)\n`,
    );
    expect(perRow).toBeLessThanOrEqual(MAX_BYTES_PER_ROW);
    expect(bytes).toBeLessThanOrEqual(MAX_BYTES_PER_ROW * ticksKept * template.length);
  });
});

interface BetterDb {
  prepare(sql: string): { run(...args: unknown[]): unknown };
  transaction<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void;
  exec(sql: string): void;
  pragma(sql: string, options?: { simple: boolean }): unknown;
}
