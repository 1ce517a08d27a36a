import type { ListWatch } from '../kubernetes/list-watch';
import type { CachedKindName } from './cached-records';
import { KindStatusMemo, STATUS_REUSE_MS } from './kind-status-memo';

/** The few ListWatch facts status() reads, settable by the test. */
function watchOf(facts: Partial<Record<string, unknown>> = {}) {
  const w = {
    state: 'synced',
    mode: 'watch',
    size: 3,
    lastSyncedAt: 1_000,
    lastError: undefined,
    listCounts: { lists: 1, relistsAfterGone: 0 },
    get stats(): { lists: number; relistsAfterGone: number } {
      return { ...this.listCounts };
    },
    ...facts,
  };
  return w;
}

function sections(...entries: Array<[CachedKindName, ReturnType<typeof watchOf>]>) {
  return new Map(
    entries.map(([kind, watch]) => [kind, { watch: watch as unknown as ListWatch<any> }]),
  );
}

describe('KindStatusMemo', () => {
  const t0 = Date.parse('2026-12-07T10:00:00Z');

  it('answers the same status while nothing changed, within the reuse window', () => {
    const memo = new KindStatusMemo();
    const pods = watchOf();
    const all = sections(['pods', pods]);
    const first = memo.read(all, t0);
    expect(first.pods).toMatchObject({ state: 'synced', count: 3, ageSeconds: 0 });
    expect(first.pods?.lastSyncedAt).toBe(new Date(t0).toISOString());
    expect(memo.read(all, t0 + STATUS_REUSE_MS - 1)).toBe(first);
  });

  it('rebuilds as soon as a count, a state or a list counter moves', () => {
    const memo = new KindStatusMemo();
    const pods = watchOf();
    const all = sections(['pods', pods]);
    memo.read(all, t0);
    pods.size = 4;
    expect(memo.read(all, t0 + 1).pods?.count).toBe(4);
    pods.state = 'stale';
    expect(memo.read(all, t0 + 2).pods).toMatchObject({
      state: 'stale',
      ageSeconds: t0 / 1000 - 1,
    });
    pods.listCounts.lists = 2;
    expect(memo.read(all, t0 + 3).pods?.lists).toBe(2);
  });

  it('rebuilds after the reuse window, so a synced kind is never reported older than it', () => {
    const memo = new KindStatusMemo();
    const all = sections(['nodes', watchOf()]);
    const first = memo.read(all, t0);
    const later = memo.read(all, t0 + STATUS_REUSE_MS);
    expect(later).not.toBe(first);
    expect(later.nodes?.lastSyncedAt).toBe(new Date(t0 + STATUS_REUSE_MS).toISOString());
  });

  it('rebuilds when a kind is added, and hands out a status no caller can change', () => {
    const memo = new KindStatusMemo();
    const all = sections(['nodes', watchOf()]);
    memo.read(all, t0);
    all.set('pods', { watch: watchOf({ size: 9 }) as unknown as ListWatch<any> });
    const status = memo.read(all, t0 + 1);
    expect(Object.keys(status)).toEqual(['nodes', 'pods']);
    expect(() => {
      (status.pods as { count: number }).count = 0;
    }).toThrow(TypeError);
  });
});
