import { RecentViews, ViewRead } from './recent-views';

const services = (windowSeconds: number): ViewRead => ({ view: 'services', windowSeconds });
const graph = (windowSeconds: number): ViewRead => ({ view: 'graph', windowSeconds });
const MINUTE = 60_000;

describe('RecentViews', () => {
  it('plans the always-warm views first, then the reads of the last minutes, most recent first', () => {
    const recent = new RecentViews();
    recent.note('a', services(60), 1000);
    recent.note('a', graph(60), 2000);
    recent.note('a', services(300), 3000);
    recent.note('b', graph(900), 3000);
    expect(recent.plan('a', 4000, [services(300), graph(300)], 10 * MINUTE, 10)).toEqual([
      services(300),
      graph(300),
      graph(60),
      services(60),
    ]);
  });

  it('a view read again moves to the front; at most `max` views are planned', () => {
    const recent = new RecentViews();
    for (const w of [10, 20, 30]) recent.note('a', services(w), w);
    recent.note('a', services(10), 100);
    expect(recent.plan('a', 200, [], MINUTE, 2)).toEqual([services(10), services(30)]);
  });

  it('forgets reads older than the warm time, and clusters no longer served', () => {
    const recent = new RecentViews();
    recent.note('a', services(60), 0);
    recent.note('a', graph(60), 5 * MINUTE);
    recent.note('b', graph(60), 5 * MINUTE);
    expect(recent.plan('a', 10 * MINUTE + 1, [], 10 * MINUTE, 10)).toEqual([graph(60)]);
    // Once forgotten, a read does not come back when the time limit is raised.
    expect(recent.plan('a', 10 * MINUTE + 1, [], 60 * MINUTE, 10)).toEqual([graph(60)]);
    recent.keepOnly(new Set(['a']));
    expect(recent.plan('b', 5 * MINUTE, [], 10 * MINUTE, 10)).toEqual([]);
  });

  it('remembers a bounded number of reads per cluster, whatever windows are asked for', () => {
    const recent = new RecentViews();
    for (let w = 10; w < 10 + 1000; w++) recent.note('a', services(w), w);
    const planned = recent.plan('a', 2000, [], MINUTE, 1000);
    expect(planned).toHaveLength(64);
    expect(planned[0]).toEqual(services(1009));
  });
});
