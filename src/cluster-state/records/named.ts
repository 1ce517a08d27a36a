import { internString } from './intern';
import { K8sObject } from './object-fields';

export interface NamedRecord {
  name: string;
  namespace: string;
}

export interface NamespaceRecord {
  name: string;
  phase: string;
  created: string;
}

export function slimNamed(object: K8sObject): NamedRecord {
  return {
    name: String(object.metadata?.name ?? ''),
    namespace: internString(String(object.metadata?.namespace ?? '')),
  };
}

export function slimNamespace(object: K8sObject): NamespaceRecord {
  return {
    name: String(object.metadata?.name ?? ''),
    phase: String(object.status?.phase ?? 'Active'),
    created: String(object.metadata?.creationTimestamp ?? ''),
  };
}

/** A ServiceAccount: its name, and whether it opts its pods out of the token automount. */
export interface ServiceAccountRecord extends NamedRecord {
  automountToken?: false;
}

export function slimServiceAccount(object: K8sObject): ServiceAccountRecord {
  const record: ServiceAccountRecord = slimNamed(object);
  if (object.automountServiceAccountToken === false) record.automountToken = false;
  return record;
}
