import { withFindingCounts } from './finding-counts';
import type { HistoryRow } from './history-row';

const row = (scope: HistoryRow['scope'], name: string): HistoryRow => ({
  clusterId: 'c1',
  scope,
  name,
  slot: 1,
  at: 'T',
  values: { pods: 1 },
});

describe('withFindingCounts', () => {
  const counts = {
    cluster: { critical: 2, warning: 1, info: 0 },
    namespaces: new Map([['shop', { critical: 1, warning: 0, info: 3 }]]),
  };

  it('adds the cluster counts to the cluster row and each namespace its own', () => {
    const [cluster, shop] = withFindingCounts(
      [row('cluster', ''), row('namespace', 'shop')],
      counts,
    );
    expect(cluster.values).toEqual({
      pods: 1,
      findingsCritical: 2,
      findingsWarning: 1,
      findingsInfo: 0,
    });
    expect(shop.values).toMatchObject({ findingsCritical: 1, findingsInfo: 3 });
  });

  it('records null, not zero, when diagnostics gave no counts', () => {
    const [cluster] = withFindingCounts([row('cluster', '')], undefined);
    expect(cluster.values.findingsCritical).toBeNull();
  });
});
