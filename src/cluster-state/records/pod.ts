import { CpuMemoryNanos, podEffectiveNanos } from '../pod-resources';
import { conditionTrue, K8sObject } from './object-fields';
import { LabelledRecord, slimLabelled } from './labelled';

/**
 * The slim records the Monitor keeps hold only the fields its readers use. A full pod is 5–20 KB of
 * JSON (managedFields, specs, the last-applied annotation); its slim record is a few hundred bytes,
 * which is what lets one process hold 100k pods.
 */

export type PodPhase = 'Running' | 'Pending' | 'Succeeded' | 'Failed' | 'Unknown';

export interface PodRecord extends LabelledRecord {
  nodeName: string;
  phase: PodPhase;
  ready: boolean;
  requests: CpuMemoryNanos;
  limits: CpuMemoryNanos;
  /** Set when a quantity in the spec could not be parsed; the pod then counts as zero. */
  resourceError?: true;
}

const PHASES = new Set<string>(['Running', 'Pending', 'Succeeded', 'Failed', 'Unknown']);

export function slimPod(object: K8sObject): PodRecord {
  const phase = String(object.status?.phase ?? 'Unknown');
  const record: PodRecord = {
    ...slimLabelled(object),
    nodeName: String(object.spec?.nodeName ?? ''),
    phase: (PHASES.has(phase) ? phase : 'Unknown') as PodPhase,
    ready: conditionTrue(object, 'Ready'),
    requests: { cpu: 0n, memory: 0n },
    limits: { cpu: 0n, memory: 0n },
  };
  try {
    const effective = podEffectiveNanos(object.spec ?? {});
    record.requests = effective.requests;
    record.limits = effective.limits;
  } catch {
    record.resourceError = true;
  }
  return record;
}
