import { ownersOf, rendezvousOrder } from './rendezvous';

const clusters = Array.from({ length: 600 }, (_, i) => `cluster-${i}`);
const owner = (id: string, members: string[]) => ownersOf(id, members, 1)[0];

describe('rendezvous ownership', () => {
  it('gives the same order whatever the order the members are listed in', () => {
    for (const c of clusters.slice(0, 50))
      expect(rendezvousOrder(c, ['r1', 'r2', 'r3'])).toEqual(
        rendezvousOrder(c, ['r3', 'r1', 'r2']),
      );
  });

  it('spreads the clusters about evenly over the members', () => {
    const counts = new Map<string, number>();
    for (const c of clusters) {
      const o = owner(c, ['r1', 'r2', 'r3']);
      counts.set(o, (counts.get(o) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(['r1', 'r2', 'r3']);
    for (const n of counts.values()) expect(n).toBeGreaterThan(150);
  });

  it('moves only the dead member’s clusters, each to its former second owner', () => {
    const before = ['r1', 'r2', 'r3', 'r4'];
    const after = ['r1', 'r2', 'r4'];
    for (const c of clusters) {
      const [first, second] = ownersOf(c, before, 2);
      if (first === 'r3') expect(owner(c, after)).toBe(second);
      else expect(owner(c, after)).toBe(first);
    }
  });

  it('moves to a joining member only the clusters it wins, about 1/n of them', () => {
    const moved = clusters.filter((c) => owner(c, ['r1', 'r2']) !== owner(c, ['r1', 'r2', 'r3']));
    for (const c of moved) expect(owner(c, ['r1', 'r2', 'r3'])).toBe('r3');
    expect(moved.length).toBeGreaterThan(clusters.length / 3 - 60);
    expect(moved.length).toBeLessThan(clusters.length / 3 + 60);
  });

  it('returns as many distinct owners as the factor allows', () => {
    expect(new Set(ownersOf('c', ['r1', 'r2', 'r3'], 2)).size).toBe(2);
    expect(ownersOf('c', ['r1'], 2)).toEqual(['r1']);
  });
});
