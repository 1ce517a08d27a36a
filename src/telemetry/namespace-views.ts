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

/** The series of the edges that leave or enter `namespace`: graphQueries(window, namespace). */
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
