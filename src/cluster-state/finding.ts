/**
 * The one finding type of CloudPilot's diagnostics: the Kubernetes detectors and the Istio and
 * Gateway API validations (src/istio-gateway/validations) both emit RawFinding, so the API, the
 * health score and the LLM assistant read a single shape.
 */
export type Severity = 'critical' | 'warning' | 'info';

export const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];

/** The object a person acts on: for pods owned by a workload, the workload. */
export interface ObjectRef {
  /** API group ('' for the core group). */
  group: string;
  kind: string;
  /** '' for cluster-scoped objects. */
  namespace: string;
  name: string;
}

/** A recent Warning event of the object or one of its owners/pods, attached as evidence. */
export interface EvidenceEvent {
  object: string;
  reason: string;
  message: string;
  count: number;
  last: string;
}

export interface Evidence {
  /** The fields of the API objects that prove the finding, by path (e.g. `status.phase`). */
  fields: Record<string, unknown>;
  /** Up to five affected objects (e.g. the crashing pods of a Deployment). */
  objects?: string[];
  events: EvidenceEvent[];
}

/** What one detector reports about one object, before grouping and tracking. */
export interface RawFinding {
  code: string;
  severity: Severity;
  object: ObjectRef;
  message: string;
  fields: Record<string, unknown>;
  suggestion: string;
  source?: 'kubernetes' | 'istio' | 'forecast' | 'telemetry';
  /**
   * The objects that cause the finding when they are not its object (`Secret shop/registry` for a
   * pod that cannot pull): listed first in the evidence objects, so a person knows what to change.
   */
  causes?: string[];
}

export interface Finding {
  /** Stable across evaluations: derived from cluster, code and object. */
  id: string;
  clusterId: string;
  code: string;
  severity: Severity;
  source: 'kubernetes' | 'istio' | 'forecast' | 'telemetry';
  object: ObjectRef;
  message: string;
  evidence: Evidence;
  suggestion: string;
  /** How many objects of this workload show the problem (100 crashing pods → one finding, 100). */
  count: number;
  firstSeen: string;
  lastSeen: string;
}

/** A finding as one evaluation sees it: firstSeen/lastSeen are the tracker's. */
export type EvaluatedFinding = Omit<Finding, 'firstSeen' | 'lastSeen'>;

export const podRef = (namespace: string, name: string): ObjectRef => ({
  group: '',
  kind: 'Pod',
  namespace,
  name,
});

export const refText = (ref: ObjectRef): string =>
  ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
