import type { EvaluatedFinding } from '../cluster-state/finding';
import { DETECTORS, OPT_IN_DETECTORS } from './detectors';
import type { Detector } from './detectors/detector';

/** Which codes an engine reports (config `diagnostics.disabledCodes`, `diagnostics.unusedObjects`). */
export interface CodeSwitches {
  disabledCodes: readonly string[];
  unusedObjects: boolean;
}

/** The detectors an engine runs: the opt-in ones only when switched on. */
export function switchedDetectors(switches: CodeSwitches | undefined): readonly Detector[] {
  return switches?.unusedObjects ? [...DETECTORS, OPT_IN_DETECTORS.unusedObjects] : DETECTORS;
}

/** Drops the findings of disabled codes; the same array when none is disabled. */
export function withoutDisabled(
  found: EvaluatedFinding[],
  switches: CodeSwitches | undefined,
): EvaluatedFinding[] {
  if (!switches?.disabledCodes.length) return found;
  const disabled = new Set(switches.disabledCodes);
  return found.filter((f) => !disabled.has(f.code));
}
