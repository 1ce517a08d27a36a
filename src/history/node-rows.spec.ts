import { ClusterAggregates } from '../monitor/cluster-aggregates';
import type { NodeRecord } from '../cluster-state/records/node';
import type { PodRecord } from '../cluster-state/records/pod';
import { nodeAndPoolValues, nodePoolOf } from './node-rows';

const CORE = 1_000_000_000n;
const GI = 1024n * 1024n * 1024n * 1_000_000_000n;
const POOL_LABELS = ['cloud.google.com/gke-nodepool', 'karpenter.sh/nodepool'];

const node = (name: string, labels: Record<string, string>, ready = true): NodeRecord => ({
  name,
  labels,
  ready,
  unschedulable: false,
  roles: [],
  kubeletVersion: '',
  osImage: '',
  kernelVersion: '',
  containerRuntimeVersion: '',
  architecture: '',
  capacity: { cpu: 4n * CORE, memory: 16n * GI, pods: 110 },
  allocatable: { cpu: 4n * CORE, memory: 16n * GI, pods: 100 },
  conditions: [],
  taints: [],
  addresses: [],
  created: '',
});

const pod = (name: string, nodeName: string, phase: PodRecord['phase'] = 'Running'): PodRecord => ({
  name,
  namespace: 'shop',
  labels: {},
  nodeName,
  phase,
  ready: true,
  requests: { cpu: CORE, memory: GI },
  limits: { cpu: 2n * CORE, memory: 2n * GI },
});

describe('nodePoolOf', () => {
  it('takes the first pool label the node carries, and no pool without one', () => {
    expect(nodePoolOf(node('a', { 'karpenter.sh/nodepool': 'spot' }), POOL_LABELS)).toBe('spot');
    expect(
      nodePoolOf(
        node('b', { 'karpenter.sh/nodepool': 'x', 'cloud.google.com/gke-nodepool': 'y' }),
        POOL_LABELS,
      ),
    ).toBe('y');
    expect(nodePoolOf(node('c', { type: 'kwok' }), POOL_LABELS)).toBeUndefined();
  });
});

describe('nodeAndPoolValues', () => {
  const nodes = [
    node('a', { 'cloud.google.com/gke-nodepool': 'default' }),
    node('b', { 'cloud.google.com/gke-nodepool': 'default' }, false),
    node('c', {}),
  ];
  const aggregates = new ClusterAggregates();
  for (const n of nodes) aggregates.node(n, 1);
  aggregates.pod(pod('p1', 'a'), 1);
  aggregates.pod(pod('p2', 'a'), 1);
  aggregates.pod(pod('p3', 'b'), 1);
  aggregates.pod(pod('done', 'b', 'Succeeded'), 1);

  it('gives each node the requests, limits and pods of its non-terminated pods and its allocatable', () => {
    const { nodes: rows } = nodeAndPoolValues(nodes, aggregates, undefined, POOL_LABELS);
    expect(rows.find((r) => r.name === 'a')!.values).toEqual({
      requestsCpu: 2,
      requestsMemory: 2 * 1024 ** 3,
      limitsCpu: 4,
      limitsMemory: 4 * 1024 ** 3,
      allocatableCpu: 4,
      allocatableMemory: 16 * 1024 ** 3,
      allocatablePods: 100,
      pods: 2,
      usageCpu: null,
      usageMemory: null,
      ready: 1,
    });
    expect(rows.find((r) => r.name === 'c')!.values).toMatchObject({ pods: 0, requestsCpu: 0 });
  });

  it('sums a pool over its nodes, counts its nodes, and leaves unlabelled nodes out of every pool', () => {
    const { pools } = nodeAndPoolValues(nodes, aggregates, undefined, POOL_LABELS);
    expect(pools).toHaveLength(1);
    expect(pools[0]).toMatchObject({
      name: 'default',
      values: {
        requestsCpu: 3,
        allocatableCpu: 8,
        allocatablePods: 200,
        pods: 3,
        nodesTotal: 2,
        nodesReady: 1,
      },
    });
  });

  it('records usage per node, and a pool usage only when every node of it was measured', () => {
    const usage = {
      at: 'T',
      total: { cpu: 3n * CORE, memory: 3n * GI },
      byNode: new Map([['a', { cpu: CORE, memory: GI }]]),
    };
    const { nodes: rows, pools } = nodeAndPoolValues(nodes, aggregates, usage, POOL_LABELS);
    expect(rows.find((r) => r.name === 'a')!.values).toMatchObject({ usageCpu: 1 });
    expect(pools[0].values).toMatchObject({ usageCpu: null, usageMemory: null });
  });
});
