import type { ServiceCandidate } from '../kubernetes/service-proxy';

/** How CloudPilot authenticates to a Prometheus-compatible API given by URL. */
export type PrometheusAuth =
  | { type: 'none' }
  | { type: 'bearer'; token: string }
  | { type: 'basic'; username: string; password: string };

/**
 * Where one cluster's metrics are read: a URL (Prometheus, Thanos Query, Mimir, VictoriaMetrics:
 * they share the query API), or an in-cluster Prometheus reached through the API server's service
 * proxy with the cluster's own credentials (a named Service, or the first well-known one found).
 */
export type TelemetrySource =
  | { type: 'url'; url: string; auth: PrometheusAuth; caData?: string; tlsServerName?: string }
  | { type: 'inCluster'; service?: { namespace: string; name: string; port?: string } };

/** kube-prometheus, then the prometheus-community Helm chart, then any Prometheus Operator instance. */
export const WELL_KNOWN_PROMETHEUS: readonly ServiceCandidate[] = [
  { namespace: 'monitoring', name: 'prometheus-k8s' },
  { name: 'prometheus-server' },
  { name: 'prometheus-operated' },
];

/** What a source looks like from outside: never its credential. */
export interface TelemetrySourceView {
  type: 'url' | 'inCluster';
  /** The URL (type url) or namespace/name:port (inCluster with a named Service), else null. */
  target: string | null;
  authType: PrometheusAuth['type'] | 'cluster';
  hasCa: boolean;
}

export function describeSource(source: TelemetrySource): TelemetrySourceView {
  if (source.type === 'url')
    return { type: 'url', target: source.url, authType: source.auth.type, hasCa: !!source.caData };
  const s = source.service;
  return {
    type: 'inCluster',
    target: s ? `${s.namespace}/${s.name}${s.port ? `:${s.port}` : ''}` : null,
    authType: 'cluster',
    hasCa: false,
  };
}
