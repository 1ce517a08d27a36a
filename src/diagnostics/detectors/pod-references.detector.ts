import type { PodRecord, PodRefs } from '../../cluster-state/records/pod';
import type { CachedKindName } from '../../monitor/cluster-snapshot';
import { podRef, RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';

interface RefKind {
  code: string;
  kind: CachedKindName;
  label: string;
  /** The names the pod references, or its one name: no array per pod when there is none. */
  refs(pod: PodRecord): readonly string[] | string | undefined;
}

const REF_KINDS: RefKind[] = [
  {
    code: 'POD_MISSING_CONFIGMAP',
    kind: 'configmaps',
    label: 'ConfigMap',
    refs: (p) => p.refs?.configMaps,
  },
  // Secret existence is read from metadata only: their data is never downloaded.
  {
    code: 'POD_MISSING_SECRET',
    kind: 'secrets',
    label: 'Secret',
    refs: (p) => p.refs?.secrets,
  },
  {
    code: 'POD_MISSING_PVC',
    kind: 'persistentvolumeclaims',
    label: 'PersistentVolumeClaim',
    refs: (p) => p.refs?.pvcs,
  },
  {
    code: 'POD_MISSING_SERVICE_ACCOUNT',
    kind: 'serviceaccounts',
    label: 'ServiceAccount',
    refs: (p) => p.serviceAccount || undefined,
  },
];

function missing(input: DetectorInput, pod: PodRecord, ref: RefKind): RawFinding | undefined {
  const names = ref.refs(pod);
  if (names === undefined) return undefined;
  // Runs for every pod of a full evaluation: an array only when something is missing.
  let absent: string[] | undefined;
  if (typeof names === 'string') {
    if (!input.get(ref.kind, names, pod.namespace)) absent = [names];
  } else
    for (let i = 0; i < names.length; i++)
      if (!input.get(ref.kind, names[i], pod.namespace)) (absent ??= []).push(names[i]);
  if (!absent) return undefined;
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
 *
 * Runs over every pod of a full evaluation. The replicas of a template share one interned `refs`
 * and follow each other in the listing, so a pod referencing what the pod before it referenced,
 * in the same namespace, with nothing missing then, is not looked up again: the records do not
 * change during one call.
 */
export function podReferences(input: DetectorInput): RawFinding[] {
  const findings: RawFinding[] = [];
  const kinds = REF_KINDS.filter((k) => input.caches(k.kind));
  if (!kinds.length) return findings;
  const pods = input.list('pods');
  let refs: PodRefs | undefined;
  let namespace = '';
  let account: string | undefined;
  let allFound = false;
  for (let i = 0; i < pods.length; i++) {
    const pod = pods[i];
    if (pod.phase === 'Succeeded' || pod.phase === 'Failed') continue;
    if (!pod.refs && !pod.serviceAccount) continue;
    const same = pod.refs === refs && pod.namespace === namespace && pod.serviceAccount === account;
    if (same && allFound) continue;
    const before = findings.length;
    for (let k = 0; k < kinds.length; k++) {
      const found = missing(input, pod, kinds[k]);
      if (found) findings.push(found);
    }
    refs = pod.refs;
    namespace = pod.namespace;
    account = pod.serviceAccount;
    allFound = findings.length === before;
  }
  return findings;
}
