import { ClusterAggregates } from '../monitor/cluster-aggregates';
import type { NodeRecord } from '../cluster-state/records/node';
import type { PodRecord } from '../cluster-state/records/pod';
import { historyRows, slotOf } from './history-rows';

const CORE = 1_000_000_000n;
const MI = 1024n * 1024n * 1_000_000_000n;

const pod = (namespace: string, phase: PodRecord['phase'] = 'Running'): PodRecord => ({
  name: `p-${namespace}-${phase}`,
  namespace,
  labels: {},
  nodeName: 'n1',
  phase,
  ready: true,
  requests: { cpu: CORE / 4n, memory: 256n * MI },
  limits: { cpu: CORE / 2n, memory: 512n * MI },
});

const node = (): NodeRecord => ({
  name: 'n1',
  labels: {},
  ready: true,
  unschedulable: false,
  roles: [],
  kubeletVersion: '',
  osImage: '',
  kernelVersion: '',
  containerRuntimeVersion: '',
  architecture: '',
  capacity: { cpu: 4n * CORE, memory: 8192n * MI, pods: 110 },
  allocatable: { cpu: 3n * CORE, memory: 6144n * MI, pods: 110 },
  conditions: [],
  taints: [],
  addresses: [],
  created: '',
});

describe('slotOf', () => {
  it('gives every moment of one tick the same slot and the next tick the next slot', () => {
    expect(slotOf(10_000, 5000)).toBe(2);
    expect(slotOf(14_999, 5000)).toBe(2);
    expect(slotOf(15_000, 5000)).toBe(3);
  });
});

describe('historyRows', () => {
  const aggregates = new ClusterAggregates();
  aggregates.node(node(), 1);
  aggregates.pod(pod('shop'), 1);
  aggregates.pod(pod('shop', 'Pending'), 1);
  aggregates.pod(pod('payments', 'Failed'), 1);

  it('writes one cluster row with requests, limits and allocatable in cores and bytes', () => {
    const rows = historyRows({ clusterId: 'c1', aggregates, usage: undefined }, 7, 'T');
    expect(rows[0]).toEqual({
      clusterId: 'c1',
      scope: 'cluster',
      name: '',
      slot: 7,
      at: 'T',
      values: {
        nodesTotal: 1,
        nodesReady: 1,
        podsRunning: 1,
        podsPending: 1,
        podsFailed: 1,
        podsSucceeded: 0,
        // The Failed pod holds nothing: two pods of 0.25 core and 256 MiB each.
        requestsCpu: 0.5,
        requestsMemory: 512 * 1024 * 1024,
        limitsCpu: 1,
        limitsMemory: 1024 * 1024 * 1024,
        allocatableCpu: 3,
        allocatableMemory: 6144 * 1024 * 1024,
        usageCpu: null,
        usageMemory: null,
      },
    });
  });

  it('writes one row per namespace holding pods, with the same slot', () => {
    const rows = historyRows({ clusterId: 'c1', aggregates, usage: undefined }, 7, 'T');
    const shop = rows.find((r) => r.scope === 'namespace' && r.name === 'shop');
    expect(
      rows
        .filter((r) => r.scope === 'namespace')
        .map((r) => r.name)
        .sort(),
    ).toEqual(['payments', 'shop']);
    expect(shop).toMatchObject({ slot: 7, values: { pods: 2, podsRunning: 1, requestsCpu: 0.5 } });
  });

  it('records usage when metrics.k8s.io gave some', () => {
    const usage = { at: 'T', total: { cpu: CORE, memory: 1024n * MI }, byNode: new Map() };
    const [cluster] = historyRows({ clusterId: 'c1', aggregates, usage }, 1, 'T');
    expect(cluster.values).toMatchObject({ usageCpu: 1, usageMemory: 1024 * 1024 * 1024 });
  });

  it('records usage per namespace when read per pod, 0 for a namespace without series', () => {
    const usage = {
      at: 'T',
      total: { cpu: CORE, memory: 1024n * MI },
      byNode: new Map(),
      byNamespace: new Map([['shop', { cpu: CORE / 2n, memory: 300n * MI }]]),
    };
    const rows = historyRows({ clusterId: 'c1', aggregates, usage }, 1, 'T');
    const ns = (name: string) => rows.find((r) => r.scope === 'namespace' && r.name === name);
    expect(ns('shop')!.values).toMatchObject({ usageCpu: 0.5, usageMemory: 300 * 1024 * 1024 });
    expect(ns('payments')!.values).toMatchObject({ usageCpu: 0, usageMemory: 0 });
  });

  it('leaves namespace usage out when only node usage is known', () => {
    const usage = { at: 'T', total: { cpu: CORE, memory: 1024n * MI }, byNode: new Map() };
    const rows = historyRows({ clusterId: 'c1', aggregates, usage }, 1, 'T');
    expect(rows.find((r) => r.scope === 'namespace')!.values).not.toHaveProperty('usageCpu');
  });
});
