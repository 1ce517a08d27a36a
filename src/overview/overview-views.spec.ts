import { ClusterAggregates } from '../monitor/cluster-aggregates';
import type { KindStatus } from '../monitor/cluster-snapshot';
import { usageFromNodeMetrics } from '../monitor/node-usage';
import type { NodeRecord } from '../cluster-state/records/node';
import {
  namespaceDetails,
  nodeDetail,
  overallState,
  OVERVIEW_KINDS,
  OverviewKind,
  OverviewStatus,
  resourceOverview,
} from './overview-views';

const CORE = 1_000_000_000n;
const synced = (count = 0): KindStatus => ({
  state: 'synced',
  mode: 'watch',
  count,
  lastSyncedAt: '2026-11-26T00:00:00.000Z',
  ageSeconds: 0,
  lists: 1,
  relistsAfterGone: 0,
});

function statuses(overrides: Partial<Record<OverviewKind, KindStatus>> = {}): OverviewStatus {
  return Object.fromEntries(
    OVERVIEW_KINDS.map((k) => [k, overrides[k] ?? synced()]),
  ) as OverviewStatus;
}

function node(overrides: Partial<NodeRecord> = {}): NodeRecord {
  return {
    name: 'n1',
    labels: {},
    ready: true,
    unschedulable: false,
    roles: [],
    kubeletVersion: 'v1',
    osImage: '',
    kernelVersion: '',
    containerRuntimeVersion: 'containerd',
    architecture: 'amd64',
    capacity: { cpu: 4n * CORE, memory: 0n, pods: 110 },
    allocatable: { cpu: 4n * CORE, memory: 0n, pods: 110 },
    conditions: [{ type: 'Ready', status: 'True' }],
    taints: [],
    addresses: [],
    created: '',
    ...overrides,
  };
}

describe('overview views', () => {
  it('reports the worst state over readable kinds: a forbidden kind does not make the cluster look broken', () => {
    const forbidden: KindStatus = { ...synced(), state: 'forbidden', lastSyncedAt: null };
    expect(overallState(statuses({ secrets: forbidden }))).toBe('synced');
    expect(
      overallState(statuses({ secrets: forbidden, pods: { ...synced(), state: 'stale' } })),
    ).toBe('stale');
    expect(overallState(statuses({ nodes: { ...synced(), state: 'syncing' } }))).toBe('syncing');
  });

  it('gives null, not zero, for a count whose kind is forbidden or never synced', () => {
    const a = new ClusterAggregates();
    const o = resourceOverview({
      cluster: { id: 'c', name: 'c' },
      aggregates: a,
      status: statuses({
        secrets: { ...synced(), state: 'forbidden', lastSyncedAt: null },
        services: { ...synced(), state: 'error', lastSyncedAt: null },
      }),
      lastUpdated: 0,
      usage: undefined,
      health: undefined,
    });
    expect(o.counts).toMatchObject({ secrets: null, services: null, deployments: 0 });
    expect(o.cpu.usage).toBeNull();
    expect(o.lastUpdated).toBeNull();
  });

  it('lists namespaces that only their objects name (Namespace objects unreadable) as status Unknown', () => {
    const a = new ClusterAggregates();
    a.named('services', { name: 's', namespace: 'hidden' }, 1);
    const list = namespaceDetails([{ name: 'default', phase: 'Active', created: 't' }], a);
    expect(list.map((n) => [n.name, n.status, n.services])).toEqual([
      ['default', 'Active', 0],
      ['hidden', 'Unknown', 1],
    ]);
  });

  it('derives node status from the Ready condition and the allocated share of allocatable', () => {
    const d = nodeDetail(
      node(),
      { pods: 2, requests: { cpu: CORE, memory: 0n }, limits: { cpu: 2n * CORE, memory: 0n } },
      { cpu: CORE / 2n, memory: 10n * CORE },
    );
    expect(d).toMatchObject({ status: 'Ready', pods: 2, usage: { cpu: 0.5, memory: 10 } });
    expect(d.allocated.requestsShare).toEqual({ cpu: 0.25, memory: null }); // nothing allocatable: no share
    expect(
      nodeDetail(node({ conditions: [{ type: 'Ready', status: 'False' }] }), undefined, undefined)
        .status,
    ).toBe('NotReady');
    expect(nodeDetail(node({ conditions: [] }), undefined, undefined)).toMatchObject({
      status: 'Unknown',
      pods: 0,
      usage: null,
    });
  });
});

describe('node usage and history', () => {
  it('sums a NodeMetricsList and counts malformed entries as zero', () => {
    const usage = usageFromNodeMetrics(
      {
        items: [
          { metadata: { name: 'a' }, usage: { cpu: '250m', memory: '1Gi' } },
          { metadata: { name: 'b' }, usage: { cpu: 'lots' } },
        ],
      },
      new Date(0),
    );
    expect(usage.total).toEqual({ cpu: CORE / 4n, memory: 1024n ** 3n * CORE });
    expect(usage.byNode.get('b')).toEqual({ cpu: 0n, memory: 0n });
  });
});
