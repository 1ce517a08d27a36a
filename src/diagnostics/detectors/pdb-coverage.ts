import type { PdbRecord } from '../../cluster-state/records/policy';
import type { ObjectRef, RawFinding } from '../../cluster-state/finding';
import { selectorMatches } from '../selectors';
import { DetectorInput } from './detector';

/**
 * A budget that protects nothing (its selector matches no pod), or that can never be met
 * (minAvailable above the pods it covers): both leave a drain either unprotected or blocked.
 */

function selectsNothing(
  input: DetectorInput,
  p: PdbRecord,
  ref: ObjectRef,
): RawFinding | undefined {
  if (p.expectedPods > 0 || !input.caches('pods')) return undefined;
  const matched = input
    .podsIn(p.namespace)
    .some(
      (pod) =>
        pod.phase !== 'Succeeded' &&
        pod.phase !== 'Failed' &&
        selectorMatches(p.selector, pod.labels),
    );
  if (matched) return undefined;
  return {
    code: 'PDB_NO_PODS',
    severity: 'warning',
    object: ref,
    message: 'The budget\u2019s selector matches no pod of its namespace: it protects nothing.',
    fields: { 'spec.selector': p.selector, 'status.expectedPods': 0 },
    suggestion:
      'Make spec.selector match the labels of the pods it should protect (kubectl get pods --show-labels), or delete the budget.',
  };
}

function aboveReplicas(p: PdbRecord, ref: ObjectRef): RawFinding | undefined {
  if (typeof p.minAvailable !== 'number' || p.expectedPods === 0) return undefined;
  if (p.minAvailable <= p.expectedPods) return undefined;
  return {
    code: 'PDB_MIN_AVAILABLE_ABOVE_REPLICAS',
    severity: 'warning',
    object: ref,
    message: `minAvailable is ${p.minAvailable} but only ${p.expectedPods} pods are covered: no eviction is ever allowed, and drains block.`,
    fields: {
      'spec.minAvailable': p.minAvailable,
      'status.expectedPods': p.expectedPods,
      'status.disruptionsAllowed': p.disruptionsAllowed,
    },
    suggestion: `Lower minAvailable below ${p.expectedPods}, or use maxUnavailable: 1.`,
  };
}

/** The coverage findings of a budget (at most one). */
export function coverageFinding(
  input: DetectorInput,
  p: PdbRecord,
  ref: ObjectRef,
): RawFinding | undefined {
  return selectsNothing(input, p, ref) ?? aboveReplicas(p, ref);
}
