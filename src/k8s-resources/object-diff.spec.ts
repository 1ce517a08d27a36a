import { diffObjects } from './object-diff';

describe('diffObjects', () => {
  it('reports replaced, added and removed fields by JSON path', () => {
    const before = {
      spec: { replicas: 2, template: { spec: { containers: [{ name: 'a', image: 'x:1' }] } } },
      metadata: { labels: { a: '1' } },
    };
    const after = {
      spec: {
        replicas: 3,
        template: {
          spec: {
            containers: [
              { name: 'a', image: 'x:2' },
              { name: 'b', image: 'y' },
            ],
          },
        },
      },
      metadata: { labels: {} },
    };
    expect(diffObjects(before, after)).toEqual([
      { path: 'metadata.labels.a', op: 'remove', from: '1' },
      { path: 'spec.replicas', op: 'replace', from: 2, to: 3 },
      { path: 'spec.template.spec.containers[0].image', op: 'replace', from: 'x:1', to: 'x:2' },
      { path: 'spec.template.spec.containers[1]', op: 'add', to: { name: 'b', image: 'y' } },
    ]);
  });

  it('ignores server-managed fields and status', () => {
    const before = {
      metadata: { name: 'n', resourceVersion: '1', generation: 1, uid: 'u' },
      status: { a: 1 },
    };
    const after = {
      metadata: { name: 'n', resourceVersion: '2', generation: 2, uid: 'u' },
      status: { a: 2 },
    };
    expect(diffObjects(before, after)).toEqual([]);
  });

  it('treats a whole new object as one addition per top-level field', () => {
    const created = { kind: 'ConfigMap', data: { k: 'v' }, status: { phase: 'x' } };
    expect(diffObjects(undefined, created)).toEqual([
      { path: 'data', op: 'add', to: { k: 'v' } },
      { path: 'kind', op: 'add', to: 'ConfigMap' },
    ]);
  });
});
