import { slimCronJob, slimJob } from '../../cluster-state/records/batch';
import {
  slimIngress,
  slimNetworkPolicy,
  slimEndpointSlice,
} from '../../cluster-state/records/networking';
import { slimHpa, slimPdb, slimWebhookConfig } from '../../cluster-state/records/policy';
import { slimSpecObject } from '../../cluster-state/records/spec-object';
import { slimPvc, slimStorageClass } from '../../cluster-state/records/storage';
import { slimDaemonSet, slimWorkload } from '../../cluster-state/records/workload';
import { ago, inputOf, node, NOW, pod } from '../testing/diagnostics-builders';
import { hpas } from './hpa.detector';
import { ingresses } from './ingress.detector';
import { jobs } from './jobs.detector';
import { networkPolicies } from './network-policy.detector';
import { nodeOvercommit } from './node-overcommit.detector';
import { nodes } from './nodes.detector';
import { pdbs } from './pdb.detector';
import { pvcPending } from './pvc-pending.detector';
import { services } from './service.detector';
import { webhooks } from './webhooks.detector';
import { workloadAvailability } from './workload-availability.detector';

const meta = (name: string, namespace = 'shop', extra: Record<string, any> = {}) => ({
  name,
  namespace,
  creationTimestamp: ago(3600),
  ...extra,
});
const svc = (name: string, spec: Record<string, any>, namespace = 'shop') =>
  slimSpecObject({ metadata: { name, namespace }, spec });
const names = (found: { code: string; object: { name: string } }[]) =>
  found.map((f) => `${f.code} ${f.object.name}`);

const workloads = { deployments: [], statefulsets: [], daemonsets: [], replicasets: [] };

describe('workload detectors', () => {
  it('report a rollout past its deadline and an unavailable Deployment, not a paused one at full availability', () => {
    const deployment = (name: string, spec: Record<string, any>, status: Record<string, any>) =>
      slimWorkload({ metadata: meta(name), spec, status });
    const found = workloadAvailability(
      inputOf({
        ...workloads,
        deployments: [
          deployment(
            'stuck',
            { replicas: 3 },
            {
              availableReplicas: 3,
              updatedReplicas: 1,
              conditions: [
                {
                  type: 'Progressing',
                  status: 'False',
                  reason: 'ProgressDeadlineExceeded',
                  message: 'timed out',
                },
              ],
            },
          ),
          deployment(
            'down',
            { replicas: 2 },
            {
              availableReplicas: 0,
              conditions: [
                { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' },
              ],
            },
          ),
          deployment(
            'paused',
            { replicas: 2, paused: true },
            {
              availableReplicas: 2,
              conditions: [
                { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused' },
                { type: 'Available', status: 'True' },
              ],
            },
          ),
          deployment(
            'rolling',
            { replicas: 4 },
            {
              availableReplicas: 3,
              conditions: [
                { type: 'Available', status: 'True' },
                { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' },
              ],
            },
          ),
        ],
      }),
    );
    expect(names(found)).toEqual(['DEPLOYMENT_ROLLOUT_STUCK stuck', 'DEPLOYMENT_UNAVAILABLE down']);
    expect(found[1].severity).toBe('critical');
  });

  it('report StatefulSets short of ready replicas, DaemonSets unavailable or misscheduled, ReplicaSets that cannot create pods', () => {
    const found = workloadAvailability(
      inputOf({
        ...workloads,
        statefulsets: [
          slimWorkload({
            metadata: meta('db'),
            spec: { replicas: 3 },
            status: { readyReplicas: 1 },
          }),
          slimWorkload({
            metadata: meta('ok'),
            spec: { replicas: 2 },
            status: { readyReplicas: 2 },
          }),
        ],
        daemonsets: [
          slimDaemonSet({
            metadata: meta('agent'),
            status: { desiredNumberScheduled: 3, numberAvailable: 2, numberMisscheduled: 1 },
          }),
        ],
        replicasets: [
          slimWorkload({
            metadata: meta('web-1'),
            spec: { replicas: 1 },
            status: {
              conditions: [
                {
                  type: 'ReplicaFailure',
                  status: 'True',
                  reason: 'FailedCreate',
                  message: 'exceeded quota',
                },
              ],
            },
          }),
        ],
      }),
    );
    expect(names(found)).toEqual([
      'STATEFULSET_UNAVAILABLE db',
      'DAEMONSET_UNAVAILABLE agent',
      'DAEMONSET_MISSCHEDULED agent',
      'REPLICASET_CREATE_FAILED web-1',
    ]);
  });

  it('report a failed Job, a CronJob whose latest run failed, and a suspended one after a failure; a later success clears it', () => {
    const job = (name: string, created: string, failed: boolean, owner?: string) =>
      slimJob({
        metadata: {
          ...meta(name),
          creationTimestamp: created,
          ...(owner
            ? { ownerReferences: [{ kind: 'CronJob', name: owner, controller: true }] }
            : {}),
        },
        status: failed
          ? {
              failed: 1,
              conditions: [
                {
                  type: 'Failed',
                  status: 'True',
                  reason: 'BackoffLimitExceeded',
                  message: 'too many',
                },
              ],
            }
          : { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] },
      });
    const found = jobs(
      inputOf({
        jobs: [
          job('once', ago(100), true),
          job('nightly-1', ago(200), true, 'nightly'),
          job('hourly-1', ago(200), true, 'hourly'),
          job('hourly-2', ago(100), false, 'hourly'),
          job('paused-1', ago(100), true, 'paused'),
        ],
        cronjobs: ['nightly', 'hourly', 'paused'].map((n) =>
          slimCronJob({ metadata: meta(n), spec: { schedule: '@daily', suspend: n === 'paused' } }),
        ),
      }),
    );
    expect(names(found)).toEqual([
      'JOB_FAILED once',
      'CRONJOB_FAILING nightly',
      'CRONJOB_SUSPENDED_AFTER_FAILURE paused',
    ]);
  });
});

describe('configuration detectors', () => {
  it('report a Service matching no pod (naming the namespace that has them) and one with no ready endpoint; skip ExternalName, selector-less and healthy headless Services', () => {
    const pods = [
      // Two replicas: one alone would be SERVICE_SINGLE_ENDPOINT (service-backends.spec.ts).
      pod('web-1', { labels: { app: 'web' } }),
      pod('web-2', { labels: { app: 'web' } }),
      pod('api-1', { labels: { app: 'api' }, ready: false, namespace: 'shop' }),
      pod('db-0', { labels: { app: 'db' }, namespace: 'shop' }),
      pod('other', { labels: { app: 'cart' }, namespace: 'store' }),
    ];
    const found = services(
      inputOf({
        pods,
        services: [
          svc('web', { selector: { app: 'web' } }),
          svc('api', { selector: { app: 'api' } }),
          svc('cart', { selector: { app: 'cart' } }),
          svc('gone', { selector: { app: 'gone' } }),
          svc('ext', { type: 'ExternalName', externalName: 'x.example' }),
          svc('manual', {}),
          svc('db', { clusterIP: 'None', selector: { app: 'db' } }),
        ],
        endpointslices: [
          slimEndpointSlice({
            metadata: {
              name: 'db-x',
              namespace: 'shop',
              labels: { 'kubernetes.io/service-name': 'db' },
            },
            endpoints: [{ conditions: { ready: true } }],
          }),
        ],
      }),
    );
    expect(names(found)).toEqual([
      'SERVICE_NO_READY_ENDPOINTS api',
      'SERVICE_NO_MATCHING_PODS cart',
      'SERVICE_NO_MATCHING_PODS gone',
    ]);
    expect(found[1].message).toContain('namespace(s) store');
  });

  it('match a Service against every pod of runs of replicas sharing one label set, finished pods left out', () => {
    // Interned label sets: runs of replicas carry one object, and a set comes back after another.
    const shared = (name: string, app: string, o: Record<string, any> = {}) =>
      pod(name, { labels: { app, tier: 'web' }, owner: { kind: 'ReplicaSet', name: app }, ...o });
    const pods = [
      shared('web-1', 'web', { ready: false }),
      shared('web-2', 'web', { phase: 'Succeeded', ready: false }),
      shared('web-3', 'web', { ready: false }),
      shared('api-1', 'api'),
      shared('web-4', 'web', { ready: false }),
    ];
    expect(pods[0].labels).toBe(pods[4].labels);
    const found = services(
      inputOf({
        pods,
        services: [
          svc('web', { selector: { app: 'web' } }),
          svc('api', { selector: { app: 'api' } }),
        ],
      }),
    );
    expect(names(found)).toEqual(['SERVICE_NO_READY_ENDPOINTS web', 'SERVICE_SINGLE_ENDPOINT api']);
    expect(found[0].fields.pods).toEqual(['web-1', 'web-3', 'web-4']);
  });

  it('report Ingress backends whose Service or port is missing and TLS Secrets that do not exist', () => {
    const ingress = slimIngress({
      metadata: meta('front'),
      spec: {
        tls: [{ secretName: 'front-tls' }, { secretName: 'ok-tls' }],
        rules: [
          {
            host: 'a.example',
            http: {
              paths: [
                { path: '/', backend: { service: { name: 'web', port: { number: 80 } } } },
                { path: '/x', backend: { service: { name: 'web', port: { number: 81 } } } },
                { path: '/y', backend: { service: { name: 'nope', port: { name: 'http' } } } },
              ],
            },
          },
        ],
      },
    });
    const found = ingresses(
      inputOf({
        ingresses: [ingress],
        services: [svc('web', { selector: { app: 'web' }, ports: [{ port: 80, name: 'http' }] })],
        secrets: [{ name: 'ok-tls', namespace: 'shop', labels: {} }],
      }),
    );
    expect(found.map((f) => f.code)).toEqual([
      'INGRESS_MISSING_PORT',
      'INGRESS_MISSING_SERVICE',
      'INGRESS_MISSING_TLS_SECRET',
    ]);
  });

  it('report an HPA without target and one held at its maximum, not one with room', () => {
    const hpa = (name: string, target: string, current: number, desired: number) =>
      slimHpa({
        metadata: meta(name),
        spec: {
          scaleTargetRef: { kind: 'Deployment', name: target, apiVersion: 'apps/v1' },
          maxReplicas: 5,
        },
        status: { currentReplicas: current, desiredReplicas: desired },
      });
    const found = hpas(
      inputOf({
        horizontalpodautoscalers: [
          hpa('lost', 'gone', 1, 1),
          hpa('maxed', 'web', 5, 7),
          hpa('fine', 'web', 3, 3),
        ],
        deployments: [slimWorkload({ metadata: meta('web'), spec: { replicas: 5 }, status: {} })],
      }),
    );
    expect(names(found)).toEqual(['HPA_MISSING_TARGET lost', 'HPA_AT_MAX_REPLICAS maxed']);
  });

  it('report a PDB that blocks every eviction while all its pods are healthy, not one at zero because pods are down', () => {
    const pdb = (name: string, healthy: number) =>
      slimPdb({
        metadata: meta(name),
        spec: { minAvailable: 2, selector: { matchLabels: { app: name } } },
        status: {
          expectedPods: 2,
          currentHealthy: healthy,
          desiredHealthy: 2,
          disruptionsAllowed: 0,
        },
      });
    expect(
      names(pdbs(inputOf({ poddisruptionbudgets: [pdb('strict', 2), pdb('degraded', 1)] }))),
    ).toEqual(['PDB_BLOCKS_EVICTION strict']);
  });

  it('report Pending claims by cause, but not a WaitForFirstConsumer claim no pod uses yet', () => {
    const pvc = (name: string, className: string | undefined, created = ago(600)) =>
      slimPvc({
        metadata: { ...meta(name), creationTimestamp: created },
        spec: {
          accessModes: ['ReadWriteOnce'],
          ...(className !== undefined ? { storageClassName: className } : {}),
        },
        status: { phase: 'Pending' },
      });
    const classes = [
      slimStorageClass({
        metadata: { name: 'local' },
        provisioner: 'x',
        volumeBindingMode: 'WaitForFirstConsumer',
      }),
      slimStorageClass({
        metadata: { name: 'slow' },
        provisioner: 'ebs',
        volumeBindingMode: 'Immediate',
      }),
    ];
    const found = pvcPending(
      inputOf({
        persistentvolumeclaims: [
          pvc('typo', 'fast'),
          pvc('static', ''),
          pvc('waiting', 'local'),
          pvc('stuck', 'slow'),
          pvc('new', 'slow', new Date(NOW - 5000).toISOString()),
        ],
        storageclasses: classes,
        persistentvolumes: [],
        pods: [],
      }),
    );
    expect(names(found)).toEqual([
      'PVC_NO_STORAGE_CLASS typo',
      'PVC_NO_MATCHING_PV static',
      'PVC_PENDING stuck',
    ]);
  });

  it('report a NetworkPolicy selecting no pod, never one with an empty selector', () => {
    const policy = (name: string, podSelector: Record<string, any>) =>
      slimNetworkPolicy({ metadata: meta(name), spec: { podSelector } });
    const found = networkPolicies(
      inputOf({
        networkpolicies: [
          policy('stale', { matchLabels: { role: 'db' } }),
          policy('deny-all', {}),
          policy('web', { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] }),
        ],
        pods: [pod('web-1', { labels: { app: 'web' } })],
      }),
    );
    expect(names(found)).toEqual(['NETWORK_POLICY_NO_PODS stale']);
  });

  it('report webhooks whose Service is missing, critical when they fail closed', () => {
    const config = slimWebhookConfig({
      metadata: { name: 'policy' },
      webhooks: [
        { name: 'a', clientConfig: { service: { namespace: 'sys', name: 'gone' } } },
        {
          name: 'b',
          failurePolicy: 'Ignore',
          clientConfig: { service: { namespace: 'sys', name: 'gone' } },
        },
        { name: 'c', clientConfig: { service: { namespace: 'sys', name: 'there' } } },
        { name: 'd', clientConfig: { url: 'https://x.example' } },
      ],
    });
    const found = webhooks(
      inputOf({
        services: [svc('there', {}, 'sys')],
        validatingwebhookconfigurations: [config],
        mutatingwebhookconfigurations: [],
      }),
    );
    expect(found.map((f) => f.severity)).toEqual(['critical', 'warning']);
  });
});

describe('node detectors', () => {
  it('report NotReady, pressure and a cordon older than an hour; not a fresh cordon', () => {
    const ready = { type: 'Ready', status: 'True' };
    const cordon = (time: string) => ({
      spec: {
        unschedulable: true,
        taints: [
          { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: time },
        ],
      },
    });
    const found = nodes(
      inputOf({
        nodes: [
          node('down', [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady' }]),
          node('full', [ready, { type: 'DiskPressure', status: 'True' }]),
          node('old-cordon', [ready], cordon(ago(7200))),
          node('new-cordon', [ready], cordon(ago(60))),
          node('fine', [ready, { type: 'MemoryPressure', status: 'False' }]),
        ],
      }),
    );
    expect(names(found)).toEqual([
      'NODE_NOT_READY down',
      'NODE_PRESSURE full',
      'NODE_CORDONED old-cordon',
    ]);
  });

  it('report memory limits beyond allocatable', () => {
    const gi = 1024n ** 3n * 1_000_000_000n;
    const found = nodeOvercommit(
      inputOf(
        {
          nodes: [
            node('n1', [{ type: 'Ready', status: 'True' }]),
            node('n2', [{ type: 'Ready', status: 'True' }]),
          ],
          pods: [],
        },
        {
          allocation: {
            n1: {
              pods: 3,
              requests: { cpu: 0n, memory: 0n },
              limits: { cpu: 0n, memory: 12n * gi },
            },
            n2: {
              pods: 3,
              requests: { cpu: 0n, memory: 0n },
              limits: { cpu: 0n, memory: 4n * gi },
            },
          },
        },
      ),
    );
    expect(names(found)).toEqual(['NODE_LIMITS_OVERCOMMITTED n1']);
    expect(found[0].message).toContain('150%');
  });
});
