import type { WorkloadRecord } from '../../cluster-state/records/workload';
import { ObjectRef, RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';

/** The provisioner of a StorageClass that provisions nothing: claims bind to pre-made volumes only. */
const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

const ref = (s: WorkloadRecord): ObjectRef => ({
  group: 'apps',
  kind: 'StatefulSet',
  namespace: s.namespace,
  name: s.name,
});

function missingService(input: DetectorInput, s: WorkloadRecord): RawFinding | undefined {
  if (!s.serviceName || !input.caches('services')) return undefined;
  if (input.get('services', s.serviceName, s.namespace)) return undefined;
  return {
    code: 'STATEFULSET_MISSING_SERVICE',
    severity: 'warning',
    object: ref(s),
    message: `The governing Service ${s.serviceName} does not exist: the pods get no stable DNS names (${s.name}-0.${s.serviceName}).`,
    fields: { 'spec.serviceName': s.serviceName },
    suggestion: `Create the headless Service ${s.serviceName} (clusterIP: None) selecting the StatefulSet's pods.`,
    causes: [`Service ${s.namespace}/${s.serviceName}`],
  };
}

/** The first claim template whose class is missing or provisions nothing. */
function claimClass(input: DetectorInput, s: WorkloadRecord): RawFinding | undefined {
  if (!s.claimTemplates || !input.caches('storageclasses')) return undefined;
  const classes = input.list('storageclasses');
  for (const t of s.claimTemplates) {
    // '' asks for no class (static volumes only): deliberate.
    if (t.storageClassName === '') continue;
    const name = t.storageClassName ?? classes.find((c) => c.isDefault)?.name;
    const sc = name ? classes.find((c) => c.name === name) : undefined;
    if (sc && sc.provisioner !== NO_PROVISIONER) continue;
    const at = `spec.volumeClaimTemplates[name=${t.name}].spec.storageClassName`;
    const fields = { [at]: t.storageClassName ?? '(default)' };
    if (!name)
      return {
        code: 'STATEFULSET_STORAGE_CLASS_MISSING',
        severity: 'critical',
        object: ref(s),
        message: `The claim template ${t.name} names no StorageClass and the cluster has no default one: its claims stay Pending.`,
        fields,
        suggestion: 'Set storageClassName in the claim template, or mark a StorageClass default.',
      };
    return {
      code: sc ? 'STATEFULSET_STORAGE_CLASS_NO_PROVISIONER' : 'STATEFULSET_STORAGE_CLASS_MISSING',
      severity: sc ? 'warning' : 'critical',
      object: ref(s),
      message: sc
        ? `The claim template ${t.name} uses StorageClass ${name}, which provisions nothing (${NO_PROVISIONER}): every new replica waits for a PersistentVolume made by hand.`
        : `The claim template ${t.name} uses StorageClass ${name}, which does not exist: its claims stay Pending.`,
      fields: sc ? { ...fields, provisioner: sc.provisioner } : fields,
      suggestion: sc
        ? `Create a PersistentVolume of class ${name} per replica, or use a class with a provisioner.`
        : `Create StorageClass ${name}, or use one of: ${classes.map((c) => c.name).join(', ') || '(none exists)'} (claim templates are immutable: recreate the StatefulSet with --cascade=orphan).`,
      causes: [`StorageClass ${name}`],
    };
  }
  return undefined;
}

/** StatefulSets whose governing Service or claim templates' StorageClass is missing or provisions nothing. */
export function statefulSetReferences(input: DetectorInput): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const s of input.list('statefulsets'))
    for (const f of [missingService(input, s), claimClass(input, s)]) if (f) findings.push(f);
  return findings;
}
