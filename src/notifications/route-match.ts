import type { MatchFields } from './notification-event';

/**
 * What a route takes; every list is "any of", an absent or empty list matches everything. A list
 * on a field the event lacks (severity of a proposal) does not match it.
 */
export interface RouteMatch {
  events?: string[];
  clusters?: string[];
  namespaces?: string[];
  severities?: string[];
  codes?: string[];
  sources?: string[];
}

const anyOf = (wanted: string[] | undefined, value: string | undefined): boolean =>
  !wanted?.length || (value !== undefined && wanted.includes(value));

/** `clusterName` lets a route name clusters by name as well as by id. */
export function routeMatches(
  match: RouteMatch,
  fields: MatchFields,
  clusterName?: string,
): boolean {
  const clusterOk =
    !match.clusters?.length ||
    match.clusters.includes(fields.clusterId) ||
    (clusterName !== undefined && match.clusters.includes(clusterName));
  return (
    clusterOk &&
    anyOf(match.events, fields.type) &&
    anyOf(match.namespaces, fields.namespace) &&
    anyOf(match.severities, fields.severity) &&
    anyOf(match.codes, fields.code) &&
    anyOf(match.sources, fields.source)
  );
}
