import { previousRevision } from './rollout-undo';

const owner = { uid: 'd1', controller: true };
const rs = (revision: string, image: string, ownerRef = owner) => ({
  metadata: {
    name: `web-${revision}`,
    annotations: { 'deployment.kubernetes.io/revision': revision },
    ownerReferences: [ownerRef],
  },
  spec: {
    template: {
      metadata: { labels: { app: 'web', 'pod-template-hash': `h${revision}` } },
      spec: { containers: [{ name: 'app', image }] },
    },
  },
});

const deployment = {
  metadata: {
    name: 'web',
    uid: 'd1',
    resourceVersion: '9',
    annotations: { 'deployment.kubernetes.io/revision': '3' },
    managedFields: [{ manager: 'kubectl' }],
  },
  spec: {
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'app', image: 'web:3' }] },
    },
  },
  status: { replicas: 1 },
};

describe('previousRevision', () => {
  it("takes the template of the Deployment's highest revision below the current one, without its hash label", () => {
    const { revision, body } = previousRevision(deployment, [
      rs('1', 'web:1'),
      rs('2', 'web:2'),
      rs('3', 'web:3'),
      rs('2', 'other:2', { uid: 'someone-else', controller: true }),
    ]);
    expect(revision).toBe(2);
    expect(body.spec.template).toEqual({
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'app', image: 'web:2' }] },
    });
    expect(body.metadata).toMatchObject({ name: 'web', resourceVersion: '9' });
    expect(body.metadata?.managedFields).toBeUndefined();
    expect(body.status).toBeUndefined();
    expect(deployment.spec.template.spec.containers[0].image).toBe('web:3');
  });

  it('answers K8S_NOT_FOUND when there is no earlier revision', () => {
    expect(() => previousRevision(deployment, [rs('3', 'web:3')])).toThrow(
      expect.objectContaining({ code: 'K8S_NOT_FOUND' }),
    );
  });
});
