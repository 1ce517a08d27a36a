import type { PodRecord } from '../cluster-state/records/pod';
import { OwnerLookup, parseWorkloadKey, workloadKey, workloadRestarts } from './workload-restarts';

const pod = (
  name: string,
  owner: PodRecord['owner'],
  restarts: number[],
  namespace = 'shop',
): PodRecord => ({
  name,
  namespace,
  labels: {},
  nodeName: 'n1',
  phase: 'Running',
  ready: false,
  requests: { cpu: 0n, memory: 0n },
  limits: { cpu: 0n, memory: 0n },
  owner,
  containers: restarts.map((r, i) => ({ name: `c${i}`, role: 'main', ready: false, restarts: r })),
});

const owners: OwnerLookup = {
  replicaSetOwner: (_ns, name) =>
    name.startsWith('api-') ? { kind: 'Deployment', name: 'api' } : undefined,
  jobOwner: (_ns, name) =>
    name.startsWith('nightly-') ? { kind: 'CronJob', name: 'nightly' } : undefined,
};

describe('workloadRestarts', () => {
  it('sums the restarts of every container of a workload, through ReplicaSet to Deployment', () => {
    const rows = workloadRestarts(
      [
        pod('api-1-a', { kind: 'ReplicaSet', name: 'api-1' }, [3, 1]),
        pod('api-2-b', { kind: 'ReplicaSet', name: 'api-2' }, [2]),
      ],
      owners,
    );
    expect(rows).toEqual([
      { namespace: 'shop', kind: 'Deployment', name: 'api', restarts: 6, pods: 2 },
    ]);
  });

  it('names a Job of a CronJob by the CronJob, an orphan ReplicaSet by itself and a bare pod by the pod', () => {
    const rows = workloadRestarts(
      [
        pod('nightly-1-x', { kind: 'Job', name: 'nightly-1' }, [1]),
        pod('orphan-x', { kind: 'ReplicaSet', name: 'orphan' }, [2]),
        pod('solo', undefined, [3]),
      ],
      owners,
    );
    expect(rows.map((r) => `${r.kind}/${r.name}:${r.restarts}`)).toEqual([
      'Pod/solo:3',
      'ReplicaSet/orphan:2',
      'CronJob/nightly:1',
    ]);
  });

  it('leaves out workloads without restarts and keeps only the most restarting ones', () => {
    const pods = [
      pod('fine', { kind: 'StatefulSet', name: 'db' }, [0]),
      ...[5, 1, 9, 3].map((r, i) => pod(`p${i}`, { kind: 'StatefulSet', name: `s${i}` }, [r])),
    ];
    const rows = workloadRestarts(pods, owners, 2);
    expect(rows.map((r) => [r.name, r.restarts])).toEqual([
      ['s2', 9],
      ['s0', 5],
    ]);
  });
});

describe('workloadKey', () => {
  it('is <namespace>/<Kind>/<name> and parses back', () => {
    const key = workloadKey({ namespace: 'shop', kind: 'Deployment', name: 'api' });
    expect(key).toBe('shop/Deployment/api');
    expect(parseWorkloadKey(key)).toEqual({ namespace: 'shop', kind: 'Deployment', name: 'api' });
  });

  it('fits a key longer than the 253-character column with a hash, distinct per workload', () => {
    const long = (n: string) => workloadKey({ namespace: 'ns', kind: 'Deployment', name: n });
    const a = long('a'.repeat(250));
    const b = long(`${'a'.repeat(249)}b`);
    expect([a.length, b.length]).toEqual([253, 253]);
    expect(a).not.toBe(b);
  });
});
