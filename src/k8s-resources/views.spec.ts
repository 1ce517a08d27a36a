import type { ServedKind } from '../kubernetes/discovery';
import { resolveKind } from './kind-resolver';
import { objectView, redactSecret } from './object-views';
import { summarize } from './summaries';

const served = (
  plural: string,
  kind: string,
  group = '',
  shortNames: string[] = [],
): ServedKind => ({
  group,
  version: 'v1',
  kind,
  plural,
  namespaced: true,
  verbs: ['get', 'list'],
  shortNames,
});
const SERVED = [
  served('pods', 'Pod', '', ['po']),
  served('gateways', 'Gateway', 'networking.istio.io', ['gw']),
  served('gateways', 'Gateway', 'gateway.networking.k8s.io'),
  served('deployments', 'Deployment', 'apps', ['deploy']),
];

describe('resolveKind', () => {
  it.each(['pods', 'Pod', 'po', 'POD'])('finds pods by %s', (ref) =>
    expect(resolveKind(SERVED, ref).plural).toBe('pods'),
  );

  it('takes plural.group exactly', () => {
    expect(resolveKind(SERVED, 'gateways.gateway.networking.k8s.io').group).toBe(
      'gateway.networking.k8s.io',
    );
    expect(resolveKind(SERVED, 'deployments.apps').kind).toBe('Deployment');
  });

  it('refuses an ambiguous name with the candidates instead of guessing', () => {
    expect(() => resolveKind(SERVED, 'gateways')).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        message: expect.stringContaining('gateways.networking.istio.io'),
      }),
    );
    expect(resolveKind(SERVED, 'gw').group).toBe('networking.istio.io');
  });

  it('answers an unknown kind with K8S_NOT_FOUND', () => {
    expect(() => resolveKind(SERVED, 'widgets')).toThrow(
      expect.objectContaining({ code: 'K8S_NOT_FOUND' }),
    );
  });
});

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
