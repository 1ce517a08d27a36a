import { slimWarningEvent } from '../../cluster-state/records/event';
import { slimWorkload } from '../../cluster-state/records/workload';
import { ago, inputOf, node, pod } from '../testing/diagnostics-builders';
import { nodeConditions } from './node-conditions.detector';
import { nodeTaints } from './node-taints.detector';
import { podRestarting } from './pod-restarting.detector';
import { priorityClasses } from './priority-class.detector';

const labels = (found: { code: string; object: { name: string } }[]) =>
  found.map((f) => `${f.code} ${f.object.name}`).sort();
const ok = { type: 'Ready', status: 'True' };

describe('node conditions and taints', () => {
  it('reports NetworkUnavailable and node-problem-detector conditions that are True, not False or Unknown ones', () => {
    const found = nodeConditions(
      inputOf({
        nodes: [
          node('no-route', [
            ok,
            { type: 'NetworkUnavailable', status: 'True', reason: 'NoRouteCreated' },
          ]),
          node('deadlock', [ok, { type: 'KernelDeadlock', status: 'True', reason: 'DockerHung' }]),
          node('routed', [
            ok,
            { type: 'NetworkUnavailable', status: 'False', reason: 'RouteCreated' },
          ]),
          node('npd-fine', [
            ok,
            { type: 'ReadonlyFilesystem', status: 'False' },
            { type: 'FrequentKubeletRestart', status: 'Unknown' },
          ]),
          // Pressure and readiness are NODE_PRESSURE / NODE_NOT_READY: not twice.
          node('pressed', [ok, { type: 'MemoryPressure', status: 'True' }]),
        ],
      }),
    );
    expect(labels(found)).toEqual(['NODE_CONDITION deadlock', 'NODE_CONDITION no-route']);
    expect(found.find((f) => f.object.name === 'no-route')?.suggestion).toContain('CNI');
  });

  const tainted = (name: string, taints: Record<string, any>[]) =>
    node(name, [ok], { spec: { taints } });
  const tolerating = (name: string, tolerations: Record<string, any>[]) =>
    pod(name, { spec: { tolerations } });

  it('reports a blocking taint no pod tolerates, not one a pod tolerates (by key, key=value or everything), PreferNoSchedule, or the lifecycle taints', () => {
    const found = nodeTaints(
      inputOf({
        nodes: [
          tainted('orphan', [{ key: 'dedicated', value: 'ml', effect: 'NoSchedule' }]),
          tainted('gpu', [{ key: 'gpu', value: 'true', effect: 'NoExecute' }]),
          tainted('db', [{ key: 'db', value: 'x', effect: 'NoSchedule' }]),
          tainted('soft', [{ key: 'spot', effect: 'PreferNoSchedule' }]),
          tainted('cordoned', [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]),
          tainted('other-value', [{ key: 'db', value: 'y', effect: 'NoSchedule' }]),
        ],
        pods: [
          tolerating('trainer', [{ key: 'gpu', operator: 'Exists' }]),
          tolerating('pg', [{ key: 'db', operator: 'Equal', value: 'x', effect: 'NoSchedule' }]),
          tolerating('web', [
            { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
          ]),
        ],
      }),
    );
    expect(labels(found)).toEqual([
      'NODE_TAINT_UNTOLERATED orphan',
      'NODE_TAINT_UNTOLERATED other-value',
    ]);
    const all = nodeTaints(
      inputOf({
        nodes: [tainted('orphan', [{ key: 'dedicated', effect: 'NoSchedule' }])],
        pods: [tolerating('agent', [{ operator: 'Exists' }])],
      }),
    );
    expect(all).toEqual([]);
  });
});

describe('POD_RESTARTING', () => {
  const restarted = (
    name: string,
    restarts: number,
    secondsAgo: number,
    reason = 'Error',
    exitCode = 137,
  ) =>
    pod(name, {
      containerStatuses: [
        {
          name: 'app',
          ready: true,
          restartCount: restarts,
          state: { running: {} },
          lastState: { terminated: { reason, exitCode, finishedAt: ago(secondsAgo) } },
        },
      ],
    });

  it('reports a running container restarted again and again within the hour, naming liveness kills', () => {
    const [f] = podRestarting(inputOf({ pods: [restarted('liveness', 7, 60)] }));
    expect(f).toMatchObject({ code: 'POD_RESTARTING', severity: 'warning' });
    expect(f.message).toContain('failed liveness probes');
  });

  it('is silent on one restart long ago, few restarts, an OOM kill (POD_OOM_KILLED) and a crash loop (POD_CRASH_LOOP)', () => {
    const looping = pod('looping', {
      ready: false,
      containerStatuses: [
        {
          name: 'app',
          ready: false,
          restartCount: 9,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { reason: 'Error', exitCode: 1, finishedAt: ago(10) } },
        },
      ],
    });
    const found = podRestarting(
      inputOf({
        pods: [
          restarted('long-ago', 9, 7200),
          restarted('twice', 2, 60),
          restarted('oom', 9, 60, 'OOMKilled'),
          looping,
        ],
      }),
    );
    expect(found).toEqual([]);
  });
});

describe('POD_MISSING_PRIORITY_CLASS', () => {
  const refusal =
    'pods "web-7c9-" is forbidden: no PriorityClass with name critical-batch was found';

  it('names the class on the Deployment whose ReplicaSet admission refuses, and on a StatefulSet from its recent FailedCreate', () => {
    const rs = slimWorkload({
      metadata: {
        name: 'web-7c9',
        namespace: 'shop',
        ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true }],
      },
      spec: { replicas: 2 },
      status: {
        conditions: [
          { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: refusal },
        ],
      },
    });
    const sts = slimWorkload({
      metadata: { name: 'db', namespace: 'shop' },
      spec: { replicas: 1 },
      status: {},
    });
    const event = (last: string, kind = 'StatefulSet') =>
      slimWarningEvent({
        metadata: { name: `e-${last}`, namespace: 'shop' },
        involvedObject: { kind, name: 'db', namespace: 'shop' },
        reason: 'FailedCreate',
        message:
          'create Pod db-0 in StatefulSet db failed error: pods "db-0" is forbidden: no PriorityClass with name high was found',
        lastTimestamp: last,
      });
    const found = priorityClasses(
      inputOf({
        replicasets: [rs],
        statefulsets: [sts],
        daemonsets: [],
        warningevents: [event(ago(30))],
      }),
    );
    expect(found.map((f) => [f.object.kind, f.object.name, f.fields.causeObjects])).toEqual([
      ['Deployment', 'web', ['PriorityClass critical-batch']],
      ['StatefulSet', 'db', ['PriorityClass high']],
    ]);
    // An hour-old refusal of a StatefulSet proves nothing about now.
    const stale = priorityClasses(
      inputOf({
        replicasets: [],
        statefulsets: [sts],
        daemonsets: [],
        warningevents: [event(ago(3600))],
      }),
    );
    expect(stale).toEqual([]);
  });
});
