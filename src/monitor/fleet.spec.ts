import { AppError } from '../common/app-error';
import { fanOut, firstSyncTimeout } from './fleet';

const A = { id: 'a', name: 'alpha' };
const B = { id: 'b', name: 'beta' };
const C = { id: 'c', name: 'gamma' };

describe('fanOut', () => {
  it("returns one entry per cluster in order, each cluster's failure as data", async () => {
    const items = await fanOut(
      [A, B, C],
      async (cluster) => {
        if (cluster.id === 'b') throw firstSyncTimeout(cluster, 5_000);
        if (cluster.id === 'c') throw new Error('secret detail');
        return cluster.name.length;
      },
      { failure: 'The cluster failed' },
    );
    expect(items).toEqual([
      { cluster: A, data: 5 },
      {
        cluster: B,
        error: {
          code: 'CLUSTER_TIMEOUT',
          message: 'Cluster beta has not finished its first sync within 5 s',
        },
      },
      { cluster: C, error: { code: 'INTERNAL_ERROR', message: 'The cluster failed' } },
    ]);
  });

  it("keeps an AppError's details only when asked", async () => {
    const fail = async (): Promise<never> => {
      throw new AppError('CLUSTER_UNREACHABLE', 'down', { cluster: 'a', ageSeconds: 3 });
    };
    const [withDetails] = await fanOut([A], fail, { failure: 'x', details: true });
    expect(withDetails).toEqual({
      cluster: A,
      error: {
        code: 'CLUSTER_UNREACHABLE',
        message: 'down',
        details: { cluster: 'a', ageSeconds: 3 },
      },
    });
    const [without] = await fanOut([A], fail, { failure: 'x' });
    expect(without).toEqual({
      cluster: A,
      error: { code: 'CLUSTER_UNREACHABLE', message: 'down' },
    });
  });

  it('does not wait for a slow cluster to start the others', async () => {
    const started: string[] = [];
    let release = (): void => undefined;
    const pending = fanOut(
      [A, B],
      (cluster) => {
        started.push(cluster.id);
        return cluster.id === 'a'
          ? new Promise<string>((r) => (release = () => r('late')))
          : Promise.resolve('now');
      },
      { failure: 'x' },
    );
    expect(started).toEqual(['a', 'b']);
    release();
    await expect(pending).resolves.toEqual([
      { cluster: A, data: 'late' },
      { cluster: B, data: 'now' },
    ]);
  });
});
