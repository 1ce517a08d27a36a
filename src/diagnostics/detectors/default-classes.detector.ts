import { RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';

interface ClassKind {
  /** The snapshot kind its objects are cached as. */
  cache: 'storageclasses' | 'ingressclasses';
  code: string;
  kind: 'StorageClass' | 'IngressClass';
  group: string;
  annotation: string;
  /** What the API server does with an object that names no class. */
  effect: string;
}

const STORAGE: ClassKind = {
  cache: 'storageclasses',
  code: 'STORAGE_CLASS_MULTIPLE_DEFAULTS',
  kind: 'StorageClass',
  group: 'storage.k8s.io',
  annotation: 'storageclass.kubernetes.io/is-default-class',
  effect: 'a claim without storageClassName gets the most recently created one',
};

const INGRESS: ClassKind = {
  cache: 'ingressclasses',
  code: 'INGRESS_CLASS_MULTIPLE_DEFAULTS',
  kind: 'IngressClass',
  group: 'networking.k8s.io',
  annotation: 'ingressclass.kubernetes.io/is-default-class',
  effect: 'an Ingress without ingressClassName is served by whichever controller claims it',
};

function several(input: DetectorInput, k: ClassKind): RawFinding[] {
  if (!input.caches(k.cache)) return [];
  const defaults = input
    .list(k.cache)
    .filter((c) => c.isDefault)
    .map((c) => c.name);
  if (defaults.length < 2) return [];
  const sorted = [...defaults].sort();
  return [
    {
      code: k.code,
      severity: 'warning',
      object: { group: k.group, kind: k.kind, namespace: '', name: sorted[0] },
      message: `${sorted.length} ${k.kind}es are marked default (${sorted.join(', ')}): ${k.effect}.`,
      fields: { [`metadata.annotations[${k.annotation}]=true`]: sorted },
      suggestion: `Keep the annotation ${k.annotation}=true on one ${k.kind} only.`,
      causes: sorted.map((name) => `${k.kind} ${name}`),
    },
  ];
}

/** More than one default StorageClass or IngressClass: which one applies is not what anyone chose. */
export const defaultClasses = (input: DetectorInput): RawFinding[] => [
  ...several(input, STORAGE),
  ...several(input, INGRESS),
];
