import { objectView, redactSecret } from './object-views';
import { summarize } from './summaries';

describe('object views', () => {
  const lastApplied = 'kubectl.kubernetes.io/last-applied-configuration';
  const cm = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'c',
      managedFields: [{ manager: 'kubectl' }],
      annotations: { [lastApplied]: '{}', keep: 'me' },
    },
    data: { a: '1' },
  };

  it('slims managedFields and the last-applied annotation unless full is asked for', () => {
    const slim = objectView(cm, 'ConfigMap', false);
    expect(slim.metadata).toEqual({ name: 'c', annotations: { keep: 'me' } });
    expect(slim.data).toEqual({ a: '1' });
    expect(objectView(cm, 'ConfigMap', true)).toBe(cm);
  });

  it('never returns Secret values, in any view, not even through the last-applied annotation', () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: 's', annotations: { [lastApplied]: '{"data":{"password":"Q0FOQVJZ"}}' } },
      data: { password: 'Q0FOQVJZ' },
      stringData: { token: 'CANARY' },
    };
    for (const full of [false, true]) {
      const view = objectView(secret, 'Secret', full);
      expect(JSON.stringify(view)).not.toMatch(/Q0FOQVJZ|CANARY/);
      expect(view.keys).toEqual(['password', 'token']);
    }
    expect(redactSecret(secret).type).toBe('Opaque');
  });
});

describe('summaries', () => {
  it('summarises a crash-looping pod like kubectl get', () => {
    const pod = {
      metadata: { name: 'p', namespace: 'n', creationTimestamp: 't' },
      spec: { nodeName: 'node-1', containers: [{ image: 'a:1' }, { image: 'b:2' }] },
      status: {
        phase: 'Running',
        containerStatuses: [
          { ready: true, restartCount: 1, state: { running: {} } },
          { ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } },
        ],
      },
    };
    expect(summarize('pods', pod)).toEqual({
      name: 'p',
      namespace: 'n',
      created: 't',
      phase: 'Running',
      status: 'CrashLoopBackOff',
      ready: '1/2',
      restarts: 5,
      node: 'node-1',
      images: ['a:1', 'b:2'],
    });
  });

  it('summarises deployments and nodes', () => {
    expect(
      summarize('deployments.apps', {
        metadata: { name: 'd' },
        spec: { replicas: 3, template: { spec: { containers: [{ image: 'x' }] } } },
        status: { readyReplicas: 2 },
      }),
    ).toMatchObject({ replicas: 3, ready: 2, available: 0, images: ['x'] });
    expect(
      summarize('nodes', {
        metadata: { name: 'n', labels: { 'node-role.kubernetes.io/control-plane': '' } },
        spec: { unschedulable: true },
        status: { conditions: [{ type: 'Ready', status: 'False' }] },
      }),
    ).toMatchObject({ status: 'NotReady', unschedulable: true, roles: ['control-plane'] });
  });
});
