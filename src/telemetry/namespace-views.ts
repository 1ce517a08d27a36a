import type { EdgeSeries, GraphSeries } from './graph-series';
import type { Sample } from './prometheus-client';
import type { GraphAnswers } from './service-graph';

/**
 * A namespace's views taken from the cluster-wide ones, so that a filtered read costs Prometheus
 * nothing while the cluster-wide evaluation of its window is shared. Each filter selects exactly
 * what the namespace's own queries (promql.ts) select: those only add matchers on labels that the
 * answers are grouped by, so every group they keep is the cluster-wide answer's group, summed
 * over the same series.
 */

/**
 * The services (or workloads) of `namespace` in the cluster-wide list, order kept. A Service's
 * namespace comes from `destination_service`, which the services query filters on; a workload's
 * from the `*_workload_namespace` label of each direction, which the workloads queries filter on.
 */
export function itemsOfNamespace<T extends { namespace: string }>(
  items: readonly T[],
  namespace: string,
): T[] {
  return items.filter((item) => item.namespace === namespace);
}

/**
 * The series of the edges that leave or enter `namespace`: graphQueries(window, namespace). The
 * definition seriesByNamespace's index is held to (its tests compare the two).
 */
export function graphAnswersOfNamespace(answers: GraphAnswers, namespace: string): GraphAnswers {
  const touches = (s: Sample) =>
    s.metric.source_workload_namespace === namespace ||
    s.metric.destination_workload_namespace === namespace;
  return {
    requests: answers.requests.filter(touches),
    mtls: answers.mtls.filter(touches),
    p95: answers.p95.filter(touches),
    tcp: answers.tcp.filter(touches),
  };
}

type Bucket = Record<'requests' | 'mtls' | 'p95' | 'tcp', EdgeSeries[]> & { edgeCount: number };

/**
 * Every namespace's part of the cluster-wide series, in one pass: `index.get(ns)` holds what
 * graphAnswersOfNamespace keeps for `ns`, in the same order, so a namespace's graph is built from
 * its own series (O(its edges)) instead of filtering the whole cluster's at each first read. A
 * series lands in its caller's namespace and, when it differs, its callee's: at most two buckets.
 */
export function seriesByNamespace(series: GraphSeries): ReadonlyMap<string, GraphSeries> {
  const index = new Map<string, Bucket>();
  const bucket = (namespace: string) => {
    let found = index.get(namespace);
    if (!found) {
      found = { requests: [], mtls: [], p95: [], tcp: [], edgeCount: series.edgeCount };
      index.set(namespace, found);
    }
    return found;
  };
  for (const answer of ['requests', 'mtls', 'p95', 'tcp'] as const)
    for (const s of series[answer]) {
      const from = s.metric.source_workload_namespace;
      const to = s.metric.destination_workload_namespace;
      if (from !== undefined) bucket(from)[answer].push(s);
      if (to !== undefined && to !== from) bucket(to)[answer].push(s);
    }
  return index;
}
