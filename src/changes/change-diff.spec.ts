import {
  configMapFields,
  hashValue,
  managersOf,
  trackedState,
  workloadFields,
} from '../cluster-state/records/change-fields';
import {
  describeField,
  diffFields,
  managerOf,
  rolloutChange,
  TRACKED_KINDS,
  updateChange,
} from './change-diff';

const deployment = (image: string, env: Record<string, string>, managers: unknown[] = []) => ({
  metadata: { name: 'api', namespace: 'shop', resourceVersion: '7', managedFields: managers },
  spec: {
    replicas: 2,
    template: {
      spec: {
        containers: [
          {
            name: 'app',
            image,
            env: Object.entries(env).map(([name, value]) => ({ name, value })),
          },
        ],
      },
    },
  },
});

describe('workload changes', () => {
  it('tells an image change by its tags, first among the changed fields', () => {
    const before = trackedState(deployment('shop/api:1.4.2', { MODE: 'a' }), workloadFields);
    const after = trackedState(deployment('shop/api:1.5.0', { MODE: 'b' }), workloadFields);
    const change = updateChange(
      TRACKED_KINDS.deployments,
      { namespace: 'shop', name: 'api' },
      before,
      after,
    )!;
    expect(change.category).toBe('template');
    expect(change.summary).toBe('image of container app changed from 1.4.2 to 1.5.0 (and 1 more)');
    expect(change.diff[1]).toEqual({ path: 'containers[app].env[MODE]', old: 'a', new: 'b' });
  });

  it('keeps a secret-looking env value only as a hash, and says it changed without values', () => {
    const before = trackedState(deployment('a', { DB_PASSWORD: 'canary-one' }), workloadFields);
    const after = trackedState(deployment('a', { DB_PASSWORD: 'canary-two' }), workloadFields);
    const [field] = diffFields(before.fields, after.fields);
    expect(JSON.stringify([before, after])).not.toContain('canary');
    expect(field.old).toBe(hashValue('canary-one'));
    expect(describeField(field)).toBe('env[DB_PASSWORD] of container app changed');
  });

  it('is no change when only untracked fields (status, metadata) moved', () => {
    const state = trackedState(deployment('a', {}), workloadFields);
    expect(
      updateChange(TRACKED_KINDS.deployments, { namespace: 'shop', name: 'api' }, state, state),
    ).toBeUndefined();
  });

  it('credits a replica change to the scale writer, not a same-second status writer', () => {
    const managers = managersOf({
      metadata: {
        managedFields: [
          { manager: 'kubectl', time: '2026-12-07T08:00:00Z', fieldsV1: { 'f:spec': {} } },
          {
            manager: 'kube-controller-manager',
            time: '2026-12-07T08:05:00Z',
            subresource: 'scale',
            fieldsV1: { 'f:spec': {} },
          },
          {
            manager: 'kube-controller-manager',
            time: '2026-12-07T08:05:00Z',
            subresource: 'status',
            fieldsV1: { 'f:status': {} },
          },
        ],
      },
    });
    expect(managerOf(managers, 'replicas')).toBe('kube-controller-manager');
    expect(managerOf(managers, 'conditions[Ready]')).toBe('kube-controller-manager');
  });
});

describe('ConfigMap and rollout changes', () => {
  it('lists a removed key, with values only as hashes', () => {
    const cm = (data: Record<string, string>) => ({ metadata: { resourceVersion: '1' }, data });
    const diff = diffFields(
      configMapFields(cm({ A: 'x', B: 'y' })),
      configMapFields(cm({ A: 'x' })),
    );
    expect(diff).toEqual([{ path: 'data[B]', old: hashValue('y'), new: null }]);
    expect(describeField(diff[0])).toBe('key B removed');
  });

  it('makes one rollout change per new ReplicaSet revision of a Deployment', () => {
    const rs = { namespace: 'shop', name: 'api-5d4', owner: { kind: 'Deployment', name: 'api' } };
    const state = (revision: string) => ({
      resourceVersion: '3',
      fields: { revision },
      managers: [],
    });
    expect(rolloutChange(rs, undefined, state('4'))).toMatchObject({
      object: { kind: 'Deployment', name: 'api' },
      category: 'rollout',
      summary: 'rolled out revision 4 (ReplicaSet api-5d4)',
    });
    expect(rolloutChange(rs, state('4'), state('4'))).toBeUndefined();
  });
});
