import { ColdSyncQueue } from './cold-sync-queue';

/** A unit of work that runs until its `finish` is called. */
function gate(): { promise: Promise<void>; finish(): void; fail(): void } {
  let finish!: () => void;
  let fail!: () => void;
  const promise = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = () => reject(new Error('sync failed'));
  });
  return { promise, finish, fail };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ColdSyncQueue', () => {
  it('runs at most `limit` at once and starts the waiting ones in order as slots free', async () => {
    const queue = new ColdSyncQueue(() => 2);
    const gates = Array.from({ length: 5 }, gate);
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      queue.run(`c${i}`, () => {
        started.push(i);
        return g.promise;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect([queue.active, queue.queued]).toEqual([2, 3]);
    gates[1].finish();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.finish();
    await Promise.all(runs);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect([queue.active, queue.queued]).toEqual([0, 0]);
  });

  it('gives the next free slot to a prioritized key', async () => {
    const queue = new ColdSyncQueue(() => 1);
    const first = gate();
    const started: string[] = [];
    const runs = [queue.run('a', () => first.promise)];
    for (const key of ['b', 'c', 'd'])
      runs.push(queue.run(key, async () => void started.push(key)));
    queue.prioritize('d');
    first.finish();
    await Promise.all(runs);
    expect(started).toEqual(['d', 'b', 'c']);
  });

  it('frees the slot of a sync that failed, and passes its failure on', async () => {
    const queue = new ColdSyncQueue(() => 1);
    const failing = gate();
    const run = queue.run('a', () => failing.promise);
    const next = queue.run('b', async () => 'ran');
    failing.fail();
    await expect(run).rejects.toThrow('sync failed');
    await expect(next).resolves.toBe('ran');
    expect(queue.active).toBe(0);
  });
});
