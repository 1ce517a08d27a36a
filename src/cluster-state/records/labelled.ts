import { InternPool, internString } from './intern';
import { K8sObject } from './object-fields';

/** An object known by its metadata alone (read as PartialObjectMetadata): Secrets, never their data. */
export interface LabelledRecord {
  name: string;
  namespace: string;
  labels: Record<string, string>;
}

const NO_LABELS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** Replicas of one workload carry the same labels: one frozen object per distinct set. */
const labelSets = new InternPool<Record<string, string>>(20_000);

/** The shared instance of a label set (the API server writes map keys sorted, so equal sets print equal). */
export function internLabels(labels: unknown): Record<string, string> {
  if (labels === undefined || labels === null) return NO_LABELS;
  if (typeof labels !== 'object') return labels as Record<string, string>;
  return labelSets.get(JSON.stringify(labels), () =>
    Object.freeze(labels as Record<string, string>),
  );
}

export function slimLabelled(object: K8sObject): LabelledRecord {
  return {
    name: String(object.metadata?.name ?? ''),
    namespace: internString(String(object.metadata?.namespace ?? '')),
    // One shared empty object: most objects have no labels, and 100k empty objects cost memory.
    labels: internLabels(object.metadata?.labels),
  };
}
