/**
 * What CloudPilot returns of a Kubernetes object. Responses are slimmed (no managedFields, no
 * last-applied annotation) unless the full view is asked for; Secrets never carry values in any
 * view — the last-applied annotation of a Secret contains them too, so it always goes.
 */
import type { K8sObject } from '../kubernetes/k8s-object';

export type { K8sObject };

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function withoutNoise(obj: K8sObject): K8sObject {
  if (!obj.metadata) return obj;
  const { managedFields: _managedFields, ...metadata } = obj.metadata;
  if (metadata.annotations && LAST_APPLIED in metadata.annotations) {
    const { [LAST_APPLIED]: _lastApplied, ...annotations } = metadata.annotations;
    metadata.annotations = annotations;
  }
  return { ...obj, metadata };
}

/** Metadata, type and key names only; values are dropped before the object leaves the service. */
export function redactSecret(secret: K8sObject): K8sObject {
  const keys = [
    ...new Set([...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})]),
  ].sort();
  return {
    apiVersion: secret.apiVersion,
    kind: 'Secret',
    metadata: withoutNoise(secret).metadata,
    type: secret.type,
    immutable: secret.immutable,
    keys,
  };
}

export function objectView(obj: K8sObject, kind: string, full: boolean): K8sObject {
  if (kind === 'Secret') return redactSecret(obj);
  return full ? obj : withoutNoise(obj);
}
