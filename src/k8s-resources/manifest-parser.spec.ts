import { parseManifest } from './manifest-parser';

const field = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code: string; details: Array<{ field: string; errors: string[] }> })
      .details[0];
  }
  throw new Error('expected a refusal');
};

describe('parseManifest', () => {
  it('splits documents and reads group, version, kind, name and namespace', () => {
    const docs = parseManifest(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n',
    );
    expect(docs.map((d) => [d.index, d.group, d.version, d.kind, d.name, d.namespace])).toEqual([
      [0, 'apps', 'v1', 'Deployment', 'web', 'shop'],
      [2, '', 'v1', 'ConfigMap', 'c', undefined],
    ]);
  });

  it.each([
    ['kind: ConfigMap\nmetadata: {name: c}', /apiVersion and kind/],
    ['apiVersion: v1\nkind: ConfigMap\nmetadata: {}', /metadata.name/],
    ['apiVersion: v1\nkind: List\nitems: []\nmetadata: {name: l}', /List/],
    ['- a\n- b', /Kubernetes object/],
    ['apiVersion: v1\nkind: [unclosed', /invalid YAML/],
    ['', /no object/],
  ])('refuses %j with a field error', (text, message) => {
    expect(field(() => parseManifest(text)).errors[0]).toMatch(message);
  });

  it('refuses alias bombs instead of expanding them', () => {
    const bomb = [
      'a: &a [x,x,x,x,x,x,x,x,x,x]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: x}',
    ].join('\n');
    expect(field(() => parseManifest(bomb)).field).toBe('manifest[0]');
  });
});
