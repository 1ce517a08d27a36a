import { applyMergePatch } from './merge-patch';

describe('applyMergePatch (RFC 7386)', () => {
  it('merges objects recursively, removes null members and replaces arrays and scalars', () => {
    const target = {
      metadata: { name: 'a', labels: { x: '1', y: '2' } },
      spec: { hosts: ['a', 'b'], keep: true },
    };
    expect(
      applyMergePatch(target, {
        metadata: { labels: { y: null, z: '3' } },
        spec: { hosts: ['c'] },
      }),
    ).toEqual({
      metadata: { name: 'a', labels: { x: '1', z: '3' } },
      spec: { hosts: ['c'], keep: true },
    });
    expect(target.metadata.labels).toEqual({ x: '1', y: '2' });
  });

  it('replaces the target when the patch is not an object', () => {
    expect(applyMergePatch({ a: 1 }, ['x'])).toEqual(['x']);
    expect(applyMergePatch('x', { a: { b: 1 } })).toEqual({ a: { b: 1 } });
  });
});
