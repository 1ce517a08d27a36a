import { WatchCache, objectKey } from './watch-cache';

const obj = (
  name: string,
  resourceVersion: string,
  namespace = 'ns',
  extra: Record<string, unknown> = {},
) => ({
  metadata: { name, namespace, resourceVersion },
  ...extra,
});

function recordingCache() {
  const events: string[] = [];
  const cache = new WatchCache(
    (o) => ({ name: o.metadata.name as string, rv: o.metadata.resourceVersion as string }),
    {
      onAdd: (r) => events.push(`add ${r.name}@${r.rv}`),
      onUpdate: (r, p) => events.push(`update ${r.name}@${p.rv}->${r.rv}`),
      onDelete: (r) => events.push(`delete ${r.name}@${r.rv}`),
    },
  );
  return { cache, events };
}

describe('objectKey', () => {
  it('prefixes the namespace for namespaced objects only', () => {
    expect(objectKey({ name: 'a', namespace: 'n' })).toBe('n/a');
    expect(objectKey({ name: 'node-1' })).toBe('node-1');
  });
});

describe('WatchCache', () => {
  it('keeps only the transformed record', () => {
    const cache = new WatchCache((o) => ({ name: o.metadata.name }), {});
    cache.upsert(obj('a', '1', 'ns', { data: { secret: 'x' } }));
    expect(cache.values()).toEqual([{ name: 'a' }]);
  });

  it('emits add, then update with the previous record, then delete', () => {
    const { cache, events } = recordingCache();
    cache.upsert(obj('a', '1'));
    cache.upsert(obj('a', '2'));
    cache.remove(obj('a', '3'));
    expect(events).toEqual(['add a@1', 'update a@1->2', 'delete a@2']);
    expect(cache.size).toBe(0);
  });

  it('emits nothing for an object seen again at the same resourceVersion', () => {
    const { cache, events } = recordingCache();
    cache.upsert(obj('a', '1'));
    cache.upsert(obj('a', '1'));
    expect(events).toEqual(['add a@1']);
  });

  it('ignores the deletion of an unknown object', () => {
    const { cache, events } = recordingCache();
    cache.remove(obj('ghost', '9'));
    expect(events).toEqual([]);
  });

  it('tells apart objects with the same name in different namespaces', () => {
    const { cache } = recordingCache();
    cache.upsert(obj('a', '1', 'one'));
    cache.upsert(obj('a', '1', 'two'));
    expect(cache.size).toBe(2);
    expect(cache.get('two/a')).toEqual({ name: 'a', rv: '1' });
  });

  it('deletes after a complete relist what the list no longer has', () => {
    const { cache, events } = recordingCache();
    cache.upsert(obj('keep', '1'));
    cache.upsert(obj('gone', '1'));
    cache.beginRelist();
    cache.upsert(obj('keep', '1'));
    cache.upsert(obj('new', '5'));
    cache.endRelist();
    expect(events).toEqual(['add keep@1', 'add gone@1', 'add new@5', 'delete gone@1']);
  });

  it('finds cluster-scoped objects by name and namespaced ones by namespace/name', () => {
    const { cache } = recordingCache();
    cache.upsert({ metadata: { name: 'node-1', resourceVersion: '1' } });
    cache.upsert(obj('a', '2', 'one'));
    expect(cache.get('node-1')).toEqual({ name: 'node-1', rv: '1' });
    expect(cache.get('one/a')).toEqual({ name: 'a', rv: '2' });
    expect(cache.get('one/node-1')).toBeUndefined();
    expect(cache.values()).toHaveLength(2);
  });

  it('compares resourceVersions exactly, whatever their form', () => {
    const { cache, events } = recordingCache();
    cache.upsert(obj('a', '10'));
    cache.upsert(obj('a', '010'));
    cache.upsert(obj('a', 'x1'));
    cache.upsert(obj('a', 'x1'));
    cache.upsert(obj('a', '10'));
    cache.upsert(obj('a', '10'));
    expect(events).toEqual(['add a@10', 'update a@10->010', 'update a@010->x1', 'update a@x1->10']);
  });

  it('relists across namespaces and forgets namespaces left empty', () => {
    const { cache, events } = recordingCache();
    cache.upsert(obj('a', '1', 'one'));
    cache.upsert(obj('b', '1', 'two'));
    cache.beginRelist();
    cache.upsert(obj('b', '2', 'two'));
    cache.endRelist();
    expect(events).toEqual(['add a@1', 'add b@1', 'update b@1->2', 'delete a@1']);
    expect(cache.size).toBe(1);
    expect(cache.get('one/a')).toBeUndefined();
  });

  it('deletes nothing when a relist is abandoned part-way', () => {
    const { cache, events } = recordingCache();
    cache.upsert(obj('a', '1'));
    cache.beginRelist();
    cache.abandonRelist();
    cache.endRelist();
    expect(events).toEqual(['add a@1']);
    expect(cache.size).toBe(1);
  });
});
