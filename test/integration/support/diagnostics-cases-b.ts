/**
 * The objects diagnostics-causes-b.int-spec.ts plays on the real cluster: scheduling causes, Jobs
 * and CronJobs, node conditions and taints, the pod states of the newer KWOK stages and container
 * hygiene; each broken object in `broken` (or `noJobs`, where a quota refuses every Job), its
 * nearest healthy look-alikes in `healthy`, which must raise no finding at all.
 */

const HOUR_MS = 3_600_000;
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

export interface CasesB {
  suffix: string;
  broken: string;
  healthy: string;
  noJobs: string;
  nodes: Record<'orphan' | 'dedicated' | 'soft' | 'noRoute' | 'deadlock' | 'routed', string>;
  priorityClass: { existing: string; missing: string };
}

export function casesB(
  suffix: string,
  namespaces: { broken: string; healthy: string; noJobs: string },
): CasesB {
  const node = (role: string) => `dgb-${suffix}-${role}`;
  return {
    suffix,
    ...namespaces,
    nodes: {
      orphan: node('orphan'),
      dedicated: node('dedicated'),
      soft: node('soft'),
      noRoute: node('noroute'),
      deadlock: node('deadlock'),
      routed: node('routed'),
    },
    priorityClass: { existing: node('low'), missing: node('missing') },
  };
}

const pool = (c: CasesB) => `cloudpilot.dev/pool-${c.suffix}`;
const dedicatedTaint = (c: CasesB) => ({
  key: `cloudpilot.dev/dedicated-${c.suffix}`,
  value: 'db',
  effect: 'NoSchedule',
});

function kwokNode(name: string, taints: object[], labels: Record<string, string> = {}) {
  const resources = { cpu: '4', memory: '8Gi', pods: '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'kwok.x-k8s.io/node': 'fake' },
      labels: { type: 'kwok', ...labels },
    },
    spec: { taints },
    status: { capacity: resources, allocatable: resources },
  };
}

export function nodesB(c: CasesB) {
  const n = c.nodes;
  const fault = (f: string) => ({ 'cloudpilot.dev/fault': f });
  return [
    kwokNode(
      n.orphan,
      [{ key: `cloudpilot.dev/orphan-${c.suffix}`, value: 'yes', effect: 'NoSchedule' }],
      {
        [pool(c)]: 'orphan',
      },
    ),
    kwokNode(n.dedicated, [dedicatedTaint(c)], { [pool(c)]: 'dedicated' }),
    kwokNode(n.soft, [{ key: `cloudpilot.dev/soft-${c.suffix}`, effect: 'PreferNoSchedule' }]),
    kwokNode(n.noRoute, [dedicatedTaint(c)], fault('NetworkUnavailable')),
    kwokNode(n.deadlock, [dedicatedTaint(c)], fault('KernelDeadlock')),
    kwokNode(n.routed, [dedicatedTaint(c)], fault('RouteCreated')),
  ];
}

/** A tidy container: pinned image, readiness probe, memory limit (the hygiene checks stay silent). */
function container(name = 'app', extra: Record<string, any> = {}) {
  return {
    name,
    image: `registry.example/${name}:1.0`,
    readinessProbe: { tcpSocket: { port: 8080 } },
    resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } },
    ...extra,
  };
}

const meta = (namespace: string, name: string, extra: Record<string, any> = {}) => ({
  name,
  namespace,
  ...extra,
});

function pod(
  namespace: string,
  name: string,
  spec: Record<string, any> = {},
  o: { fault?: string; annotations?: Record<string, string> } = {},
) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(namespace, name, {
      labels: { app: name, ...(o.fault ? { 'cloudpilot.dev/fault': o.fault } : {}) },
      ...(o.annotations ? { annotations: o.annotations } : {}),
    }),
    spec: { automountServiceAccountToken: false, containers: [container()], ...spec },
  };
}

/** A Deployment of one replica with exactly this pod spec. */
function bareDeployment(namespace: string, name: string, podSpec: Record<string, any>) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(namespace, name),
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: podSpec },
    },
  };
}

/** A tidy Deployment: the hygiene checks stay silent on it unless `spec` says otherwise. */
const deployment = (namespace: string, name: string, spec: Record<string, any> = {}) =>
  bareDeployment(namespace, name, {
    automountServiceAccountToken: false,
    containers: [container()],
    ...spec,
  });

function job(
  namespace: string,
  name: string,
  spec: Record<string, any>,
  o: { fault?: string; labels?: Record<string, string> } = {},
) {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta(namespace, name, o.labels ? { labels: o.labels } : {}),
    spec: {
      backoffLimit: 0,
      ...spec,
      template: {
        metadata: {
          labels: { app: name, ...(o.fault ? { 'cloudpilot.dev/fault': o.fault } : {}) },
        },
        spec: {
          automountServiceAccountToken: false,
          restartPolicy: 'Never',
          containers: [container('run')],
        },
      },
    },
  };
}

function cronJob(
  namespace: string,
  name: string,
  schedule: string,
  extra: Record<string, any> = {},
) {
  const { spec } = job(namespace, name, {});
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: meta(namespace, name),
    spec: { schedule, jobTemplate: { spec }, ...extra },
  };
}

const SIDECAR = { ...container('proxy'), restartPolicy: 'Always' };

export function brokenB(c: CasesB) {
  const b = c.broken;
  return [
    pod(b, 'too-big', {
      containers: [
        container('app', {
          resources: { requests: { memory: '100Ti' }, limits: { memory: '100Ti' } },
        }),
      ],
    }),
    pod(b, 'wants-orphan', { nodeSelector: { [pool(c)]: 'orphan' } }),
    deployment(b, 'no-class', { priorityClassName: c.priorityClass.missing }),
    // Its pod never starts (stuck pulling; a running Job pod would be completed by KWOK).
    job(b, 'slow', { activeDeadlineSeconds: 2 }, { fault: 'ImagePullBackOff' }),
    job(b, 'held', { suspend: true }),
    cronJob(c.noJobs, 'never', '* * * * *'),
    // Ran once (the spec writes the status the controller wrote then), refused by the quota since.
    cronJob(c.noJobs, 'stalled', '* * * * *'),
    cronJob(b, 'hasty', '0 0 1 1 *', { startingDeadlineSeconds: 5 }),
    pod(
      b,
      'init-crash',
      // An init container takes no probe (the API refuses one): it runs to completion.
      { initContainers: [{ ...container('migrate'), readinessProbe: undefined }] },
      { fault: 'InitCrashLoop' },
    ),
    pod(b, 'sidecar-crash', { initContainers: [SIDECAR] }, { fault: 'SidecarCrashLoop' }),
    pod(
      b,
      'liveness',
      {},
      { fault: 'RestartsClimbing', annotations: { 'cloudpilot.dev/restart-count': '6' } },
    ),
    pod(b, 'evicted', {}, { fault: 'Evicted' }),
    // Every hygiene check at once: a person edits the Deployment, so it is named once per code.
    bareDeployment(b, 'sloppy', {
      containers: [
        {
          name: 'app',
          image: 'registry.example/sloppy',
          securityContext: { privileged: true, runAsUser: 0 },
        },
      ],
    }),
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(b, 'leftover'), data: { a: 'b' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(b, 'mounted'), data: { a: 'b' } },
    pod(b, 'reader', { volumes: [{ name: 'c', configMap: { name: 'mounted' } }] }),
  ];
}

export function healthyB(c: CasesB) {
  const h = c.healthy;
  const digest = `registry.example/app@sha256:${'0123456789abcdef'.repeat(4)}`;
  return [
    {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: c.priorityClass.existing },
      value: 1000,
    },
    // Large but within a node: scheduled.
    pod(h, 'fits', {
      containers: [
        container('app', { resources: { requests: { memory: '1Gi' }, limits: { memory: '1Gi' } } }),
      ],
    }),
    // Tolerates the dedicated nodes' taint and selects them: runs there, the taint is in use.
    pod(h, 'tolerant', {
      nodeSelector: { [pool(c)]: 'dedicated' },
      tolerations: [{ key: dedicatedTaint(c).key, operator: 'Exists' }],
    }),
    deployment(h, 'classy', { priorityClassName: c.priorityClass.existing }),
    job(h, 'queued', { suspend: true }, { labels: { 'kueue.x-k8s.io/queue-name': 'team-a' } }),
    // Done well within its deadline; no probe (a run to completion needs none).
    job(h, 'batch-no-probe', { activeDeadlineSeconds: 600 }),
    cronJob(h, 'every-minute', '* * * * *', { successfulJobsHistoryLimit: 1 }),
    cronJob(h, 'patient', '0 0 1 1 *', { startingDeadlineSeconds: 10 }),
    pod(
      h,
      'liveness-long-ago',
      {},
      {
        fault: 'RestartsClimbing',
        annotations: {
          'cloudpilot.dev/restart-count': '6',
          'cloudpilot.dev/since': isoSeconds(Date.now() - 2 * HOUR_MS),
        },
      },
    ),
    deployment(h, 'digest', { containers: [container('app', { image: digest })] }),
    deployment(h, 'port-tag', {
      containers: [container('app', { image: 'registry.example:5000/app:1.0' })],
    }),
    deployment(h, 'cpu-unlimited', {
      containers: [
        container('app', { resources: { requests: { cpu: '10m' }, limits: { memory: '64Mi' } } }),
      ],
    }),
    deployment(h, 'root-overridden', {
      securityContext: { runAsUser: 0 },
      containers: [container('app', { securityContext: { runAsUser: 1000, privileged: false } })],
    }),
    // The namespace's default ServiceAccount opts out of the token (patched by the spec): this
    // template mounts none without saying so itself.
    bareDeployment(h, 'account-opted-out', { containers: [container()] }),
  ];
}

export const noJobsQuota = (c: CasesB) => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: meta(c.noJobs, 'no-jobs'),
  spec: { hard: { 'count/jobs.batch': '0' } },
});
