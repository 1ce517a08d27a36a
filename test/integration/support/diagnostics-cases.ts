/**
 * The objects diagnostics.int-spec.ts plays on the real cluster beyond the seed: for each detector
 * the seed does not cover, a broken object in `broken`, and its nearest healthy look-alikes in
 * `healthy` (which must raise no finding at all). Pods run under KWOK; the fault label picks the
 * state (scripts/cluster/stages/faults.yaml), the real controllers do the rest.
 */

const TEST_TAINT = { key: 'cloudpilot.dev/test', value: 'diag', effect: 'NoSchedule' };
const TOLERATE_TEST = [{ key: 'cloudpilot.dev/test', operator: 'Exists' }];
const REQUESTS = { requests: { cpu: '10m', memory: '32Mi' } };
const HOUR_MS = 3_600_000;

export interface CaseNames {
  suffix: string;
  broken: string;
  healthy: string;
  /** A namespace whose ResourceQuota allows no pod. */
  quota: string;
  nodes: {
    /** Reports Ready=False (fault stage). */
    notReady: string;
    /** Cordoned two hours ago. */
    cordoned: string;
    /** Cordoned a minute ago, for maintenance: not a finding yet. */
    justCordoned: string;
    /** 1 GiB allocatable; two pods limited to 768 MiB each run on it. */
    small: string;
    /** Runs the DaemonSets; tainted once their pods run, so one becomes misscheduled. */
    daemons: string;
  };
  storageClasses: { neverProvisions: string; waitForConsumer: string };
}

export function caseNames(
  suffix: string,
  namespaces: { broken: string; healthy: string; quota: string },
): CaseNames {
  const node = (role: string) => `dg-${suffix}-${role}`;
  return {
    suffix,
    ...namespaces,
    nodes: {
      notReady: node('notready'),
      cordoned: node('cordoned'),
      justCordoned: node('just-cordoned'),
      small: node('small'),
      daemons: node('daemons'),
    },
    storageClasses: { neverProvisions: node('never'), waitForConsumer: node('wffc') },
  };
}

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

function kwokNode(
  name: string,
  o: {
    labels?: Record<string, string>;
    memory?: string;
    unschedulableSince?: number;
  } = {},
) {
  const taints: Record<string, unknown>[] = [TEST_TAINT];
  if (o.unschedulableSince !== undefined)
    taints.push({
      key: 'node.kubernetes.io/unschedulable',
      effect: 'NoSchedule',
      timeAdded: isoSeconds(o.unschedulableSince),
    });
  const resources = { cpu: '4', memory: o.memory ?? '8Gi', pods: '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'kwok.x-k8s.io/node': 'fake' },
      labels: { type: 'kwok', ...o.labels },
    },
    spec: { taints, ...(o.unschedulableSince !== undefined ? { unschedulable: true } : {}) },
    status: { capacity: resources, allocatable: resources },
  };
}

export function caseNodes(n: CaseNames) {
  const now = Date.now();
  return [
    kwokNode(n.nodes.notReady, { labels: { 'cloudpilot.dev/fault': 'NotReady' } }),
    kwokNode(n.nodes.cordoned, { unschedulableSince: now - 2 * HOUR_MS }),
    kwokNode(n.nodes.justCordoned, { unschedulableSince: now - 60_000 }),
    kwokNode(n.nodes.small, { memory: '1Gi' }),
    kwokNode(n.nodes.daemons, { labels: { [`cloudpilot.dev/daemons-${n.suffix}`]: 'yes' } }),
  ];
}

const labels = (app: string, fault?: string) => ({
  app,
  ...(fault ? { 'cloudpilot.dev/fault': fault } : {}),
});

/**
 * A container; `resources: null` for one that requests nothing. A pinned image, a readiness probe
 * and a memory limit: the container hygiene checks stay silent unless a case asks otherwise.
 */
function container(name = 'app', resources: Record<string, any> | null = REQUESTS) {
  return {
    name,
    image: `registry.example/${name}:1.0`,
    readinessProbe: { tcpSocket: { port: 8080 } },
    ...(resources
      ? { resources: { ...resources, limits: { memory: '64Mi', ...resources.limits } } }
      : {}),
  };
}

/** Pods run without the default ServiceAccount's API token unless a case asks otherwise. */
const NO_TOKEN = { automountServiceAccountToken: false };

function pod(
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
  fault?: string,
  annotations?: Record<string, string>,
) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels: labels(name, fault),
      ...(annotations ? { annotations } : {}),
    },
    spec: { ...NO_TOKEN, containers: [container()], ...spec },
  };
}

function deployment(
  namespace: string,
  name: string,
  o: { replicas?: number; fault?: string; progressDeadlineSeconds?: number } = {},
) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas: o.replicas ?? 1,
      ...(o.progressDeadlineSeconds ? { progressDeadlineSeconds: o.progressDeadlineSeconds } : {}),
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: labels(name, o.fault) },
        spec: { ...NO_TOKEN, containers: [container()] },
      },
    },
  };
}

function service(namespace: string, name: string, spec: Record<string, unknown>) {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec };
}

function daemonSet(n: CaseNames, name: string, fault?: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: n.broken },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: labels(name, fault) },
        spec: {
          ...NO_TOKEN,
          nodeSelector: { [`cloudpilot.dev/daemons-${n.suffix}`]: 'yes' },
          // The crashing one also tolerates the quarantine taint: it is only unavailable.
          tolerations: fault
            ? [...TOLERATE_TEST, { key: 'cloudpilot.dev/quarantine', operator: 'Exists' }]
            : TOLERATE_TEST,
          containers: [container()],
        },
      },
    },
  };
}

function cronJob(namespace: string, name: string, o: { suspend?: boolean; fault?: string }) {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    // Once a year: the tests start its runs themselves (kubectl create job --from=cronjob/…).
    metadata: { name, namespace },
    spec: {
      schedule: '0 0 1 1 *',
      suspend: o.suspend ?? false,
      jobTemplate: { spec: jobSpec(name, o.fault) },
    },
  };
}

function jobSpec(app: string, fault?: string) {
  return {
    backoffLimit: 0,
    template: {
      metadata: { labels: labels(app, fault) },
      spec: { ...NO_TOKEN, restartPolicy: 'Never', containers: [container('run')] },
    },
  };
}

function pvc(namespace: string, name: string, storageClassName: string) {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace },
    spec: {
      storageClassName,
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
    },
  };
}

function storageClass(name: string, volumeBindingMode: string) {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name },
    provisioner: 'cloudpilot.dev/never-provisions',
    volumeBindingMode,
  };
}

/** Everything applied at once, before the app starts (the claims' one-minute grace runs meanwhile). */
export function caseObjects(n: CaseNames, fineNode: string) {
  const b = n.broken;
  const h = n.healthy;
  const sc = n.storageClasses;
  return [
    storageClass(sc.neverProvisions, 'Immediate'),
    storageClass(sc.waitForConsumer, 'WaitForFirstConsumer'),
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'no-pods', namespace: n.quota },
      spec: { hard: { pods: '0' } },
    },
    // --- broken ---
    deployment(b, 'rollout-stuck', { fault: 'CrashLoopBackOff', progressDeadlineSeconds: 1 }),
    deployment(b, 'unavailable', { replicas: 2, fault: 'NotReady', progressDeadlineSeconds: 600 }),
    service(b, 'unavailable', { selector: { app: 'unavailable' }, ports: [{ port: 80 }] }),
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'ledger', namespace: b },
      spec: {
        replicas: 1,
        serviceName: 'ledger',
        selector: { matchLabels: { app: 'ledger' } },
        template: {
          metadata: { labels: labels('ledger', 'NotReady') },
          spec: { ...NO_TOKEN, containers: [container()] },
        },
      },
    },
    deployment(n.quota, 'blocked'),
    deployment(b, 'scaled', { replicas: 3 }),
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'scaled', namespace: b },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'scaled' },
        minReplicas: 1,
        maxReplicas: 2,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
          },
        ],
      },
    },
    deployment(b, 'api'),
    service(b, 'api', { selector: { app: 'api' }, ports: [{ name: 'http', port: 80 }] }),
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'wrong-port', namespace: b },
      spec: {
        rules: [
          {
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'api', port: { number: 8080 } } },
                },
              ],
            },
          },
        ],
      },
    },
    pod(b, 'config-error', {}, 'CreateContainerConfigError'),
    pod(b, 'missing-claim', {
      nodeName: fineNode,
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'never-created' } }],
    }),
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'short-lived', namespace: b } },
    pod(b, 'orphaned-account', { serviceAccountName: 'short-lived' }),
    pod(b, 'no-requests', { containers: [container('app', null)] }),
    pvc(b, 'no-volume', ''),
    pvc(b, 'never-provisioned', sc.neverProvisions),
    cronJob(b, 'failing', { fault: 'Failed' }),
    cronJob(b, 'paused-after-failure', { fault: 'Failed', suspend: true }),
    daemonSet(n, 'misplaced'),
    daemonSet(n, 'crashing-agent', 'CrashLoopBackOff'),
    ...[1, 2].map((i) =>
      pod(b, `greedy-${i}`, {
        nodeName: n.nodes.small,
        containers: [container('app', { ...REQUESTS, limits: { memory: '768Mi' } })],
      }),
    ),
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'dangling', namespace: b },
      spec: {
        hosts: ['dangling.example'],
        gateways: ['no-such-gateway'],
        http: [{ route: [{ destination: { host: 'no-such-service' } }] }],
      },
    },
    // --- healthy look-alikes ---
    deployment(h, 'paused', { replicas: 2 }),
    service(h, 'external', { type: 'ExternalName', externalName: 'db.example.com' }),
    service(h, 'db', { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] }),
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: h },
      spec: {
        replicas: 2,
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: {
          metadata: { labels: labels('db') },
          spec: { ...NO_TOKEN, containers: [container()] },
        },
      },
    },
    pvc(h, 'later', sc.waitForConsumer),
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'done', namespace: h },
      spec: jobSpec('done'),
    },
    cronJob(h, 'recovered', {}),
    pod(h, 'migrated', {
      // An init container takes no probe (the API refuses one): it runs to completion.
      initContainers: [{ ...container('migrate', null), readinessProbe: undefined }],
    }),
    pod(
      h,
      'sidecar-restarted',
      { initContainers: [{ ...container('proxy'), restartPolicy: 'Always' }] },
      'RestartedLongAgo',
      { 'cloudpilot.dev/since': isoSeconds(Date.now() - 2 * HOUR_MS) },
    ),
    deployment(h, 'below-max'),
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'below-max', namespace: h },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'below-max' },
        minReplicas: 1,
        maxReplicas: 5,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
          },
        ],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'fine', namespace: h },
      spec: {
        rules: [
          {
            http: {
              paths: [
                {
                  path: '/db',
                  pathType: 'Prefix',
                  backend: { service: { name: 'db', port: { number: 5432 } } },
                },
                {
                  path: '/external',
                  pathType: 'Prefix',
                  backend: { service: { name: 'external', port: { number: 443 } } },
                },
              ],
            },
          },
        ],
      },
    },
    // CPU limits beyond the node's allocatable CPU throttle, they do not kill: no finding.
    pod(h, 'cpu-hungry', {
      nodeName: fineNode,
      containers: [container('app', { ...REQUESTS, limits: { cpu: '16' } })],
    }),
  ];
}

/**
 * A failed run of the healthy CronJob, made by hand (a CronJob's template is copied by
 * `create job --from`, and this one's succeeds): owned by the CronJob as its controller.
 */
export function failedRunOf(namespace: string, cronJob: { name: string; uid: string }) {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: `${cronJob.name}-first`,
      namespace,
      ownerReferences: [
        {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          name: cronJob.name,
          uid: cronJob.uid,
          controller: true,
        },
      ],
    },
    spec: jobSpec(cronJob.name, 'Failed'),
  };
}
