/**
 * The objects diagnostics-causes-a.int-spec.ts plays on the real cluster: for each cause-naming
 * check (#33 part A) its broken objects in `broken`, and the nearest healthy look-alikes in
 * `healthy` (which must raise no finding at all). Cluster-scoped objects carry the suffix.
 */

const REQUESTS = { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } };
const STATIC_CLASS = (s: string) => `dca-${s}-static`;

export interface CausesCases {
  suffix: string;
  broken: string;
  healthy: string;
}

/** Every cluster-scoped object, by kind, to delete afterwards. */
export const clusterScoped = (s: string) => ({
  ingressclass: [`dca-${s}-default-a`, `dca-${s}-default-b`, `dca-${s}-nginx`],
  storageclass: [`dca-${s}-default-a`, `dca-${s}-default-b`, `dca-${s}-local`, `dca-${s}-csi`],
  pv: [`dca-${s}-released`, `dca-${s}-failed`, `dca-${s}-spare`, `dca-${s}-bound`],
  clusterrolebinding: [`dca-${s}-gone`],
  validatingwebhookconfiguration: [`dca-${s}-strict`, `dca-${s}-lenient`, `dca-${s}-served`],
});

interface PodTemplate {
  ports?: Record<string, unknown>[];
  fault?: string;
  requests?: boolean;
  extra?: Record<string, unknown>;
}

/**
 * A hygienic template (pinned image, readiness probe, memory limit, no default token), so the
 * container hygiene codes (#33 part B, on by default) stay silent on the look-alikes. A template
 * without requests gets no limit either: the API server would copy the limit into the requests.
 */
function podSpec(o: PodTemplate) {
  const container = {
    name: 'app',
    image: 'registry.example/app:1.0',
    readinessProbe: { httpGet: { path: '/', port: 8080 } },
    ...(o.requests === false ? {} : { resources: REQUESTS }),
    ...(o.ports ? { ports: o.ports } : {}),
  };
  return { automountServiceAccountToken: false, containers: [container], ...o.extra };
}

const labels = (app: string, fault?: string) => ({
  app,
  ...(fault ? { 'cloudpilot.dev/fault': fault } : {}),
});

function deployment(namespace: string, name: string, replicas: number, o: PodTemplate = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: labels(name, o.fault) }, spec: podSpec(o) },
    },
  };
}

export function pod(namespace: string, name: string, app: string, o: PodTemplate = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: labels(app, o.fault) },
    spec: podSpec(o),
  };
}

const service = (namespace: string, name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace },
  spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec },
});

function statefulSet(
  namespace: string,
  name: string,
  serviceName: string,
  templates: unknown[],
  replicas = 0,
) {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace },
    spec: {
      replicas,
      serviceName,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: labels(name) }, spec: podSpec({}) },
      volumeClaimTemplates: templates,
    },
  };
}

const claimTemplate = (storageClassName?: string) => ({
  metadata: { name: 'data' },
  spec: {
    accessModes: ['ReadWriteOnce'],
    resources: { requests: { storage: '1Gi' } },
    ...(storageClassName === undefined ? {} : { storageClassName }),
  },
});

const classOf = (
  kind: 'IngressClass' | 'StorageClass',
  name: string,
  isDefault: boolean,
  extra: Record<string, unknown>,
) => ({
  apiVersion: kind === 'IngressClass' ? 'networking.k8s.io/v1' : 'storage.k8s.io/v1',
  kind,
  metadata: {
    name,
    annotations: isDefault
      ? {
          [`${kind === 'IngressClass' ? 'ingressclass' : 'storageclass'}.kubernetes.io/is-default-class`]:
            'true',
        }
      : {},
  },
  ...extra,
});

function volume(
  s: string,
  name: string,
  o: { reclaim?: string; claimRef?: Record<string, string> },
) {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: `dca-${s}-${name}` },
    spec: {
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteOnce'],
      storageClassName: STATIC_CLASS(s),
      persistentVolumeReclaimPolicy: o.reclaim ?? 'Retain',
      hostPath: { path: `/data/dca-${s}-${name}` },
      ...(o.claimRef ? { claimRef: o.claimRef } : {}),
    },
  };
}

const rbac = (kind: string, namespace: string, name: string, extra: Record<string, unknown>) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
  ...extra,
});

const roleRef = (kind: string, name: string) => ({
  apiGroup: 'rbac.authorization.k8s.io',
  kind,
  name,
});
const saSubject = (namespace: string, name: string) => ({
  kind: 'ServiceAccount',
  name,
  namespace,
});

function webhook(
  s: string,
  name: string,
  namespace: string,
  service: string,
  failurePolicy: string,
) {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: `dca-${s}-${name}` },
    webhooks: [
      {
        name: `${name}.dca-${s}.cloudpilot.dev`,
        failurePolicy,
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        clientConfig: { service: { namespace, name: service, port: 443 } },
        // A group nobody serves, in this namespace only: it never intercepts a real request.
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
        rules: [
          {
            apiGroups: ['cloudpilot.test'],
            apiVersions: ['v1'],
            operations: ['CREATE'],
            resources: ['widgets'],
          },
        ],
      },
    ],
  };
}

function hpa(namespace: string, name: string, target: { kind: string; name: string }) {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', ...target },
      minReplicas: 1,
      maxReplicas: 3,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
        },
      ],
    },
  };
}

const pdb = (namespace: string, name: string, app: string, minAvailable: number) => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name, namespace },
  spec: { minAvailable, selector: { matchLabels: { app } } },
});

export function brokenObjects({ suffix: s, broken: b }: CausesCases) {
  return [
    deployment(b, 'named-port', 2, { ports: [{ name: 'web', containerPort: 8080 }] }),
    service(b, 'named-port', { ports: [{ port: 80, targetPort: 'http' }] }),
    deployment(b, 'num-port', 2, { ports: [{ containerPort: 8080 }] }),
    service(b, 'num-port', { ports: [{ port: 80, targetPort: 9090 }] }),
    // Left alone by KWOK (no stage plays this label): the suite writes their status itself.
    pod(b, 'no-ip-1', 'no-ip', { fault: 'Unmanaged' }),
    pod(b, 'no-ip-2', 'no-ip', { fault: 'Unmanaged' }),
    service(b, 'no-ip', {}),
    deployment(b, 'solo', 1),
    service(b, 'solo', {}),
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'wrong-class', namespace: b },
      spec: {
        ingressClassName: `dca-${s}-missing`,
        defaultBackend: { service: { name: 'solo', port: { number: 80 } } },
      },
    },
    classOf('IngressClass', `dca-${s}-default-a`, true, { spec: { controller: 'example.com/a' } }),
    classOf('IngressClass', `dca-${s}-default-b`, true, { spec: { controller: 'example.com/b' } }),
    classOf('StorageClass', `dca-${s}-default-a`, true, { provisioner: 'example.com/csi' }),
    classOf('StorageClass', `dca-${s}-default-b`, true, { provisioner: 'example.com/csi' }),
    classOf('StorageClass', `dca-${s}-local`, false, {
      provisioner: 'kubernetes.io/no-provisioner',
      volumeBindingMode: 'WaitForFirstConsumer',
    }),
    service(b, 'sts-headless', { clusterIP: 'None' }),
    statefulSet(b, 'orphan', 'orphan-headless', []),
    statefulSet(b, 'typo-class', 'sts-headless', [claimTemplate(`dca-${s}-nope`)]),
    statefulSet(b, 'hand-made', 'sts-headless', [claimTemplate(`dca-${s}-local`)]),
    volume(s, 'released', {
      claimRef: { namespace: b, name: 'gone', uid: '00000000-0000-4000-8000-000000000001' },
    }),
    volume(s, 'failed', {
      reclaim: 'Delete',
      claimRef: { namespace: b, name: 'gone-too', uid: '00000000-0000-4000-8000-000000000002' },
    }),
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: 'lost',
        namespace: b,
        annotations: { 'pv.kubernetes.io/bind-completed': 'yes' },
      },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: STATIC_CLASS(s),
        volumeName: `dca-${s}-vanished`,
        resources: { requests: { storage: '1Gi' } },
      },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'app', namespace: b } },
    rbac('Role', b, 'reader', {
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
    }),
    rbac('RoleBinding', b, 'dangling', {
      roleRef: roleRef('Role', 'writer'),
      subjects: [saSubject(b, 'app')],
    }),
    rbac('RoleBinding', b, 'ghost', {
      roleRef: roleRef('Role', 'reader'),
      subjects: [saSubject(b, 'deleted')],
    }),
    rbac('ClusterRoleBinding', '', `dca-${s}-gone`, {
      roleRef: roleRef('ClusterRole', `dca-${s}-missing`),
      subjects: [saSubject(b, 'app')],
    }),
    deployment(b, 'private', 2, {
      fault: 'ImagePullBackOff',
      extra: { imagePullSecrets: [{ name: 'registry-creds' }] },
    }),
    pod(b, 'webhook-0', 'webhook', { fault: 'NotReady' }),
    service(b, 'webhook', { ports: [{ port: 443 }] }),
    webhook(s, 'strict', b, 'webhook', 'Fail'),
    webhook(s, 'lenient', b, 'webhook', 'Ignore'),
    deployment(b, 'hungry', 1, { requests: false }),
    hpa(b, 'hungry', { kind: 'Deployment', name: 'hungry' }),
    hpa(b, 'on-daemonset', { kind: 'DaemonSet', name: 'agents' }),
    pdb(b, 'typo', 'nobody-here', 1),
    pdb(b, 'greedy', 'named-port', 3),
  ];
}

export function healthyObjects({ suffix: s, healthy: h }: CausesCases) {
  return [
    deployment(h, 'bare', 2),
    service(h, 'bare', { ports: [{ port: 80, targetPort: 9090 }] }),
    deployment(h, 'declared', 2, { ports: [{ name: 'http', containerPort: 8080 }] }),
    service(h, 'declared', { ports: [{ port: 80, targetPort: 'http' }] }),
    service(h, 'db', { clusterIP: 'None' }),
    statefulSet(h, 'db', 'db', [], 1),
    classOf('StorageClass', `dca-${s}-csi`, false, { provisioner: 'example.com/csi' }),
    statefulSet(h, 'zero', 'db', [
      claimTemplate(`dca-${s}-csi`),
      { ...claimTemplate(''), metadata: { name: 'static' } },
    ]),
    classOf('IngressClass', `dca-${s}-nginx`, false, { spec: { controller: 'example.com/nginx' } }),
    ...[`dca-${s}-nginx`, undefined].map((cls, i) => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: i ? 'classless' : 'classed', namespace: h },
      spec: {
        ...(cls ? { ingressClassName: cls } : {}),
        defaultBackend: { service: { name: 'declared', port: { number: 80 } } },
      },
    })),
    volume(s, 'spare', {}),
    volume(s, 'bound', { claimRef: { namespace: h, name: 'data' } }),
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: h },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: STATIC_CLASS(s),
        volumeName: `dca-${s}-bound`,
        resources: { requests: { storage: '1Gi' } },
      },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'app', namespace: h } },
    rbac('Role', h, 'reader', {
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
    }),
    rbac('RoleBinding', h, 'fine', {
      roleRef: roleRef('Role', 'reader'),
      subjects: [
        saSubject(h, 'app'),
        { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' },
      ],
    }),
    // Its image is public: the missing pull Secret costs nothing while it pulls.
    pod(h, 'public', 'public', { extra: { imagePullSecrets: [{ name: 'absent-creds' }] } }),
    deployment(h, 'hook', 2),
    service(h, 'hook', { ports: [{ port: 443 }] }),
    webhook(s, 'served', h, 'hook', 'Ignore'),
    deployment(h, 'sized', 1),
    hpa(h, 'sized', { kind: 'Deployment', name: 'sized' }),
    pdb(h, 'fine', 'bare', 1),
  ];
}
