import { K8sObject } from './object-fields';

/** An object known by its metadata alone (read as PartialObjectMetadata): Secrets, never their data. */
export interface LabelledRecord {
  name: string;
  namespace: string;
  labels: Record<string, string>;
}

const NO_LABELS: Record<string, string> = Object.freeze({}) as Record<string, string>;

export function slimLabelled(object: K8sObject): LabelledRecord {
  return {
    name: String(object.metadata?.name ?? ''),
    namespace: String(object.metadata?.namespace ?? ''),
    // One shared empty object: most objects have no labels, and 100k empty objects cost memory.
    labels: object.metadata?.labels ?? NO_LABELS,
  };
}
