import { FailedGroup, parseAggregated } from './discovery';

/** One APIGroupDiscoveryList as /apis answers it, parsed fresh each time (as for each cluster). */
function groupList(verbs = ['get', 'list', 'watch']) {
  return JSON.parse(
    JSON.stringify({
      kind: 'APIGroupDiscoveryList',
      items: [
        {
          metadata: { name: 'apps' },
          versions: [
            {
              version: 'v1',
              resources: [
                {
                  resource: 'deployments',
                  responseKind: { kind: 'Deployment' },
                  scope: 'Namespaced',
                  verbs,
                  shortNames: ['deploy'],
                },
              ],
            },
          ],
        },
      ],
    }),
  );
}

describe('discovery of served kinds', () => {
  it('shares one frozen record between clusters that serve the same kind', () => {
    const failed: FailedGroup[] = [];
    const [a] = parseAggregated(groupList(), failed)!;
    const [b] = parseAggregated(groupList(), failed)!;
    expect(a).toEqual({
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      plural: 'deployments',
      namespaced: true,
      verbs: ['get', 'list', 'watch'],
      shortNames: ['deploy'],
    });
    expect(b).toBe(a);
    expect(Object.isFrozen(a) && Object.isFrozen(a.verbs)).toBe(true);
  });

  it('keeps kinds apart that differ in anything a reader sees', () => {
    const [a] = parseAggregated(groupList(), [])!;
    const [b] = parseAggregated(groupList(['get', 'list']), [])!;
    expect(b).not.toBe(a);
    expect(b.verbs).toEqual(['get', 'list']);
  });
});
