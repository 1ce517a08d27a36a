import type { AccessScope, ClusterFacts } from '../common/access-grants';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The fleet as the caller may see it: clusters outside its grants are left out (the cluster list
 * and fleet entries alike), and a fleet entry's aggregate of a cluster it sees only some
 * namespaces of becomes an OUT_OF_SCOPE error entry that says so: counts over the whole cluster
 * would tell what happens in namespaces it may not see.
 */
export function fleetView(
  scope: AccessScope,
  clusters: ReadonlyMap<string, ClusterFacts>,
): (data: unknown) => unknown {
  const visible = (id: unknown) => {
    const facts = typeof id === 'string' ? clusters.get(id) : undefined;
    return facts && scope.clusterRank(facts) >= 0 ? facts : undefined;
  };
  const entry = (item: unknown): unknown => {
    if (!isRecord(item)) return item;
    if (isRecord(item.cluster)) {
      const facts = visible(item.cluster.id);
      if (!facts) return undefined;
      if (scope.clusterWideRank(facts) >= 0 || !('data' in item)) return item;
      const namespaces = scope.namespacesIn(facts).join(', ');
      return {
        cluster: item.cluster,
        error: {
          code: 'OUT_OF_SCOPE',
          message: `Restricted to namespaces ${namespaces}: see /api/v1/clusters/${facts.id}/namespaces`,
        },
      };
    }
    // A registered cluster itself (the cluster list).
    if (typeof item.id === 'string' && isRecord(item.labels))
      return visible(item.id) ? item : undefined;
    return item;
  };
  const list = (items: unknown[]) => items.map(entry).filter((item) => item !== undefined);
  return (data) => {
    if (Array.isArray(data)) return list(data);
    if (isRecord(data) && Array.isArray(data.items)) return { ...data, items: list(data.items) };
    return data;
  };
}
