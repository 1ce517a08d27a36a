import { K8sObject } from './object-fields';

/**
 * An object kept with its metadata and spec only: for kinds whose checks read the spec itself
 * (Services, the Istio and Gateway API kinds). managedFields, status and the last-applied
 * annotation (a second full copy of the object) are dropped, as they are the bulk of its size.
 */
export interface SpecObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: Record<string, any>;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export function slimSpecObject(object: K8sObject): SpecObject {
  const meta = object.metadata ?? {};
  const annotations: Record<string, string> | undefined = meta.annotations
    ? Object.fromEntries(
        Object.entries(meta.annotations as Record<string, string>).filter(
          ([key]) => key !== LAST_APPLIED,
        ),
      )
    : undefined;
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: {
      name: String(meta.name ?? ''),
      ...(meta.namespace ? { namespace: String(meta.namespace) } : {}),
      ...(meta.labels ? { labels: meta.labels } : {}),
      ...(annotations && Object.keys(annotations).length ? { annotations } : {}),
    },
    spec: object.spec ?? {},
  };
}
