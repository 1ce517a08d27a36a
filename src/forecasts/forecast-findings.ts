import type { EvaluatedFinding, ObjectRef, Severity } from '../cluster-state/finding';
import { findingId } from '../cluster-state/finding-id';
import type { Forecast } from './forecast';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Points of the basis a finding carries as evidence; GET /forecasts has them all. */
export const EVIDENCE_POINTS = 12;

/** Severity by the time left: under a day critical, under three days warning, else info. */
export function severityByTimeLeft(msLeft: number): Severity {
  if (msLeft < DAY) return 'critical';
  if (msLeft < 3 * DAY) return 'warning';
  return 'info';
}

const GROUPS: Record<string, string> = {
  Deployment: 'apps',
  StatefulSet: 'apps',
  DaemonSet: 'apps',
  ReplicaSet: 'apps',
  Job: 'batch',
  CronJob: 'batch',
  HorizontalPodAutoscaler: 'autoscaling',
};

/** The object a person acts on: the workload, the node pool, or the cluster itself. */
function objectOf(f: Forecast, clusterName: string): ObjectRef {
  if (f.scope === 'hpa') {
    const name = (f.name ?? '').split('/').slice(1).join('/');
    return {
      group: 'autoscaling',
      kind: 'HorizontalPodAutoscaler',
      namespace: f.namespace ?? '',
      name,
    };
  }
  if (f.scope === 'workload') {
    const [kind, ...name] = (f.name ?? '').split('/');
    return { group: GROUPS[kind] ?? '', kind, namespace: f.namespace ?? '', name: name.join('/') };
  }
  if (f.scope === 'certificate') {
    const [kind, ...name] = (f.name ?? '').split('/');
    const group = kind === 'Certificate' ? 'cert-manager.io' : '';
    return { group, kind, namespace: f.namespace ?? '', name: name.join('/') };
  }
  if (f.scope === 'nodePool') return { group: '', kind: 'NodePool', namespace: '', name: f.name! };
  if (f.scope === 'node') return { group: '', kind: 'Node', namespace: '', name: f.name! };
  return { group: '', kind: 'Cluster', namespace: '', name: clusterName };
}

const SUGGESTIONS: Record<string, string> = {
  FORECAST_CPU_REQUESTS_SATURATION:
    'Add nodes (or CPU to the pool) or lower CPU requests before new pods stop scheduling.',
  FORECAST_MEMORY_REQUESTS_SATURATION:
    'Add nodes (or memory to the pool) or lower memory requests before new pods stop scheduling.',
  FORECAST_POD_CAPACITY: 'Add nodes or raise maxPods before new pods stop scheduling.',
  FORECAST_HPA_MAX_REPLICAS:
    'Raise maxReplicas (if the nodes can hold them) or make each replica take more load.',
  FORECAST_CERTIFICATE_EXPIRY:
    'Renew the certificate (or check why cert-manager has not: its Certificate, CertificateRequest and issuer) before clients stop trusting it.',
  FORECAST_CPU_USAGE_SATURATION:
    'Add nodes (or CPU), or move or scale down the busiest workloads, before pods get only their requests.',
  FORECAST_MEMORY_USAGE_SATURATION:
    'Add nodes (or memory), or find what grows, before the kubelet evicts pods under memory pressure.',
  FORECAST_RESTART_RATE:
    "Read the workload's logs and last termination reasons now: its restarts are speeding up.",
};

/** Every `EVIDENCE_POINTS`-th share of the basis, always with the last point. */
function sampledBasis(f: Forecast): Array<{ at: string; value: number }> {
  const step = Math.max(1, Math.ceil(f.basis.length / EVIDENCE_POINTS));
  const picked = f.basis.filter((_, i) => (f.basis.length - 1 - i) % step === 0);
  return picked.map((p) => ({ at: new Date(p.t).toISOString(), value: p.v }));
}

function describeLeft(ms: number): string {
  return ms < DAY ? `${(ms / HOUR).toFixed(1)} h` : `${(ms / DAY).toFixed(1)} days`;
}

/**
 * Codes whose finding the behaviour evaluation raises from the same computation (docs/forecasts.md):
 * GET /forecasts lists them, a second finding would only repeat it.
 */
export const FINDINGS_BY_BEHAVIOUR: ReadonlySet<string> = new Set([
  'FORECAST_MEMORY_LIMIT',
  'FORECAST_PVC_FULL',
]);

/**
 * The forecasts that become diagnostics findings: an expected crossing after `now` within
 * `horizonMs`, at least `minConfidence` sure. A threshold already crossed is left to the
 * detectors (Pending pods, crash loops): a forecast speaks only about the future. Pure.
 */
export function forecastFindings(
  cluster: { id: string; name: string },
  forecasts: readonly Forecast[],
  options: { now: number; horizonMs: number; minConfidence: number },
): EvaluatedFinding[] {
  return forecasts.flatMap((f) => {
    if (f.crossesAt === null || FINDINGS_BY_BEHAVIOUR.has(f.code)) return [];
    // An expired certificate has no detector of its own: it stays a finding, critical.
    const expiredCertificate = f.scope === 'certificate' && f.crossesAt <= options.now;
    if (f.crossesAt <= options.now && !expiredCertificate) return [];
    const left = f.crossesAt - options.now;
    if (left > options.horizonMs || f.confidence < options.minConfidence) return [];
    const object = objectOf(f, cluster.name);
    const crossesAt = new Date(f.crossesAt).toISOString();
    return [
      {
        id: findingId(cluster.id, f.code, object),
        clusterId: cluster.id,
        code: f.code,
        severity: severityByTimeLeft(left),
        source: 'forecast' as const,
        object,
        message: expiredCertificate
          ? `The TLS certificate expired ${describeLeft(-left)} ago (${crossesAt})`
          : `${f.meaning}: expected in ${describeLeft(left)} (${crossesAt}), confidence ${Math.round(f.confidence * 100)} %`,
        evidence: {
          fields: {
            metric: f.metric,
            threshold: f.threshold,
            current: f.current,
            crossesAt,
            confidence: f.confidence,
            method: f.method,
            slopePerHour: f.slopePerHour,
            pointsUsed: f.basis.length,
            points: sampledBasis(f),
            ...(f.certificate ? { certificate: f.certificate } : {}),
          },
          events: [],
        },
        suggestion: SUGGESTIONS[f.code] ?? 'Act before the threshold is reached.',
        count: 1,
      },
    ];
  });
}
