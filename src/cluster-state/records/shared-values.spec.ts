import { InternPool } from './intern';
import { slimLabelled } from './labelled';
import { slimPod } from './pod';

/** A pod as JSON.parse gives it: every string and object its own copy. */
function parsedPod(name: string, extra: { ready?: boolean } = {}): Record<string, any> {
  return JSON.parse(
    JSON.stringify({
      metadata: {
        name,
        namespace: 'shop',
        labels: { app: 'web', 'pod-template-hash': '7c9f8' },
        ownerReferences: [{ kind: 'ReplicaSet', name: 'web-7c9f8', controller: true }],
      },
      spec: {
        nodeName: 'kwok-node-12',
        containers: [
          {
            name: 'app',
            envFrom: [{ configMapRef: { name: 'web-config' } }],
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
          },
        ],
      },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: extra.ready === false ? 'False' : 'True' }],
      },
    }),
  ) as Record<string, any>;
}

describe('values shared between records', () => {
  it('gives replicas of one template the same label set, owner, references and sizes', () => {
    const a = slimPod(parsedPod('web-7c9f8-a'));
    const b = slimPod(parsedPod('web-7c9f8-b'));
    expect(b.labels).toBe(a.labels);
    expect(b.owner).toBe(a.owner);
    expect(b.refs).toBe(a.refs);
    expect(b.requests).toBe(a.requests);
    expect(b.limits).toBe(a.limits);
    expect(a.refs).toEqual({ configMaps: ['web-config'] });
    expect(a.requests).toEqual({ cpu: 100_000_000n, memory: 134_217_728_000_000_000n });
  });

  it('freezes what it shares, so no reader can change another record through it', () => {
    const pod = slimPod(parsedPod('web-7c9f8-a'));
    for (const shared of [pod.labels, pod.owner, pod.refs, pod.refs?.configMaps, pod.requests])
      expect(Object.isFrozen(shared)).toBe(true);
  });

  it('keeps different label sets apart', () => {
    const other = parsedPod('web-7c9f8-c');
    other.metadata.labels.app = 'api';
    expect(slimLabelled(other).labels).toEqual({ app: 'api', 'pod-template-hash': '7c9f8' });
    expect(slimLabelled(parsedPod('x')).labels).toEqual({
      app: 'web',
      'pod-template-hash': '7c9f8',
    });
  });

  it('leaves the diagnostics fields out of a healthy pod, and keeps them for one that is not', () => {
    expect(Object.keys(slimPod(parsedPod('fine')))).not.toContain('created');
    const unready = slimPod(parsedPod('unready', { ready: false }));
    expect(unready.conditions).toEqual([{ type: 'Ready', status: 'False' }]);
    expect(Object.keys(unready)).toContain('containers');
  });
});

describe('InternPool', () => {
  it('returns the first value made for a key, and stays within its bound', () => {
    const pool = new InternPool<{ v: number }>(2);
    const one = pool.get('1', () => ({ v: 1 }));
    expect(pool.get('1', () => ({ v: 99 }))).toBe(one);
    pool.get('2', () => ({ v: 2 }));
    pool.get('3', () => ({ v: 3 }));
    expect(pool.size).toBeLessThanOrEqual(2);
    // After a clear the value is made again: equal, only no longer the same instance.
    expect(pool.get('1', () => ({ v: 1 }))).toEqual(one);
  });
});
