import { DETECTORS } from './detectors';
import type { Detector, DetectorInput } from './detectors/detector';
import {
  isPerPod,
  perPodSteps,
  podIndexSteps,
  runDetectors,
  wholeClusterSteps,
  withPodIndex,
} from './detector-runs';
import type { EvaluatedFinding, RawFinding } from '../cluster-state/finding';
import { findingSteps } from './finding-steps';
import { PodIndex } from './pod-index';
import { drainNow, Slicer } from './slicer';

/**
 * The engine's entry points: a full evaluation in one pass or in slices. The incremental one, kept
 * between runs, is incremental-evaluation.ts. Each is detectors → raw findings (detector-runs.ts) →
 * grouped findings with evidence (finding-steps.ts).
 */

/**
 * One full evaluation: detectors → grouping by workload → Warning events as evidence. Pure over
 * the snapshot view it is given, so it is unit-tested without a cluster.
 */
export function evaluate(
  clusterId: string,
  input: DetectorInput,
  detectors: readonly Detector[] = DETECTORS,
): EvaluatedFinding[] {
  return drainNow(findingSteps(clusterId, input, runDetectors(input, detectors)));
}

/**
 * The same evaluation as {@link evaluate}, in slices of about `slicer.budgetMs` between which the
 * event loop runs, so a 100k-pod cluster never holds a request behind one long synchronous pass.
 * Records are immutable, so a change between slices only means the next (already scheduled)
 * evaluation sees it.
 */
export async function evaluateSliced(
  clusterId: string,
  input: DetectorInput,
  slicer: Slicer,
  detectors: readonly Detector[] = DETECTORS,
): Promise<EvaluatedFinding[]> {
  const raws: RawFinding[] = [];
  const perPod = detectors.filter(isPerPod);
  await slicer.drain(perPodSteps(input, perPod, input.list('pods'), raws));
  const index = new PodIndex();
  await slicer.drain(podIndexSteps(input.list('pods'), index));
  const indexed = withPodIndex(input, index);
  const whole = detectors.filter((d) => !isPerPod(d));
  await slicer.drain(wholeClusterSteps(indexed, whole, raws));
  return slicer.drain(findingSteps(clusterId, indexed, raws));
}
