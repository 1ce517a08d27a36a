import type { PodRecord } from '../cluster-state/records/pod';
import { PodIndex } from './pod-index';

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
  it('answers what a fresh indexing of the snapshot answers, through adds, updates, relabels and deletes', () => {
    // A seeded sequence: the same on every run, so a failure can be replayed.
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const snapshot = new Map<string, PodRecord>();
    const index = new PodIndex();
    const held: Array<[string, readonly PodRecord[], string[]]> = [];
    for (let step = 0; step < 3000; step++) {
      const namespace = `ns${random(4)}`;
      const name = `p${random(40)}`;
      const key = `${namespace}/${name}`;
      if (random(4) === 0) {
        const gone = snapshot.get(key);
        snapshot.delete(key);
        if (gone) index.remove(gone);
      } else {
        const next = pod(namespace, name, { app: `a${random(3)}`, tier: random(2) ? 'web' : 'db' });
        snapshot.set(key, next); // a Map keeps an updated key in place, as the snapshot does
        index.put(next);
      }
      if (step % 50 === 0) {
        // A detector holding a list while changes go on sees the list as it was handed out.
        const list = index.podsIn(namespace);
        held.push([namespace, list, list.map((p) => p.name)]);
      }
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
    for (const [, list, names] of held) expect(list.map((p) => p.name)).toEqual(names);
  });

  it('loads a listing in order and then takes changes to it', () => {
    const index = new PodIndex();
    for (const p of [pod('a', 'x', { app: 'one' }), pod('a', 'y', { app: 'one' }), pod('b', 'z')])
      index.load(p);
    const before = index.podsIn('a');
    index.put(pod('a', 'x', { app: 'two' }));
    expect(index.podsIn('a').map((p) => p.labels.app)).toEqual(['two', 'one']);
    expect(before.map((p) => p.labels.app)).toEqual(['one', 'one']);
    expect([...index.namespacesWithLabel('app', 'one')]).toEqual(['a']);
    index.put(pod('b', 'w', { app: 'one' }));
    expect([...index.namespacesWithLabel('app', 'one')].sort()).toEqual(['a', 'b']);
    index.remove(pod('a', 'y'));
    expect([...index.namespacesWithLabel('app', 'one')]).toEqual(['b']);
    index.remove(pod('b', 'w'));
    expect([...index.namespacesWithLabel('app', 'one')]).toEqual([]);
    index.remove(pod('b', 'z'));
    expect(index.podsIn('b')).toEqual([]);
  });
});
