import { SharedViews, ShareRequest } from './shared-views';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('SharedViews', () => {
  let clock = 1000;
  const views = () => new SharedViews(() => clock);
  const owner = {};
  type Evaluate<T> = ShareRequest<T>['evaluate'];
  /** The request most tests make: key k of `owner`, fresh for 5 s; `more` says what differs. */
  const fresh = <T>(
    evaluate: Evaluate<T>,
    more: Partial<ShareRequest<T>> = {},
  ): ShareRequest<T> => ({
    key: 'k',
    owner,
    ttlMs: 5000,
    evaluate,
    ...more,
  });
  /** The same, then served stale for 30 s. */
  const stale = <T>(evaluate: Evaluate<T>, more: Partial<ShareRequest<T>> = {}) =>
    fresh(evaluate, { staleMs: 30_000, ...more });

  beforeEach(() => (clock = 1000));

  it('concurrent readers of a key share one evaluation', async () => {
    const shared = views();
    const gate = deferred<{ value: number; keep: boolean }>();
    let evaluations = 0;
    const evaluate = () => (evaluations++, gate.promise);
    const first = shared.share(fresh(evaluate));
    const second = shared.share(fresh(evaluate));
    clock += 200;
    gate.resolve({ value: 42, keep: true });
    await expect(first).resolves.toEqual({ value: 42, ageMs: null });
    await expect(second).resolves.toEqual({ value: 42, ageMs: 0 });
    expect(evaluations).toBe(1);
  });

  it('reuses a kept value until its time is up, then evaluates again', async () => {
    const shared = views();
    let n = 0;
    const evaluate = async () => ({ value: ++n, keep: true });
    await shared.share(fresh(evaluate));
    clock += 4999;
    await expect(shared.share(fresh(evaluate))).resolves.toEqual({
      value: 1,
      ageMs: 4999,
    });
    clock += 1;
    await expect(shared.share(fresh(evaluate))).resolves.toEqual({
      value: 2,
      ageMs: null,
    });
  });

  it('keeps neither failures nor values the evaluation does not keep', async () => {
    const shared = views();
    let n = 0;
    await expect(
      shared.share(fresh(async () => Promise.reject(new Error('down')))),
    ).rejects.toThrow('down');
    await shared.share(fresh(async () => ({ value: ++n, keep: false })));
    await expect(shared.share(fresh(async () => ({ value: ++n, keep: true })))).resolves.toEqual({
      value: 2,
      ageMs: null,
    });
    expect(shared.size).toBe(1);
  });

  it('does not serve a value of another owner (a changed source), nor of another key', async () => {
    const shared = views();
    await shared.share(fresh(async () => ({ value: 'old', keep: true })));
    await expect(
      shared.share(fresh(async () => ({ value: 'new', keep: true }), { owner: {} })),
    ).resolves.toEqual({ value: 'new', ageMs: null });
    await expect(
      shared.share(
        fresh(async () => ({ value: 'other', keep: true }), { key: 'other', owner: {} }),
      ),
    ).resolves.toEqual({ value: 'other', ageMs: null });
  });

  it('drops expired keys as new ones come', async () => {
    const shared = views();
    for (const k of ['a', 'b', 'c'])
      await shared.share(fresh(async () => ({ value: k, keep: true }), { key: k, ttlMs: 10 }));
    clock += 10;
    await shared.share(fresh(async () => ({ value: 'd', keep: true }), { key: 'd', ttlMs: 10 }));
    expect(shared.size).toBe(1);
  });

  it('past its time, serves the value at once within staleMs while ONE refresh runs', async () => {
    const shared = views();
    const gate = deferred<{ value: number; keep: boolean }>();
    let evaluations = 0;
    await shared.share(stale(async () => ({ value: 1, keep: true })));
    clock += 6000;
    const refreshing = () => (evaluations++, gate.promise);
    await expect(shared.share(stale(refreshing))).resolves.toEqual({
      value: 1,
      ageMs: 6000,
    });
    clock += 100;
    await expect(shared.share(stale(refreshing))).resolves.toEqual({
      value: 1,
      ageMs: 6100,
    });
    expect(evaluations).toBe(1);
    gate.resolve({ value: 2, keep: true });
    await gate.promise;
    await new Promise((r) => setImmediate(r));
    await expect(shared.share(stale(refreshing))).resolves.toEqual({
      value: 2,
      ageMs: 0,
    });
    // Beyond staleMs the reader waits for an evaluation of its own.
    clock += 5000 + 30_000;
    await expect(shared.share(stale(async () => ({ value: 3, keep: true })))).resolves.toEqual({
      value: 3,
      ageMs: null,
    });
  });

  it('drops a stale value whose refresh failed: the next reader evaluates and sees the error', async () => {
    const shared = views();
    await shared.share(stale(async () => ({ value: 1, keep: true })));
    clock += 6000;
    const failing = deferred<{ value: number; keep: boolean }>();
    await expect(shared.share(stale(() => failing.promise))).resolves.toEqual({
      value: 1,
      ageMs: 6000,
    });
    failing.reject(new Error('down'));
    await failing.promise.catch(() => undefined);
    await new Promise((r) => setImmediate(r));
    await expect(
      shared.share(stale(async () => Promise.reject(new Error('still down')))),
    ).rejects.toThrow('still down');
  });

  it('without staleMs, a reader past the time waits for a fresh evaluation', async () => {
    const shared = views();
    await shared.share(fresh(async () => ({ value: 1, keep: true })));
    clock += 6000;
    await expect(shared.share(fresh(async () => ({ value: 2, keep: true })))).resolves.toEqual({
      value: 2,
      ageMs: null,
    });
  });

  describe('ifShared', () => {
    it('answers only from what is there: nothing, another owner or a value past staleMs is undefined', async () => {
      const shared = views();
      const evaluate = async () => ({ value: 1, keep: true });
      expect(shared.ifShared(stale(evaluate))).toBeUndefined();
      await shared.share(stale(evaluate));
      expect(shared.ifShared(stale(evaluate, { owner: {} }))).toBeUndefined();
      clock += 35_000;
      expect(shared.ifShared(stale(evaluate))).toBeUndefined();
    });

    it('joins an evaluation that runs, and serves a stale value while ONE refresh starts', async () => {
      const shared = views();
      const gate = deferred<{ value: number; keep: boolean }>();
      let evaluations = 0;
      const evaluate = () => (evaluations++, gate.promise);
      const first = shared.share(stale(evaluate));
      const joined = shared.ifShared(stale(evaluate));
      gate.resolve({ value: 7, keep: true });
      await first;
      await expect(joined).resolves.toEqual({ value: 7, ageMs: 0 });
      clock += 6000;
      const refreshed = deferred<{ value: number; keep: boolean }>();
      const refresh = () => (evaluations++, refreshed.promise);
      await expect(shared.ifShared(stale(refresh))).resolves.toEqual({
        value: 7,
        ageMs: 6000,
      });
      await shared.ifShared(stale(refresh));
      expect(evaluations).toBe(2);
      refreshed.resolve({ value: 8, keep: true });
      await refreshed.promise;
      await new Promise((r) => setImmediate(r));
      await expect(shared.ifShared(stale(refresh))).resolves.toEqual({
        value: 8,
        ageMs: 0,
      });
    });
  });

  describe('renew', () => {
    it('leaves a value within its time alone, and one being evaluated', async () => {
      const shared = views();
      let n = 0;
      const evaluate = async () => ({ value: ++n, keep: true });
      await expect(shared.renew(stale(evaluate))).resolves.toBe(1);
      clock += 4999;
      await expect(shared.renew(stale(evaluate))).resolves.toBeUndefined();
      const gate = deferred<{ value: number; keep: boolean }>();
      const running = shared.share(stale(() => gate.promise, { key: 'other' }));
      await expect(shared.renew(stale(evaluate, { key: 'other' }))).resolves.toBeUndefined();
      gate.resolve({ value: 0, keep: true });
      await running;
      expect(n).toBe(1);
    });

    it('past its time, evaluates while the old value is still served, then replaces it', async () => {
      const shared = views();
      await shared.share(stale(async () => ({ value: 1, keep: true })));
      clock += 20_000;
      const gate = deferred<{ value: number; keep: boolean }>();
      const renewing = shared.renew(stale(() => gate.promise));
      const never = async () => Promise.reject(new Error('a reader must not evaluate'));
      await expect(shared.share(stale(never))).resolves.toEqual({
        value: 1,
        ageMs: 20_000,
      });
      clock += 500;
      gate.resolve({ value: 2, keep: true });
      await expect(renewing).resolves.toBe(2);
      await new Promise((r) => setImmediate(r));
      await expect(shared.share(stale(never))).resolves.toEqual({
        value: 2,
        ageMs: 0,
      });
    });

    it('a failed renewal drops the old value, as a failed refresh does', async () => {
      const shared = views();
      await shared.share(stale(async () => ({ value: 1, keep: true })));
      clock += 6000;
      await expect(shared.renew(stale(async () => ({ value: -1, keep: false })))).resolves.toBe(-1);
      expect(shared.ifShared(stale(async () => ({ value: 0, keep: true })))).toBeUndefined();
    });

    it('with nothing there (or only another owner), evaluates and shares the answer', async () => {
      const shared = views();
      await shared.share(stale(async () => ({ value: 'old', keep: true }), { owner: {} }));
      await expect(shared.renew(stale(async () => ({ value: 'new', keep: true })))).resolves.toBe(
        'new',
      );
      await expect(shared.share(stale(async () => ({ value: 'x', keep: true })))).resolves.toEqual({
        value: 'new',
        ageMs: 0,
      });
    });
  });
});
