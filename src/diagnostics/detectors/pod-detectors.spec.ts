import { ago, inputOf, pod, waiting } from '../testing/diagnostics-builders';
import { containerRequests } from './container-requests.detector';
import { podConfigError } from './pod-config-error.detector';
import { podContainerStates } from './pod-container-states.detector';
import { podCrashLoop } from './pod-crash-loop.detector';
import { podFailed } from './pod-failed.detector';
import { podImagePull } from './pod-image-pull.detector';
import { podNotReady } from './pod-not-ready.detector';
import { podOomKilled } from './pod-oom-killed.detector';
import { podReferences } from './pod-references.detector';
import { podRestarting } from './pod-restarting.detector';
import { podUnschedulable } from './pod-unschedulable.detector';
import type { Detector } from './detector';

const codes = (detector: Detector['detect'], pods: ReturnType<typeof pod>[], extra = {}) =>
  detector(inputOf({ pods, ...extra })).map((f) => `${f.code} ${f.object.name}`);

describe('pod detectors', () => {
  it('report CrashLoopBackOff in app, init and sidecar containers, with the restart count and last exit', () => {
    const sidecar = [{ name: 'proxy', restartPolicy: 'Always' }];
    const pods = [
      pod('main', {
        ready: false,
        containerStatuses: [
          waiting('CrashLoopBackOff', 7, {
            lastState: { terminated: { reason: 'Error', exitCode: 2 } },
          }),
        ],
      }),
      pod('init', {
        phase: 'Pending',
        initContainerStatuses: [{ ...waiting('CrashLoopBackOff', 3), name: 'migrate' }],
      }),
      pod('side', {
        initContainers: sidecar,
        initContainerStatuses: [{ ...waiting('CrashLoopBackOff', 4), name: 'proxy' }],
      }),
    ];
    const found = podCrashLoop(inputOf({ pods }));
    expect(found.map((f) => f.object.name)).toEqual(['main', 'init', 'side']);
    expect(found[0].message).toContain('7 restarts, last exit Error code 2');
    expect(found[1].message).toContain('init container migrate');
    expect(found[2].message).toContain('sidecar container proxy');
    expect(found[0].fields['status.containerStatuses[name=app].restartCount']).toBe(7);
  });

  it('do not report a sidecar that restarted once an hour ago and is ready now, nor a completed init container', () => {
    const pods = [
      pod('healthy', {
        initContainers: [{ name: 'proxy', restartPolicy: 'Always' }, { name: 'migrate' }],
        initContainerStatuses: [
          {
            name: 'proxy',
            ready: true,
            restartCount: 1,
            state: { running: {} },
            lastState: { terminated: { reason: 'Error', exitCode: 1, finishedAt: ago(3600) } },
          },
          {
            name: 'migrate',
            ready: false,
            restartCount: 0,
            state: { terminated: { reason: 'Completed', exitCode: 0 } },
          },
        ],
      }),
    ];
    for (const d of [
      podCrashLoop,
      podImagePull,
      podOomKilled,
      podConfigError,
      podNotReady,
      podFailed,
    ])
      expect(codes(d, pods)).toEqual([]);
    expect(pods[0].containers?.map((c) => c.name)).toEqual(['proxy']);
  });

  it('report image pull failures and container config errors by their waiting reason', () => {
    const pods = [
      pod('pull', { phase: 'Pending', ready: false, containerStatuses: [waiting('ErrImagePull')] }),
      pod('backoff', {
        phase: 'Pending',
        ready: false,
        containerStatuses: [waiting('ImagePullBackOff')],
      }),
      pod('config', {
        phase: 'Pending',
        ready: false,
        containerStatuses: [waiting('CreateContainerConfigError')],
      }),
      pod('creating', {
        phase: 'Pending',
        ready: false,
        containerStatuses: [waiting('ContainerCreating')],
      }),
    ];
    expect(codes(podImagePull, pods)).toEqual(['POD_IMAGE_PULL pull', 'POD_IMAGE_PULL backoff']);
    expect(codes(podConfigError, pods)).toEqual(['POD_CONTAINER_CONFIG_ERROR config']);
  });

  it('find in one walk what the five container checks find one by one, check by check', () => {
    const restarted = (name: string) =>
      pod(name, {
        containerStatuses: [
          {
            name: 'app',
            ready: true,
            restartCount: 5,
            state: { running: {} },
            lastState: { terminated: { reason: 'Error', exitCode: 137, finishedAt: ago(60) } },
          },
        ],
      });
    const pods = [
      restarted('restart-1'),
      pod('crash', { ready: false, containerStatuses: [waiting('CrashLoopBackOff', 4)] }),
      pod('pull', { phase: 'Pending', ready: false, containerStatuses: [waiting('ErrImagePull')] }),
      pod('done', {
        phase: 'Succeeded',
        ready: false,
        containerStatuses: [waiting('ErrImagePull')],
      }),
      pod('config', { ready: false, containerStatuses: [waiting('CreateContainerError')] }),
      restarted('restart-2'),
      pod('fine'),
    ];
    const input = inputOf({ pods });
    const oneByOne = [
      podCrashLoop,
      podImagePull,
      podOomKilled,
      podConfigError,
      podRestarting,
    ].flatMap((d) => d(input));
    expect(podContainerStates(input)).toEqual(oneByOne);
    expect(oneByOne.map((f) => `${f.code} ${f.object.name}`)).toEqual([
      'POD_CRASH_LOOP crash',
      'POD_IMAGE_PULL pull',
      'POD_CONTAINER_CONFIG_ERROR config',
      'POD_RESTARTING restart-1',
      'POD_RESTARTING restart-2',
    ]);
  });

  it('report an OOMKilled last termination that is recent or left the container unready, not one long ago', () => {
    const oom = (finishedAt: string, ready: boolean) => ({
      name: 'app',
      ready,
      restartCount: 1,
      state: { running: {} },
      lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt } },
    });
    const pods = [
      pod('recent', { containerStatuses: [oom(ago(120), true)] }),
      pod('unready', { ready: false, containerStatuses: [oom(ago(7200), false)] }),
      pod('old', { containerStatuses: [oom(ago(7200), true)] }),
    ];
    expect(codes(podOomKilled, pods)).toEqual(['POD_OOM_KILLED recent', 'POD_OOM_KILLED unready']);
  });

  it('report a pod not ready for more than five minutes, unless another detector explains it', () => {
    const unready = (name: string, since: string, statuses?: Record<string, any>[]) =>
      pod(name, {
        ready: false,
        conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: since }],
        containerStatuses: statuses ?? [
          { name: 'app', ready: false, restartCount: 0, state: { running: {} } },
        ],
      });
    const pods = [
      unready('long', ago(600)),
      unready('short', ago(60)),
      unready('crashing', ago(600), [waiting('CrashLoopBackOff', 4)]),
      pod('job-done', { phase: 'Succeeded', ready: false }),
    ];
    expect(codes(podNotReady, pods)).toEqual(['POD_NOT_READY long']);
  });

  it('report an unschedulable Pending pod with the scheduler message', () => {
    const found = podUnschedulable(
      inputOf({
        pods: [
          pod('stuck', {
            phase: 'Pending',
            conditions: [
              {
                type: 'PodScheduled',
                status: 'False',
                reason: 'Unschedulable',
                message: '0/2 nodes are available',
              },
            ],
            containerStatuses: [],
          }),
          pod('binding', { phase: 'Pending', conditions: [], containerStatuses: [] }),
        ],
      }),
    );
    expect(found.map((f) => f.object.name)).toEqual(['stuck']);
    expect(found[0].message).toContain('0/2 nodes are available');
  });

  it('report evicted pods and failed bare pods, but neither a Job\u2019s failed pod nor a Succeeded pod', () => {
    const pods = [
      pod('evicted', { phase: 'Failed', status: { reason: 'Evicted', message: 'low on memory' } }),
      pod('bare', { phase: 'Failed' }),
      pod('job-pod', { phase: 'Failed', owner: { kind: 'Job', name: 'j' } }),
      pod('done', { phase: 'Succeeded', owner: { kind: 'Job', name: 'j' } }),
    ];
    expect(codes(podFailed, pods)).toEqual(['POD_EVICTED evicted', 'POD_FAILED bare']);
  });

  it('report references to missing ConfigMaps, Secrets, PVCs and ServiceAccounts, but not optional ones', () => {
    const p = pod('web', {
      spec: {
        serviceAccountName: 'deployer',
        volumes: [
          { name: 'c', configMap: { name: 'present' } },
          { name: 'd', configMap: { name: 'maybe', optional: true } },
          { name: 'p', persistentVolumeClaim: { claimName: 'data' } },
        ],
        containers: [
          {
            name: 'app',
            envFrom: [{ secretRef: { name: 'creds' } }],
            resources: { requests: { cpu: '1' } },
          },
        ],
      },
    });
    const found = podReferences(
      inputOf({
        pods: [p],
        configmaps: [{ name: 'present', namespace: 'shop' }],
        secrets: [],
        persistentvolumeclaims: [],
        serviceaccounts: [{ name: 'default', namespace: 'shop' }],
      }),
    );
    expect(found.map((f) => f.code)).toEqual([
      'POD_MISSING_SECRET',
      'POD_MISSING_PVC',
      'POD_MISSING_SERVICE_ACCOUNT',
    ]);
  });

  it('judge each replica of a template in its own namespace and account, whatever the pod before it found', () => {
    // One spec: the replicas share one interned refs object, and follow each other in the listing.
    const spec = { volumes: [{ name: 'c', configMap: { name: 'settings' } }] };
    const replica = (name: string, namespace: string, serviceAccountName = 'default') =>
      pod(name, { namespace, spec: { ...spec, serviceAccountName } });
    const pods = [
      replica('a-1', 'has'),
      replica('a-2', 'has'),
      replica('b-1', 'lacks'),
      replica('b-2', 'lacks'),
      replica('c-1', 'has'),
      replica('c-2', 'has', 'robot'),
      replica('c-3', 'has'),
    ];
    expect(pods[0].refs).toBe(pods[2].refs);
    const found = podReferences(
      inputOf({
        pods,
        configmaps: [{ name: 'settings', namespace: 'has' }],
        serviceaccounts: [{ name: 'default', namespace: 'has' }],
      }),
    );
    expect(found.map((f) => `${f.code} ${f.object.name}`)).toEqual([
      'POD_MISSING_CONFIGMAP b-1',
      'POD_MISSING_CONFIGMAP b-2',
      'POD_MISSING_SERVICE_ACCOUNT c-2',
    ]);
  });

  it('say nothing about references when their kind is not cached (forbidden): absence is not proof', () => {
    const p = pod('web', { spec: { volumes: [{ name: 's', secret: { secretName: 'x' } }] } });
    expect(podReferences(inputOf({ pods: [p] }))).toEqual([]);
  });

  it('report running containers without requests, not finished pods', () => {
    const bare = {
      containers: [{ name: 'app' }, { name: 'log', resources: { requests: { memory: '1Mi' } } }],
    };
    const pods = [
      pod('bare', { spec: bare }),
      pod('done', { phase: 'Succeeded', spec: bare }),
      pod('ok'),
    ];
    const found = containerRequests(inputOf({ pods }));
    expect(found.map((f) => f.object.name)).toEqual(['bare']);
    expect(found[0].fields.containers).toEqual(['app']);
  });
});
