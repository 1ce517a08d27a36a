// Objects cluster:up creates in every test cluster: fake nodes and the viewer/operator access.

/** Namespace holding the viewer/operator ServiceAccounts whose tokens go into the kubeconfigs. */
export const ACCESS_NAMESPACE = 'cloudpilot-access';

/** Fake node objects that kwok-controller manages (it selects nodes by the kwok annotation). */
export function nodeManifest(names) {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: names.map((nodeName) => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: nodeName,
        annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
        labels: {
          'kubernetes.io/arch': 'amd64',
          'kubernetes.io/hostname': nodeName,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/role': 'agent',
          'node-role.kubernetes.io/agent': '',
          type: 'kwok',
        },
      },
      status: {
        allocatable: { cpu: '8', memory: '32Gi', pods: '110' },
        capacity: { cpu: '8', memory: '32Gi', pods: '110' },
      },
    })),
  });
}

export const accessManifest = () => ({
  apiVersion: 'v1',
  kind: 'List',
  items: [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ACCESS_NAMESPACE } },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'viewer', namespace: ACCESS_NAMESPACE },
    },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'operator', namespace: ACCESS_NAMESPACE },
    },
    // The built-in `view` role covers namespaced workloads only. An Istio install adds reader
    // rules for its CRDs to `view` through aggregation; do the same so a viewer sees them.
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: {
        name: 'cloudpilot-mesh-view',
        labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' },
      },
      rules: [
        {
          apiGroups: [
            'networking.istio.io',
            'security.istio.io',
            'telemetry.istio.io',
            'gateway.networking.k8s.io',
          ],
          resources: ['*'],
          verbs: ['get', 'list', 'watch'],
        },
      ],
    },
    // Cluster-scoped reads a monitoring tool needs and `view` (namespaced by design) lacks.
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'cloudpilot-cluster-reader' },
      rules: [
        {
          apiGroups: [''],
          resources: ['nodes', 'namespaces', 'persistentvolumes'],
          verbs: ['get', 'list', 'watch'],
        },
        {
          apiGroups: ['storage.k8s.io'],
          resources: ['storageclasses'],
          verbs: ['get', 'list', 'watch'],
        },
        {
          apiGroups: ['apiextensions.k8s.io'],
          resources: ['customresourcedefinitions'],
          verbs: ['get', 'list', 'watch'],
        },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'cloudpilot-operator' },
      rules: [
        {
          apiGroups: ['apps'],
          resources: ['deployments/scale', 'statefulsets/scale', 'replicasets/scale'],
          verbs: ['get', 'update', 'patch'],
        },
        // Rollout restart patches the pod template annotation.
        {
          apiGroups: ['apps'],
          resources: ['deployments', 'statefulsets', 'daemonsets'],
          verbs: ['patch'],
        },
        { apiGroups: [''], resources: ['pods'], verbs: ['delete'] },
        { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
        { apiGroups: [''], resources: ['nodes'], verbs: ['patch'] },
        {
          apiGroups: ['networking.istio.io'],
          resources: ['*'],
          verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
        },
      ],
    },
    binding('cloudpilot-viewer-view', 'view', 'viewer'),
    binding('cloudpilot-viewer-cluster-reader', 'cloudpilot-cluster-reader', 'viewer'),
    binding('cloudpilot-operator-view', 'view', 'operator'),
    binding('cloudpilot-operator-cluster-reader', 'cloudpilot-cluster-reader', 'operator'),
    binding('cloudpilot-operator', 'cloudpilot-operator', 'operator'),
  ],
});

function binding(name, role, sa) {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [{ kind: 'ServiceAccount', name: sa, namespace: ACCESS_NAMESPACE }],
  };
}
