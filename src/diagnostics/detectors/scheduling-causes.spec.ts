import { ago, inputOf, node, pod } from '../testing/diagnostics-builders';
import { podUnschedulable } from './pod-unschedulable.detector';
import { schedulerReasons, taintOf } from './scheduler-reasons';

const pending = (name: string, message: string, requests: Record<string, string> = {}) =>
  pod(name, {
    phase: 'Pending',
    ready: false,
    containerStatuses: [],
    conditions: [
      {
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
        message,
        lastTransitionTime: ago(60),
      },
    ],
    spec: { containers: [{ name: 'app', resources: { requests } }] },
  });

const ready = [{ type: 'Ready', status: 'True' }];

/** The pending pod wanting the nodes labelled pool=gpu, as the record keeps it. */
const selecting = (p: ReturnType<typeof pod>) => ({ ...p, nodeSelector: { pool: 'gpu' } });

describe('the scheduler message read back into causes', () => {
  it('splits the reasons before "preemption:" with their node counts, most nodes first', () => {
    const reasons = schedulerReasons(
      '0/5 nodes are available: 1 Insufficient cpu, 4 node(s) had untolerated taint {gpu: true}. preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.',
    );
    expect(reasons.map((r) => [r.nodes, r.cause, r.detail])).toEqual([
      [4, 'untolerated-taint', 'gpu: true'],
      [1, 'insufficient-resources', 'cpu'],
    ]);
  });

  it('knows the older taint wording, affinity, anti-affinity, spread, cordon and volume reasons', () => {
    const causes = [
      "1 node(s) had taint {dedicated: db}, that the pod didn't tolerate",
      "1 node(s) didn't match Pod's node affinity/selector",
      "1 node(s) didn't match pod affinity rules",
      "1 node(s) didn't match pod anti-affinity rules",
      "1 node(s) didn't match pod topology spread constraints",
      '1 node(s) were unschedulable',
      '1 node(s) had volume node affinity conflict',
      '1 something new',
    ].map((r) => schedulerReasons(`0/1 nodes are available: ${r}.`)[0].cause);
    expect(causes).toEqual([
      'untolerated-taint',
      'node-affinity',
      'pod-affinity',
      'pod-anti-affinity',
      'topology-spread',
      'unschedulable-nodes',
      'volume',
      'other',
    ]);
    expect(schedulerReasons('no nodes available to schedule pods')[0].cause).toBe('no-nodes');
    expect(schedulerReasons('something else entirely')).toEqual([]);
    expect(taintOf('gpu: true')).toEqual({ key: 'gpu', value: 'true' });
    expect(taintOf('dedicated')).toEqual({ key: 'dedicated' });
  });
});

describe('POD_UNSCHEDULABLE names the cause', () => {
  const nodes = [
    node('small', ready),
    node('tainted', ready, {
      labels: { pool: 'gpu' },
      spec: { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] },
    }),
  ];

  it('a request larger than any node: names the largest node and the request', () => {
    const [f] = podUnschedulable(
      inputOf({
        pods: [
          pending('huge', '0/2 nodes are available: 2 Insufficient memory.', { memory: '64Gi' }),
        ],
        nodes,
      }),
    );
    expect(f.fields).toMatchObject({
      cause: 'request-larger-than-any-node',
      causeObjects: ['Node small'],
    });
    expect(f.message).toContain('64Gi of memory, more than any node can offer');
  });

  it('a request that fits a node but finds no room is a full cluster, not an impossible request', () => {
    const [f] = podUnschedulable(
      inputOf({
        pods: [
          pending('fits', '0/2 nodes are available: 2 Insufficient memory.', { memory: '1Gi' }),
        ],
        nodes,
      }),
    );
    expect(f.fields.cause).toBe('cluster-full');
  });

  it('an untolerated taint on the nodes the pod selects: names them, though the scheduler (1.30+) no longer prints the taint', () => {
    const [f] = podUnschedulable(
      inputOf({
        pods: [
          selecting(
            pending(
              'gpu',
              "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint(s). preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
            ),
          ),
        ],
        nodes,
      }),
    );
    expect(f.fields).toMatchObject({ cause: 'untolerated-taint', causeObjects: ['Node tainted'] });
    expect(f.suggestion).toContain('toleration for gpu=true:NoSchedule');
  });

  it('without a selector, a taint keeping the pod off a pool is intended: the full cluster is the cause', () => {
    const [f] = podUnschedulable(
      inputOf({
        pods: [
          pending(
            'web',
            '0/2 nodes are available: 1 node(s) had untolerated taint {gpu: true}, 1 Insufficient cpu.',
            { cpu: '1' },
          ),
        ],
        nodes,
      }),
    );
    expect(f.fields.cause).toBe('cluster-full');
  });

  it('an affinity of the template: says so; an unknown reason keeps the scheduler message', () => {
    const [affinity, other] = podUnschedulable(
      inputOf({
        pods: [
          pending('a', "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules."),
          pending('b', '0/2 nodes are available: 2 node(s) had something new.'),
        ],
        nodes,
      }),
    );
    expect(affinity.fields.cause).toBe('pod-anti-affinity');
    expect(other.fields.cause).toBeUndefined();
    expect(other.message).toContain('had something new');
  });

  it('without cached nodes, a resource reason is reported with the scheduler message alone', () => {
    const [f] = podUnschedulable(
      inputOf({
        pods: [pending('x', '0/2 nodes are available: 2 Insufficient cpu.', { cpu: '64' })],
      }),
    );
    expect(f.fields.cause).toBeUndefined();
  });
});
