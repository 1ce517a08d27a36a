import type { SpecObject } from '../../cluster-state/records/spec-object';
import type { ObjectRef } from '../../cluster-state/finding';

/**
 * The plain-object view of a cluster that the validations read, from the Monitor's snapshot; a
 * kind that could not be read (forbidden, or its CRDs absent) is `null`, and every check that
 * needs it is skipped rather than guessing.
 */

/** An Istio, Gateway API or Service object as the Monitor caches it: metadata and spec. */
export type Obj = SpecObject;

/** Only what the checks need of a pod or a Secret: read as PartialObjectMetadata, never their bodies. */
export interface MetaOnly {
  namespace: string;
  name: string;
  labels: Record<string, string>;
}

export interface MeshSnapshot {
  gateways: Obj[] | null;
  virtualServices: Obj[] | null;
  destinationRules: Obj[] | null;
  serviceEntries: Obj[] | null;
  services: Obj[] | null;
  pods: MetaOnly[] | null;
  secrets: MetaOnly[] | null;
  k8sGateways: Obj[] | null;
  httpRoutes: Obj[] | null;
}

export type SnapshotPart = keyof MeshSnapshot;

export interface SkippedCheck {
  code: string;
  reason: string;
}

export function refOf(group: string, kind: string, obj: Obj): ObjectRef {
  return { group, kind, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name };
}

export function nsOf(obj: Obj): string {
  return obj.metadata.namespace ?? '';
}
