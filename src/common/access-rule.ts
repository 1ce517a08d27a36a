import { SetMetadata } from '@nestjs/common';

/**
 * How a route is scoped by the caller's grants, declared once per route (in ApiEndpoint or
 * ClusterEndpoint) and enforced by the access guard; a route without one is refused.
 * - `global`: about no cluster; the role alone decides (whoami, tokens within one's own grants,
 *   version info, assistant sessions and proposals, which check their targets themselves).
 * - `installation`: the installation itself (audit log, effective configuration, registering
 *   clusters): the role is needed on every cluster and namespace, not only somewhere.
 * - `fleet`: one entry per cluster; clusters outside the grants are left out, and aggregates of a
 *   cluster the caller sees only some namespaces of are replaced by an OUT_OF_SCOPE entry.
 * - `cluster`: under `:clusterId`, which must be granted; listed items carrying a namespace outside
 *   the grants (or none: cluster-scoped) are left out, and a single such object is a 404.
 * - `namespaces`: like `cluster`, for lists of the namespaces themselves (items named by `name`).
 * - `namespaced`: acts on one object; its namespace (the `namespace` query parameter or the body's)
 *   must be granted with the route's role; without one it needs a cluster-wide grant.
 * - `cluster-wide`: cluster-scoped kinds (nodes) and cluster aggregates: a cluster-wide grant only.
 */
export type AccessRule =
  'global' | 'installation' | 'fleet' | 'cluster' | 'namespaces' | 'namespaced' | 'cluster-wide';

export const ACCESS_RULES: readonly AccessRule[] = [
  'global',
  'installation',
  'fleet',
  'cluster',
  'namespaces',
  'namespaced',
  'cluster-wide',
];

export const ACCESS_RULE = 'cloudpilot:access-rule';

/** The OpenAPI extension that carries the rule, so tests and tools see it from the document. */
export const ACCESS_EXTENSION = 'x-access';

export const RequireAccess = (rule: AccessRule) => SetMetadata(ACCESS_RULE, rule);
