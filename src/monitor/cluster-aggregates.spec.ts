import { ClusterAggregates } from './cluster-aggregates';
import type { NodeRecord } from '../cluster-state/records/node';
import type { PodRecord } from '../cluster-state/records/pod';

const GI = 1024n ** 3n * 1_000_000_000n;
const CORE = 1_000_000_000n;

function pod(overrides: Partial<PodRecord> = {}): PodRecord {
  return {
    name: 'p',
    namespace: 'ns',
    labels: {},
    nodeName: 'n1',
    phase: 'Running',
    ready: true,
    requests: { cpu: CORE / 2n, memory: GI },
    limits: { cpu: CORE, memory: 2n * GI },
    ...overrides,
  };
}

function node(overrides: Partial<NodeRecord> = {}): NodeRecord {
  return {
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
    capacity: { cpu: 8n * CORE, memory: 32n * GI, pods: 110 },
    allocatable: { cpu: 7n * CORE, memory: 30n * GI, pods: 110 },
    conditions: [],
    taints: [],
    addresses: [],
    created: '',
    ...overrides,
  };
}

describe('ClusterAggregates', () => {
  it('counts pods by phase and running pods that are not ready', () => {
    const a = new ClusterAggregates();
    a.pod(pod({ name: 'a' }), 1);
    a.pod(pod({ name: 'b', ready: false }), 1);
    a.pod(pod({ name: 'c', phase: 'Pending', nodeName: '' }), 1);
    a.pod(pod({ name: 'd', phase: 'Failed' }), 1);
    a.pod(pod({ name: 'e', phase: 'Succeeded' }), 1);
    a.pod(pod({ name: 'f', phase: 'Unknown' }), 1);
    expect(a.phases).toEqual({
      running: 2,
      pending: 1,
      succeeded: 1,
      failed: 1,
      unknown: 1,
      notReadyRunning: 1,
    });
    expect(a.namespace('ns')!.phases).toEqual(a.phases);
    expect(a.namespace('ns')!.pods).toBe(6);
  });

  it('sums requests and limits of non-terminated pods only, per cluster, namespace and node', () => {
    const a = new ClusterAggregates();
    a.pod(pod({ name: 'a' }), 1);
    a.pod(pod({ name: 'b', phase: 'Pending', nodeName: '' }), 1);
    a.pod(pod({ name: 'c', phase: 'Succeeded' }), 1);
    expect(a.pods.requests).toEqual({ cpu: CORE, memory: 2n * GI });
    expect(a.namespace('ns')!.limits).toEqual({ cpu: 2n * CORE, memory: 4n * GI });
    // The unscheduled and the terminated pod hold nothing on n1.
    expect(a.allocation('n1')).toEqual({
      pods: 1,
      requests: { cpu: CORE / 2n, memory: GI },
      limits: { cpu: CORE, memory: 2n * GI },
    });
  });

  it('an update is remove-then-add: a phase change moves the pod and its resources', () => {
    const a = new ClusterAggregates();
    const running = pod();
    a.pod(running, 1);
    const failed = pod({ phase: 'Failed' });
    a.pod(running, -1);
    a.pod(failed, 1);
    expect(a.phases.running).toBe(0);
    expect(a.phases.failed).toBe(1);
    expect(a.pods.requests).toEqual({ cpu: 0n, memory: 0n });
    expect(a.allocation('n1')).toBeUndefined();
  });

  it('stays exact after a million adds and removes of fractional quantities', () => {
    const a = new ClusterAggregates();
    const odd = pod({
      requests: { cpu: 1n, memory: 333_333_333n },
      limits: { cpu: 0n, memory: 0n },
    });
    for (let i = 0; i < 1_000_000; i += 1) a.pod(odd, 1);
    for (let i = 0; i < 999_999; i += 1) a.pod(odd, -1);
    expect(a.pods.requests).toEqual({ cpu: 1n, memory: 333_333_333n });
  });

  it('drops a namespace entry once it holds nothing, so deleted namespaces do not leak', () => {
    const a = new ClusterAggregates();
    a.named('services', { name: 's', namespace: 'gone' }, 1);
    a.pod(pod({ namespace: 'gone' }), 1);
    expect(a.namespaceNames()).toEqual(['gone']);
    a.named('services', { name: 's', namespace: 'gone' }, -1);
    a.pod(pod({ namespace: 'gone' }), -1);
    expect(a.namespaceNames()).toEqual([]);
    expect(a.counts.services).toBe(0);
  });

  it('counts nodes as ready, not ready and unschedulable, and sums allocatable and capacity', () => {
    const a = new ClusterAggregates();
    a.node(node({ name: 'a' }), 1);
    a.node(node({ name: 'b', ready: false, unschedulable: true }), 1);
    expect(a.nodes).toMatchObject({ total: 2, ready: 1, notReady: 1, unschedulable: 1 });
    expect(a.nodes.allocatable).toEqual({ cpu: 14n * CORE, memory: 60n * GI });
    a.node(node({ name: 'b', ready: false, unschedulable: true }), -1);
    expect(a.nodes).toMatchObject({ total: 1, ready: 1, notReady: 0, unschedulable: 0 });
    expect(a.nodes.capacity).toEqual({ cpu: 8n * CORE, memory: 32n * GI });
  });
});
