import { slimRoleBinding } from './access';
import { slimStatefulSet } from './workload';
import { slimNamespace } from './named';
import { slimNode } from './node';
import { slimPod } from './pod';

describe('slim records', () => {
  it('keeps only what its readers use of a pod (labels for selectors), with its effective requests in nano units', () => {
    const full = {
      metadata: {
        name: 'web-1',
        namespace: 'shop',
        labels: { app: 'web' },
        managedFields: [{ manager: 'x' }],
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
      },
      spec: {
        nodeName: 'n1',
        containers: [
          {
            name: 'a',
            resources: { requests: { cpu: '250m', memory: '1.5Gi' }, limits: { cpu: '1' } },
          },
        ],
        initContainers: [{ name: 'i', resources: { requests: { cpu: '2' } } }],
      },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] },
    };
    expect(slimPod(full)).toEqual({
      name: 'web-1',
      namespace: 'shop',
      labels: { app: 'web' },
      nodeName: 'n1',
      phase: 'Running',
      ready: false,
      requests: { cpu: 2_000_000_000n, memory: 1_610_612_736_000_000_000n },
      limits: { cpu: 1_000_000_000n, memory: 0n },
      conditions: [{ type: 'Ready', status: 'False' }],
      // A pod nothing owns is judged on its own template (an owned one on its owner's).
      hygiene: [
        { code: 'CONTAINER_IMAGE_NOT_PINNED', containers: ['i', 'a'], values: ['', ''] },
        { code: 'CONTAINER_NO_PROBES', containers: ['a'] },
        { code: 'CONTAINER_NO_MEMORY_LIMIT', containers: ['a'] },
        { code: 'POD_DEFAULT_SERVICE_ACCOUNT_TOKEN', containers: [] },
      ],
    });
  });

  it('counts a pod with an unparsable quantity as zero and says so, instead of failing the cache', () => {
    const record = slimPod({
      metadata: { name: 'x', namespace: 'y' },
      spec: { containers: [{ resources: { requests: { cpu: '1 core' } } }] },
      status: { phase: 'Weird' },
    });
    expect(record).toMatchObject({
      phase: 'Unknown',
      resourceError: true,
      requests: { cpu: 0n, memory: 0n },
    });
  });

  it('reads node roles from both label conventions and the Ready condition', () => {
    const node = slimNode({
      metadata: {
        name: 'n',
        labels: {
          'node-role.kubernetes.io/control-plane': '',
          'node-role.kubernetes.io/': 'x',
          'kubernetes.io/role': 'worker',
        },
        creationTimestamp: '2026-01-01T00:00:00Z',
      },
      spec: { unschedulable: true, taints: [{ key: 'k', effect: 'NoSchedule' }] },
      status: {
        capacity: { cpu: '4', memory: '16Gi', pods: '110' },
        allocatable: { cpu: '3500m', memory: '15Gi', pods: '110' },
        conditions: [{ type: 'Ready', status: 'True' }],
        nodeInfo: { kubeletVersion: 'v1.36.3', architecture: 'arm64' },
      },
    });
    expect(node).toMatchObject({
      roles: ['control-plane', 'worker'],
      ready: true,
      unschedulable: true,
      kubeletVersion: 'v1.36.3',
      architecture: 'arm64',
      taints: [{ key: 'k', effect: 'NoSchedule' }],
    });
    expect(node.allocatable).toEqual({
      cpu: 3_500_000_000n,
      memory: 15n * 1024n ** 3n * 1_000_000_000n,
      pods: 110,
    });
  });

  it('reports a namespace phase and creation time', () => {
    expect(
      slimNamespace({
        metadata: { name: 'a', creationTimestamp: 't' },
        status: { phase: 'Terminating' },
      }),
    ).toEqual({ name: 'a', phase: 'Terminating', created: 't' });
  });
});

describe('what the cause-naming detectors read', () => {
  it('keeps the ports a pod declares, its pull Secrets and since when it is ready', () => {
    const record = slimPod({
      metadata: { name: 'web-1', namespace: 'shop' },
      spec: {
        imagePullSecrets: [{ name: 'registry' }],
        containers: [{ name: 'a', ports: [{ name: 'http', containerPort: 8080 }] }],
      },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:10Z' }],
      },
    });
    expect(record.refs).toEqual({ pullSecrets: ['registry'], ports: ['http', '8080'] });
    expect(record.readySince).toBe(Date.parse('2026-01-01T00:00:10Z') / 1000);
  });

  it('keeps a StatefulSet\u2019s governing Service and claim classes, a binding\u2019s role and ServiceAccounts', () => {
    expect(
      slimStatefulSet({
        metadata: { name: 'db', namespace: 'shop' },
        spec: {
          serviceName: 'db',
          volumeClaimTemplates: [
            { metadata: { name: 'data' }, spec: { storageClassName: 'fast' } },
            { metadata: { name: 'logs' }, spec: {} },
          ],
        },
      }),
    ).toMatchObject({
      serviceName: 'db',
      claimTemplates: [{ name: 'data', storageClassName: 'fast' }, { name: 'logs' }],
    });
    expect(
      slimRoleBinding({
        metadata: { name: 'b', namespace: 'shop' },
        roleRef: { kind: 'Role', name: 'reader' },
        subjects: [
          { kind: 'ServiceAccount', name: 'app' },
          { kind: 'User', name: 'alice' },
        ],
      }),
    ).toEqual({
      name: 'b',
      namespace: 'shop',
      roleRef: { kind: 'Role', name: 'reader' },
      serviceAccounts: [{ namespace: 'shop', name: 'app' }],
    });
  });

  it('shares the role reference and subject list of bindings that repeat them', () => {
    const binding = (name: string, namespace: string) =>
      slimRoleBinding({
        metadata: { name, namespace },
        roleRef: { kind: 'ClusterRole', name: 'view' },
        subjects: [{ kind: 'ServiceAccount', name: 'ci', namespace: 'tools' }],
      });
    const [a, b] = [binding('x', 'shop'), binding('y', 'billing')];
    expect(b.roleRef).toBe(a.roleRef);
    expect(b.serviceAccounts).toBe(a.serviceAccounts);
    expect(Object.isFrozen(a.roleRef) && Object.isFrozen(a.serviceAccounts[0])).toBe(true);
    expect(binding('z', 'shop').serviceAccounts).toEqual([{ namespace: 'tools', name: 'ci' }]);
  });
});
