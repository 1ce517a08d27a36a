import { Role, ROLES } from './roles';

/**
 * One grant: a role on some clusters and, inside them, some namespaces. A principal holds several;
 * what it may do somewhere is the best role among the grants that cover that place.
 * Omitted `clusters` and `namespaces` mean all of them ("*"), so `{ role }` alone is the
 * behaviour of a token minted before grants existed.
 */
export interface Grant {
  role: Role;
  /** Cluster ids or names; "*" for every cluster. */
  clusters?: string[];
  /** Labels a cluster must all carry (a matchLabels selector); combined with `clusters`. */
  clusterLabels?: Record<string, string>;
  /** Namespace names or patterns with `*` (e.g. `team-a-*`); "*" for the whole cluster. */
  namespaces?: string[];
}

/** What a grant needs to know about a cluster. */
export interface ClusterFacts {
  id: string;
  name: string;
  labels: Record<string, string>;
}

interface CompiledGrant {
  rank: number;
  anyCluster: boolean;
  clusters: ReadonlySet<string>;
  labels: ReadonlyArray<[string, string]>;
  anyNamespace: boolean;
  exact: ReadonlySet<string>;
  patterns: readonly RegExp[];
}

const rankOf = (role: Role) => ROLES.indexOf(role);

function compile(grant: Grant): CompiledGrant {
  const clusters = grant.clusters ?? ['*'];
  const namespaces = grant.namespaces ?? ['*'];
  const globs = namespaces.filter((n) => n.includes('*') && n !== '*');
  return {
    rank: rankOf(grant.role),
    anyCluster: clusters.includes('*'),
    clusters: new Set(clusters),
    labels: Object.entries(grant.clusterLabels ?? {}),
    anyNamespace: namespaces.includes('*'),
    exact: new Set(namespaces.filter((n) => !n.includes('*'))),
    // Compiled once per principal, so a request's checks are set lookups and a few regex tests.
    patterns: globs.map(
      (g) => new RegExp(`^${g.split('*').map(escapeRegExp).join('[a-z0-9-]*')}$`),
    ),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function coversCluster(g: CompiledGrant, cluster: ClusterFacts): boolean {
  if (!g.anyCluster && !g.clusters.has(cluster.id) && !g.clusters.has(cluster.name)) return false;
  return g.labels.every(([key, value]) => cluster.labels[key] === value);
}

function coversNamespace(g: CompiledGrant, namespace: string): boolean {
  return g.anyNamespace || g.exact.has(namespace) || g.patterns.some((p) => p.test(namespace));
}

/**
 * A principal's grants, compiled for the checks every request makes. Ranks are indexes into
 * ROLES; -1 means "nothing here", which callers answer with 404 so nothing leaks that it exists.
 */
export class AccessScope {
  private readonly compiled: readonly CompiledGrant[];
  /** The best role anywhere: what role-only checks (token management, audit) compare. */
  readonly maxRole: Role;
  /** True when one grant covers every namespace of every cluster with the best role. */
  readonly unrestricted: boolean;

  constructor(readonly grants: readonly Grant[]) {
    this.compiled = grants.map(compile);
    const best = Math.max(-1, ...this.compiled.map((g) => g.rank));
    this.maxRole = ROLES[Math.max(best, 0)];
    this.unrestricted = this.compiled.some(
      (g) => g.rank === best && g.anyCluster && !g.labels.length && g.anyNamespace,
    );
  }

  /** Best role held on every cluster and namespace: what managing the installation needs. */
  installationRank(): number {
    return this.best((g) => g.anyCluster && !g.labels.length && g.anyNamespace);
  }

  /** Best role anywhere in the cluster (any namespace), or -1. */
  clusterRank(cluster: ClusterFacts): number {
    return this.best((g) => coversCluster(g, cluster));
  }

  /** Best role that covers the whole cluster: cluster-scoped kinds and aggregates need it. */
  clusterWideRank(cluster: ClusterFacts): number {
    return this.best((g) => g.anyNamespace && coversCluster(g, cluster));
  }

  /** Best role in one namespace of the cluster, or -1. */
  namespaceRank(cluster: ClusterFacts, namespace: string): number {
    return this.best((g) => coversCluster(g, cluster) && coversNamespace(g, namespace));
  }

  /** The namespace patterns the principal may see in the cluster; ["*"] when cluster-wide. */
  namespacesIn(cluster: ClusterFacts): string[] {
    if (this.clusterWideRank(cluster) >= 0) return ['*'];
    const covering = this.grants.filter((_, i) => coversCluster(this.compiled[i], cluster));
    return [...new Set(covering.flatMap((g) => g.namespaces ?? ['*']))].sort();
  }

  /**
   * True when every grant of `requested` is covered by one grant held here with at least its
   * role: nobody mints a token that can do more than they can.
   */
  covers(requested: readonly Grant[]): boolean {
    return requested.every((r) =>
      this.grants.some((held) => rankOf(held.role) >= rankOf(r.role) && grantWithin(r, held)),
    );
  }

  private best(predicate: (g: CompiledGrant) => boolean): number {
    let rank = -1;
    for (const g of this.compiled) if (g.rank > rank && predicate(g)) rank = g.rank;
    return rank;
  }
}

/** `inner` reaches no cluster or namespace `outer` does not (decided on the grants' text). */
function grantWithin(inner: Grant, outer: Grant): boolean {
  const outerClusters = outer.clusters ?? ['*'];
  const innerClusters = inner.clusters ?? ['*'];
  if (!outerClusters.includes('*') && !innerClusters.every((c) => outerClusters.includes(c)))
    return false;
  const innerLabels = inner.clusterLabels ?? {};
  if (Object.entries(outer.clusterLabels ?? {}).some(([k, v]) => innerLabels[k] !== v))
    return false;
  const outerNs = compile(outer);
  const innerNs = inner.namespaces ?? ['*'];
  if (outerNs.anyNamespace) return true;
  // A pattern is within only if the same pattern is held: pattern containment is not worth guessing.
  return innerNs.every((n) =>
    n.includes('*') ? outer.namespaces!.includes(n) : coversNamespace(outerNs, n),
  );
}

/** Everything, with one role: API tokens without grants, the env admin token, auth mode none. */
export function everywhere(role: Role): Grant[] {
  return [{ role, clusters: ['*'], namespaces: ['*'] }];
}
