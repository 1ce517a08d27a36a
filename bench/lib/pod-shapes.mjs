// Pod objects as the API server sends them, for the in-process memory benchmarks.
const created = '2026-12-02T10:00:00Z';
const condition = (type) => ({
  type,
  status: 'True',
  lastProbeTime: null,
  lastTransitionTime: created,
});
const conditions = ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(condition);
const tokenVolume = {
  name: 'kube-api-access-abcde',
  projected: {
    defaultMode: 420,
    sources: [
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      {
        downwardAPI: {
          items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }],
        },
      },
    ],
  },
};

export function benchPod(i) {
  return {
    metadata: {
      name: `p-${i}`,
      namespace: `bench-p-${String(Math.floor(i / 2000)).padStart(3, '0')}`,
      uid: `6f1c2a3b-0000-4000-8000-${String(i).padStart(12, '0')}`,
      resourceVersion: String(1_000_000 + i),
      creationTimestamp: created,
      labels: { app: 'bench', shard: String(i % 10) },
    },
    spec: {
      nodeName: `kwok-node-${i % 200}`,
      serviceAccountName: 'default',
      containers: [
        {
          name: 'app',
          image: 'registry.example/bench:1',
          resources: {
            requests: { cpu: '10m', memory: '16Mi' },
            limits: { cpu: '100m', memory: '64Mi' },
          },
          volumeMounts: [
            { name: 'kube-api-access-abcde', readOnly: true, mountPath: '/var/run/secrets' },
          ],
        },
      ],
      volumes: [tokenVolume],
    },
    status: {
      phase: 'Running',
      conditions,
      hostIP: '10.0.0.1',
      podIP: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      startTime: created,
      containerStatuses: [
        {
          name: 'app',
          ready: true,
          started: true,
          restartCount: 0,
          image: 'registry.example/bench:1',
          state: { running: { startedAt: created } },
        },
      ],
    },
  };
}

export function deploymentPod(i) {
  const dep = `shop-${Math.floor(i / 10)}`;
  const pod = benchPod(i);
  pod.metadata.name = `${dep}-7c9f8b6d5-${String(i).padStart(5, '0')}`;
  pod.metadata.namespace = `team-${Math.floor(i / 100)}`;
  pod.metadata.labels = { app: dep, 'pod-template-hash': '7c9f8b6d5' };
  pod.metadata.ownerReferences = [
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: `${dep}-7c9f8b6d5`,
      uid: `rs-${dep}`,
      controller: true,
      blockOwnerDeletion: true,
    },
  ];
  pod.spec.nodeName = `node-${i % 3000}`;
  pod.spec.containers[0].envFrom = [{ configMapRef: { name: `${dep}-config` } }];
  pod.spec.containers[0].resources = {
    requests: { cpu: '100m', memory: '128Mi' },
    limits: { memory: '256Mi' },
  };
  return pod;
}

export const shapes = { bench: benchPod, deployment: deploymentPod };
