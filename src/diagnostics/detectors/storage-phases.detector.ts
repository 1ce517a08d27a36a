import type { PvcRecord, PvRecord } from '../../cluster-state/records/storage';
import { RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';

function volumeFinding(pv: PvRecord): RawFinding | undefined {
  if (pv.phase !== 'Released' && pv.phase !== 'Failed') return undefined;
  const claim = pv.claim ? `${pv.claim.namespace}/${pv.claim.name}` : undefined;
  const released = pv.phase === 'Released';
  return {
    code: released ? 'PV_RELEASED' : 'PV_FAILED',
    // Released: its claim is gone and the volume (with its data) waits; kept on purpose under a
    // Retain policy, so worth knowing, not alarming. Failed: reclaiming it went wrong.
    severity: released ? 'info' : 'warning',
    object: { group: '', kind: 'PersistentVolume', namespace: '', name: pv.name },
    message: released
      ? `The volume's claim ${claim ?? ''} was deleted; the volume keeps its data and no new claim can bind it.`
      : 'Reclaiming the volume failed (recycle or delete): it is unusable until someone acts.',
    fields: {
      'status.phase': pv.phase,
      ...(claim ? { 'spec.claimRef': claim } : {}),
      'spec.storageClassName': pv.storageClassName,
    },
    suggestion: released
      ? `Back up what you need, then delete the volume (and its disk), or clear spec.claimRef to make it Available again.`
      : `Read the volume's events, clean up the disk by hand and delete the PersistentVolume.`,
  };
}

function claimFinding(pvc: PvcRecord): RawFinding | undefined {
  if (pvc.phase !== 'Lost') return undefined;
  return {
    code: 'PVC_LOST',
    severity: 'critical',
    object: { group: '', kind: 'PersistentVolumeClaim', namespace: pvc.namespace, name: pvc.name },
    message: `The claim's volume ${pvc.volumeName ?? ''} no longer exists: pods mounting the claim cannot start.`,
    fields: { 'status.phase': pvc.phase, 'spec.volumeName': pvc.volumeName ?? '' },
    suggestion:
      'Restore the PersistentVolume from a backup under the same name, or delete and recreate the claim (its data is gone).',
    ...(pvc.volumeName ? { causes: [`PersistentVolume ${pvc.volumeName}`] } : {}),
  };
}

/** PersistentVolumes Released or Failed. */
export function volumePhases(input: DetectorInput): RawFinding[] {
  return input.list('persistentvolumes').flatMap((pv) => volumeFinding(pv) ?? []);
}

/** Claims Lost: their volume was deleted under them. */
export function claimsLost(input: DetectorInput): RawFinding[] {
  return input.list('persistentvolumeclaims').flatMap((pvc) => claimFinding(pvc) ?? []);
}
