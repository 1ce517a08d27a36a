import type { PodRecord } from '../cluster-state/records/pod';
import { BIG_NAMESPACE, PodIndex } from './pod-index';

const pod = (namespace: string, name: string, labels: Record<string, string> = {}) =>
  ({ namespace, name, labels }) as unknown as PodRecord;

/** What the index must answer, computed from scratch from the pods in snapshot order. */
function expected(pods: Map<string, PodRecord>) {
  const byNamespace = new Map<string, string[]>();
  const labels = new Map<string, Set<string>>();
  for (const p of pods.values()) {
    byNamespace.set(p.namespace, [...(byNamespace.get(p.namespace) ?? []), p.name]);
    for (const [k, v] of Object.entries(p.labels ?? {})) {
      const pair = `${k}=${v}`;
      labels.set(pair, (labels.get(pair) ?? new Set()).add(p.namespace));
    }
  }
  return { byNamespace, labels };
}

describe('PodIndex', () => {
  // 40 names: namespaces stay arrays; 1,200 names: they grow past BIG_NAMESPACE and become maps.
  it.each([40, 1200])(
    'answers what a fresh indexing answers, through adds, updates, relabels and deletes (%i names per namespace)',
    (names) => {
      // A seeded sequence: the same on every run, so a failure can be replayed.
      let seed = 7;
      // A 32-bit LCG, high bits (its low bits cycle with a short period).
      const random = (n: number) =>
        ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) >>> 16) % n;
      const snapshot = new Map<string, PodRecord>();
      const index = new PodIndex();
      const held: Array<[string, readonly PodRecord[], string[]]> = [];
      const sizes = () => [...expected(snapshot).byNamespace.values()].map((l) => l.length);
      for (let step = 0; step < (names > 40 ? 6000 : 3000); step++) {
        const namespace = `ns${random(4)}`;
        const name = `p${random(names)}`;
        const key = `${namespace}/${name}`;
        if (random(4) === 0) {
          const gone = snapshot.get(key);
          snapshot.delete(key);
          if (gone) index.remove(gone);
        } else {
          const next = pod(namespace, name, {
            app: `a${random(3)}`,
            tier: random(2) ? 'web' : 'db',
          });
          snapshot.set(key, next); // a Map keeps an updated key in place, as the snapshot does
          index.put(next);
        }
        if (step % 50 === 0) {
          // A detector holding a list while changes go on sees the list as it was handed out.
          const list = index.podsIn(namespace);
          held.push([namespace, list, list.map((p) => p.name)]);
        }
        if (names > 40 && step % 25 !== 0) continue; // checking is O(pods): every 25th step
        const want = expected(snapshot);
        for (const ns of ['ns0', 'ns1', 'ns2', 'ns3'])
          expect(index.podsIn(ns).map((p) => p.name)).toEqual(want.byNamespace.get(ns) ?? []);
        for (const pair of ['app=a0', 'app=a1', 'app=a2', 'tier=web', 'tier=db']) {
          const [k, v] = pair.split('=');
          expect(new Set(index.namespacesWithLabel(k, v))).toEqual(
            want.labels.get(pair) ?? new Set(),
          );
        }
      }
      for (const [, list, listed] of held) expect(list.map((p) => p.name)).toEqual(listed);
      if (names > 40) expect(Math.max(...sizes())).toBeGreaterThan(BIG_NAMESPACE);
    },
  );

  it('loads a listing in order and then takes changes to it', () => {
    const index = new PodIndex();
    for (const p of [pod('a', 'x', { app: 'one' }), pod('a', 'y', { app: 'one' }), pod('b', 'z')])
      index.load(p);
    const before = index.podsIn('a');
    index.put(pod('a', 'x', { app: 'two' }));
    expect(index.podsIn('a').map((p) => p.labels.app)).toEqual(['two', 'one']);
    expect(before.map((p) => p.labels.app)).toEqual(['one', 'one']);
    expect([...index.namespacesWithLabel('app', 'one')]).toEqual(['a']);
    expect([...index.namespacesWithLabel('app', 'two')]).toEqual(['a']);
    // x relabelled again: no pod carries app=two any more, in any namespace.
    index.put(pod('a', 'x', { app: 'three' }));
    expect([...index.namespacesWithLabel('app', 'two')]).toEqual([]);
    index.put(pod('b', 'w', { app: 'one' }));
    expect([...index.namespacesWithLabel('app', 'one')].sort()).toEqual(['a', 'b']);
    index.remove(pod('a', 'y'));
    expect([...index.namespacesWithLabel('app', 'one')]).toEqual(['b']);
    index.remove(pod('b', 'w'));
    expect([...index.namespacesWithLabel('app', 'one')]).toEqual([]);
    index.remove(pod('b', 'z'));
    expect(index.podsIn('b')).toEqual([]);
  });

  it('counts replicas loaded one after another on one shared label set as a fresh indexing does, through their removal', () => {
    // Interned label sets, as slim records carry them: runs of replicas share one object, and a
    // set recurs in another namespace (a pair held by several namespaces) and later in the same.
    const sets: Record<string, string>[] = [
      { app: 'web', tier: 'front' },
      { app: 'web' },
      { app: 'db', tier: 'front' },
      {},
    ];
    const listing: PodRecord[] = [];
    let n = 0;
    for (const [namespace, set, replicas] of [
      ['a', 0, 3],
      ['b', 0, 2],
      ['a', 0, 2],
      ['a', 1, 3],
      ['c', 2, 1],
      ['a', 3, 2],
      ['b', 3, 2],
      ['a', 2, 4],
    ] as const)
      for (let i = 0; i < replicas; i++) listing.push(pod(namespace, `p${n++}`, sets[set]));
    const index = new PodIndex();
    for (const p of listing) index.load(p);
    const left = new Map(listing.map((p) => [`${p.namespace}/${p.name}`, p]));
    const check = () => {
      const want = expected(left);
      for (const pair of ['app=web', 'app=db', 'tier=front']) {
        const [k, v] = pair.split('=');
        expect(new Set(index.namespacesWithLabel(k, v))).toEqual(
          want.labels.get(pair) ?? new Set(),
        );
      }
    };
    check();
    expect(new Set(index.namespacesWithLabel('tier', 'front'))).toEqual(new Set(['a', 'b', 'c']));
    // Removing every replica but the last of a run leaves the pair held; the last one frees it.
    for (const p of [...listing].reverse()) {
      index.remove(p);
      left.delete(`${p.namespace}/${p.name}`);
      check();
    }
  });

  it('keeps a namespace loaded past BIG_NAMESPACE in listing order through changes', () => {
    const index = new PodIndex();
    const names = Array.from({ length: BIG_NAMESPACE + 50 }, (_, i) => `p${i}`);
    for (const name of names) index.load(pod('big', name, { app: 'web' }));
    const held = index.podsIn('big');
    index.put(pod('big', 'p7', { app: 'api' }));
    index.remove(pod('big', 'p8'));
    index.put(pod('big', 'new'));
    const now = index.podsIn('big');
    expect(now.map((p) => p.name)).toEqual([...names.filter((n) => n !== 'p8'), 'new']);
    expect(now[7].labels.app).toBe('api');
    expect(held.map((p) => p.name)).toEqual(names);
    expect(held[7].labels.app).toBe('web');
    expect([...index.namespacesWithLabel('app', 'api')]).toEqual(['big']);
  });
});
