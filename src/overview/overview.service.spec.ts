import type { ClusterDirectory } from '../cluster-registry/cluster-directory';
import type { NodeRecord } from '../cluster-state/records/node';
import { ClusterAggregates } from '../monitor/cluster-aggregates';
import type { ClusterSnapshots, KindStatus } from '../monitor/cluster-snapshot';
import type { LiveUsage } from '../telemetry/live-usage';
import { OVERVIEW_KINDS } from './overview-views';
import { OverviewService } from './overview.service';

const CORE = 1_000_000_000n;
const synced: KindStatus = Object.freeze({
  state: 'synced',
  mode: 'watch',
  count: 1,
  lastSyncedAt: '2026-12-07T00:00:00.000Z',
  ageSeconds: 0,
  lists: 1,
  relistsAfterGone: 0,
});

/** A cache whose status objects stay the same, as the status memo keeps them between changes. */
function fakeCache() {
  const statuses = Object.fromEntries(OVERVIEW_KINDS.map((k) => [k, synced]));
  return {
    clusterId: 'c1',
    aggregates: new ClusterAggregates(),
    revision: 1,
    lastUpdated: 1_000,
    usage: undefined,
    health: undefined,
    down: false,
    status: () => ({ ...statuses }),
  };
}

function serviceOver(cache: ReturnType<typeof fakeCache>) {
  const snapshots = { settled: async () => cache, firstSyncDeadlineMs: 1000 };
  const directory = { get: async () => ({ id: 'c1', name: 'one' }) };
  const liveUsage = { peek: () => undefined };
  return new OverviewService(
    snapshots as unknown as ClusterSnapshots,
    directory as unknown as ClusterDirectory,
    liveUsage as unknown as LiveUsage,
  );
}

function addNode(cache: ReturnType<typeof fakeCache>, name: string): void {
  const resources = { cpu: 2n * CORE, memory: 0n, pods: 110 };
  const node = { name, ready: true, unschedulable: false, capacity: resources };
  cache.aggregates.node({ ...node, allocatable: resources } as NodeRecord, 1);
}

describe('OverviewService.overviewAnswer', () => {
  it('reuses one answer and its JSON while nothing it reads changed', async () => {
    const cache = fakeCache();
    const service = serviceOver(cache);
    const first = await service.overviewAnswer('c1');
    expect(await service.overviewAnswer('one')).toBe(first);
    expect(JSON.parse(first.json)).toEqual(JSON.parse(JSON.stringify(first.value)));
  });

  it('answers anew after a change to the records, even within the same millisecond', async () => {
    const cache = fakeCache();
    const service = serviceOver(cache);
    const before = await service.overviewAnswer('c1');
    addNode(cache, 'n1');
    cache.revision++;
    const after = await service.overviewAnswer('c1');
    expect(after).not.toBe(before);
    expect(after.value.nodes.total).toBe(before.value.nodes.total + 1);
    expect(JSON.parse(after.json).cpu.allocatable).toBe(2);
  });

  it('answers anew when health or a kind status is replaced', async () => {
    const cache = fakeCache();
    const service = serviceOver(cache);
    const first = await service.overviewAnswer('c1');
    Object.assign(cache, { health: { reachable: true, checkedAt: '2026-12-07T00:00:01.000Z' } });
    const second = await service.overviewAnswer('c1');
    expect(second.value.health).toEqual(cache.health);
    const status = cache.status;
    cache.status = () => ({ ...status(), pods: { ...synced, state: 'stale' } });
    expect((await service.overviewAnswer('c1')).value.state).toBe('stale');
    expect(second).not.toBe(first);
  });
});
