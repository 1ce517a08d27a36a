import type { PodRecord } from '../../cluster-state/records/pod';
import type { CachedKindName } from '../../monitor/cluster-snapshot';
import { podRef, RawFinding } from '../finding';
import { Detector, DetectorInput } from './detector';

interface RefKind {
  code: string;
  kind: CachedKindName;
  label: string;
  refs(pod: PodRecord): string[];
}

const REF_KINDS: RefKind[] = [
  {
    code: 'POD_MISSING_CONFIGMAP',
    kind: 'configmaps',
    label: 'ConfigMap',
    refs: (p) => p.refs?.configMaps ?? [],
  },
  // Secret existence is read from metadata only: their data is never downloaded.
  {
    code: 'POD_MISSING_SECRET',
    kind: 'secrets',
    label: 'Secret',
    refs: (p) => p.refs?.secrets ?? [],
  },
  {
    code: 'POD_MISSING_PVC',
    kind: 'persistentvolumeclaims',
    label: 'PersistentVolumeClaim',
    refs: (p) => p.refs?.pvcs ?? [],
  },
  {
    code: 'POD_MISSING_SERVICE_ACCOUNT',
    kind: 'serviceaccounts',
    label: 'ServiceAccount',
    refs: (p) => (p.serviceAccount ? [p.serviceAccount] : []),
  },
];

function missing(input: DetectorInput, pod: PodRecord, ref: RefKind): RawFinding | undefined {
  if (!input.caches(ref.kind)) return undefined;
  const absent = ref.refs(pod).filter((name) => !input.get(ref.kind, name, pod.namespace));
  if (!absent.length) return undefined;
  return {
    code: ref.code,
    severity: 'critical',
    object: podRef(pod.namespace, pod.name),
    message: `The pod references ${ref.label} ${absent.join(', ')}, which does not exist in namespace ${pod.namespace}.`,
    fields: { [`missing ${ref.label}`]: absent, 'status.phase': pod.phase },
    suggestion: `Create the ${ref.label} ${absent[0]} in ${pod.namespace}, or mark the reference optional / fix its name in the pod template.`,
  };
}

/**
 * Pods referencing a ConfigMap, Secret, PVC or ServiceAccount that does not exist. Optional
 * ConfigMap/Secret references are not recorded (see slimPod), and finished pods are skipped.
 */
export const podReferences: Detector = {
  name: 'pod-references',
  needs: ['pods'],
  perPod: true,
  detect(input) {
    const findings: RawFinding[] = [];
    for (const pod of input.list('pods')) {
      if (pod.phase === 'Succeeded' || pod.phase === 'Failed') continue;
      if (!pod.refs && !pod.serviceAccount) continue;
      for (const ref of REF_KINDS) {
        const found = missing(input, pod, ref);
        if (found) findings.push(found);
      }
    }
    return findings;
  },
};
