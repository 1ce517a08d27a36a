import { K8sObject } from './object-fields';

export interface PvcRecord {
  name: string;
  namespace: string;
  phase: string;
  created: string;
  /** spec.storageClassName: undefined means "the default class", '' means "no class, static PVs only". */
  storageClassName?: string;
  volumeName?: string;
  /** Size requested, as written (e.g. 10Gi). */
  request?: string;
  accessModes: string[];
}

export interface PvRecord {
  name: string;
  phase: string;
  storageClassName: string;
  capacity?: string;
  accessModes: string[];
  claim?: { namespace: string; name: string };
}

export interface StorageClassRecord {
  name: string;
  provisioner: string;
  volumeBindingMode: string;
  isDefault: boolean;
}

const DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

export function slimPvc(object: K8sObject): PvcRecord {
  const spec = object.spec ?? {};
  return {
    name: String(object.metadata?.name ?? ''),
    namespace: String(object.metadata?.namespace ?? ''),
    phase: String(object.status?.phase ?? 'Pending'),
    created: String(object.metadata?.creationTimestamp ?? ''),
    ...(typeof spec.storageClassName === 'string'
      ? { storageClassName: spec.storageClassName }
      : {}),
    ...(spec.volumeName ? { volumeName: String(spec.volumeName) } : {}),
    ...(spec.resources?.requests?.storage
      ? { request: String(spec.resources.requests.storage) }
      : {}),
    accessModes: strings(spec.accessModes),
  };
}

export function slimPv(object: K8sObject): PvRecord {
  const spec = object.spec ?? {};
  return {
    name: String(object.metadata?.name ?? ''),
    phase: String(object.status?.phase ?? ''),
    storageClassName: String(spec.storageClassName ?? ''),
    ...(spec.capacity?.storage ? { capacity: String(spec.capacity.storage) } : {}),
    accessModes: strings(spec.accessModes),
    ...(spec.claimRef?.name
      ? { claim: { namespace: String(spec.claimRef.namespace ?? ''), name: spec.claimRef.name } }
      : {}),
  };
}

export function slimStorageClass(object: K8sObject): StorageClassRecord {
  const annotations = object.metadata?.annotations ?? {};
  return {
    name: String(object.metadata?.name ?? ''),
    provisioner: String(object.provisioner ?? ''),
    volumeBindingMode: String(object.volumeBindingMode ?? 'Immediate'),
    isDefault:
      annotations[DEFAULT_CLASS] === 'true' ||
      annotations['storageclass.beta.kubernetes.io/is-default-class'] === 'true',
  };
}
