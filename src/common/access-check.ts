import type { AccessScope, ClusterFacts } from './access-grants';
import { withinNamespaces } from './access-filter';
import type { AccessRule } from './access-rule';
import { AppError } from './app-error';
import type { Role } from './request-context';
import { ROLES } from './roles';

/** What of an answer the caller may see; undefined when all of it is outside its grants. */
export type View = (data: unknown) => unknown;

/**
 * One cluster-bound access decision, for routes and tools alike: the target (the cluster, the
 * namespace when one is named, or the whole cluster for cluster-wide rules) must be within the
 * grants (else OUT_OF_SCOPE, a 404) with the role needed (else FORBIDDEN). Returns how to trim
 * the answer for a caller who sees only some namespaces, or undefined when it sees all.
 */
export function checkClusterAccess(
  rule: Exclude<AccessRule, 'global' | 'installation' | 'fleet'>,
  scope: AccessScope,
  cluster: ClusterFacts,
  namespace: string | undefined,
  required: Role,
): View | undefined {
  if (scope.clusterRank(cluster) < 0)
    throw new AppError('CLUSTER_NOT_FOUND', `No cluster ${cluster.name}`);
  const wholeCluster =
    rule === 'cluster-wide' || (rule === 'namespaced' && namespace === undefined);
  const rank = wholeCluster
    ? scope.clusterWideRank(cluster)
    : namespace !== undefined
      ? scope.namespaceRank(cluster, namespace)
      : scope.clusterRank(cluster);
  if (rank < 0) throw new AppError('OUT_OF_SCOPE', "The target is outside the caller's grants");
  if (rank < ROLES.indexOf(required))
    throw new AppError('FORBIDDEN', `This action needs the ${required} role here`);
  if (scope.clusterWideRank(cluster) >= 0) return undefined;
  const visible = (ns: string) => ns !== '' && scope.namespaceRank(cluster, ns) >= 0;
  return (data) => withinNamespaces(data, visible, rule === 'namespaces' ? 'name' : 'namespace');
}
