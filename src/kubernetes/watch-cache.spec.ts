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

  it('emits nothing when only what the record drops changed, and keeps the old record', () => {
    const events: string[] = [];
    const slim = (o: Record<string, any>) => ({ name: o.metadata.name, ready: o.status.ready });
    const cache = new WatchCache(slim, {
      onAdd: (r) => events.push(`add ${r.name} ${r.ready}`),
      onUpdate: (r, p) => events.push(`update ${r.name} ${p.ready}->${r.ready}`),
    });
    const node = (rv: string, ready: boolean, heartbeat: string) =>
      obj('n1', rv, '', { status: { ready, heartbeat } });
    cache.upsert(node('1', true, '10:00:00'));
    const kept = cache.get('n1');
    cache.upsert(node('2', true, '10:00:10'));
    expect(cache.get('n1')).toBe(kept);
    cache.upsert(node('3', false, '10:00:20'));
    cache.upsert(node('3', false, '10:00:20'));
    expect(events).toEqual(['add n1 true', 'update n1 true->false']);
  });

  it('keeps through a relist an object whose new version has the same record', () => {
    const events: string[] = [];
    const cache = new WatchCache((o) => ({ name: o.metadata.name }), {
      onDelete: (r) => events.push(`delete ${r.name}`),
    });
    cache.upsert(obj('a', '1'));
    cache.beginRelist();
    cache.upsert(obj('a', '2'));
    cache.endRelist();
    expect(cache.size).toBe(1);
    expect(events).toEqual([]);
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
