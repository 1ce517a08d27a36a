import type { PodRecord } from '../cluster-state/records/pod';
import type { CachedKindName, CachedRecords } from '../monitor/cluster-snapshot';
import type { Detector, DetectorInput } from './detectors/detector';
import type { RawFinding } from '../cluster-state/finding';
import { ItemResults } from './item-reuse';
import { PodIndex } from './pod-index';
import { pushAll } from './same-items';

/**
 * How the engine runs detectors: whole, over runs of a few items of one kind so no step holds the
 * event loop for long, and, in an incremental evaluation, reusing an item's findings while what
 * they read is unchanged (item-reuse.ts). Detectors themselves are plain functions of their input.
 */

/** Pods per step of the per-pod detectors: every per-pod detector over them takes ~0.1 ms. */
export const POD_CHUNK = 64;
/** Objects per step of a whole-cluster detector walking one kind (`Detector.over`). */
const OBJECT_CHUNK = 32;

/** A detector judging pods one by one: run pod by pod, and only for changed pods when incremental. */
export const isPerPod = (d: Detector): boolean => d.over?.includes('pods') ?? false;

const canRun = (input: DetectorInput, d: Detector): boolean =>
  d.needs.every((kind) => input.caches(kind));

/** Runs detectors whose kinds are cached. A detector that throws is skipped, not fatal. */
export function runDetectors(input: DetectorInput, detectors: readonly Detector[]): RawFinding[] {
  const found: RawFinding[] = [];
  for (const detector of detectors) {
    if (!canRun(input, detector)) continue;
    try {
      // A loop, not push(...spread): a detector may return more findings than a call has arguments.
      for (const raw of detector.detect(input)) found.push(raw);
    } catch {
      // A bug in one detector must not hide the others' findings; the unit tests catch it.
    }
  }
  return found;
}

/** Runs detectors with `kind` narrowed to `items`, and the detector's other `over` kinds empty. */
export function detectOver<K extends CachedKindName>(
  input: DetectorInput,
  detectors: readonly Detector[],
  kind: K,
  items: CachedRecords[K][],
  others: readonly CachedKindName[] = [],
): RawFinding[] {
  const view: DetectorInput = {
    ...input,
    list: ((k: CachedKindName) =>
      k === kind ? items : others.includes(k) ? [] : input.list(k)) as DetectorInput['list'],
  };
  return runDetectors(view, detectors);
}

/** The per-pod detectors over runs of `pods`, one step per run. */
export function* perPodSteps(
  input: DetectorInput,
  detectors: readonly Detector[],
  pods: readonly PodRecord[],
  out: RawFinding[],
): Generator<void, void> {
  for (let i = 0; i < pods.length; i += POD_CHUNK) {
    pushAll(out, detectOver(input, detectors, 'pods', pods.slice(i, i + POD_CHUNK)));
    yield;
  }
}

/**
 * The whole-cluster detectors: those that walk kinds item by item (`over`) in runs of a few
 * objects, one step per run (10,000 Services are 300 steps, not one); the others in one step each.
 * Given `reuse` (per detector, kept between runs), a detector whose items are reused evaluates
 * only the items whose record or stamp changed, and takes the others' findings from the last run.
 */
export function* wholeClusterSteps(
  input: DetectorInput,
  detectors: readonly Detector[],
  out: RawFinding[],
  reuse?: Map<Detector, ItemResults | undefined>,
): Generator<void, void> {
  for (const detector of detectors) {
    if (!canRun(input, detector)) continue;
    if (!detector.over?.length) {
      pushAll(out, runDetectors(input, [detector]));
      yield;
      continue;
    }
    if (reuse && !reuse.has(detector)) reuse.set(detector, ItemResults.for(detector.name));
    yield* overSteps(input, detector, out, reuse?.get(detector));
  }
}

/**
 * A detector over its `over` kinds: in runs of a few objects, or, given `results`, item by item,
 * each item's findings reused while they hold.
 */
function* overSteps(
  input: DetectorInput,
  detector: Detector,
  out: RawFinding[],
  results: ItemResults | undefined,
): Generator<void, void> {
  const over = detector.over ?? [];
  for (const kind of over) {
    const all = input.list(kind);
    if (!results)
      for (let i = 0; i < all.length; i += OBJECT_CHUNK) {
        pushAll(out, detectOver(input, [detector], kind, all.slice(i, i + OBJECT_CHUNK), over));
        yield;
      }
    else
      for (let i = 0; i < all.length; i++) {
        const item = all[i] as object;
        const found =
          results.reused(input, item) ??
          results.remember(input, item, detectOver(input, [detector], kind, [all[i]], over));
        pushAll(out, found);
        if (i % OBJECT_CHUNK === 0) yield;
      }
  }
}

/** Pods indexed by namespace and label, one step per run of pods. */
export function* podIndexSteps(pods: readonly PodRecord[], index: PodIndex): Generator<void, void> {
  for (let i = 0; i < pods.length; i++) {
    index.load(pods[i]);
    if (i % (POD_CHUNK * 4) === 0) yield;
  }
}

/** The input with its pod lookups answered by `index`. */
export const withPodIndex = (input: DetectorInput, index: PodIndex): DetectorInput => ({
  ...input,
  podsIn: (namespace) => index.podsIn(namespace),
  namespacesWithPodLabel: (key, value) => index.namespacesWithLabel(key, value),
});
