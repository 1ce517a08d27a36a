import type { PvcRecord, PvRecord } from '../../cluster-state/records/storage';
import { RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';

const ref = (p: PvcRecord) => ({
  group: '',
  kind: 'PersistentVolumeClaim',
  namespace: p.namespace,
  name: p.name,
});

/** Whether a pod (not finished) mounts the claim: a WaitForFirstConsumer claim waits for one. */
function hasConsumer(input: DetectorInput, pvc: PvcRecord): boolean {
  return input
    .podsIn(pvc.namespace)
    .some(
      (p) => p.phase !== 'Succeeded' && p.phase !== 'Failed' && p.refs?.pvcs?.includes(pvc.name),
    );
}

function availablePv(pvs: PvRecord[], className: string, pvc: PvcRecord): PvRecord | undefined {
  return pvs.find(
    (pv) =>
      pv.phase === 'Available' &&
      pv.storageClassName === className &&
      pvc.accessModes.every((m) => pv.accessModes.includes(m)),
  );
}

/** Why a Pending claim is not bound, or undefined when its pending state is expected. */
function diagnose(
  input: DetectorInput,
  pvc: PvcRecord,
): Omit<RawFinding, 'object' | 'severity'> | undefined {
  const classes = input.list('storageclasses');
  const className = pvc.storageClassName ?? classes.find((c) => c.isDefault)?.name;
  const fields = {
    'status.phase': pvc.phase,
    'spec.storageClassName': pvc.storageClassName ?? '(default)',
    'spec.resources.requests.storage': pvc.request,
  };
  const sc = className ? classes.find((c) => c.name === className) : undefined;
  if (sc?.volumeBindingMode === 'WaitForFirstConsumer' && !hasConsumer(input, pvc))
    return undefined;
  if (className && !sc && input.caches('storageclasses'))
    return {
      code: 'PVC_NO_STORAGE_CLASS',
      message: `The claim asks for StorageClass ${className}, which does not exist.`,
      fields,
      suggestion: `Create StorageClass ${className}, or set spec.storageClassName to one of: ${
        classes.map((c) => c.name).join(', ') || '(none exists)'
      }. The field is immutable: recreate the claim.`,
    };
  if (!sc && !availablePv(input.list('persistentvolumes'), className ?? '', pvc))
    return {
      code: 'PVC_NO_MATCHING_PV',
      message: `No StorageClass provisions the claim and no Available PersistentVolume matches it (class "${className ?? ''}", modes ${pvc.accessModes.join(', ')}).`,
      fields,
      suggestion:
        'Create a PersistentVolume matching its class, size and access modes, or give the claim a StorageClass with a provisioner.',
    };
  if (sc)
    return {
      code: 'PVC_PENDING',
      message: `The claim is still Pending: StorageClass ${sc.name} (${sc.provisioner}) has not provisioned a volume.`,
      fields: { ...fields, provisioner: sc.provisioner, volumeBindingMode: sc.volumeBindingMode },
      suggestion: `Check the ${sc.provisioner} provisioner is running and read the claim\u2019s events for its error.`,
    };
  return undefined;
}

/** Claims Pending for more than a minute (provisioning normally takes seconds). */
const GRACE_SECONDS = 60;

/**
 * PersistentVolumeClaims that stay Pending, with the reason: no such StorageClass, no matching PV,
 * or a provisioner that does not answer. A WaitForFirstConsumer claim no pod mounts yet is fine.
 */
export function pvcPending(input: DetectorInput): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const pvc of input.list('persistentvolumeclaims')) {
    if (pvc.phase !== 'Pending') continue;
    if ((input.now - Date.parse(pvc.created)) / 1000 < GRACE_SECONDS) continue;
    const found = diagnose(input, pvc);
    if (found) findings.push({ ...found, severity: 'critical', object: ref(pvc) });
  }
  return findings;
}
