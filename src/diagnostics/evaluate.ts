import { createHash } from 'node:crypto';
import type { WarningEventRecord } from '../cluster-state/records/event';
import type { PodRecord } from '../cluster-state/records/pod';
import type { CachedKindName, CachedRecords } from '../monitor/cluster-snapshot';
import { Detector, DetectorInput } from './detectors/detector';
import { DETECTORS } from './detectors';
import { EvidenceEvent, Finding, ObjectRef, RawFinding, refText, SEVERITIES } from './finding';
import { ownerChain, workloadOf } from './owners';
import { PodIndex } from './pod-index';
import { drainNow, Slicer } from './slicer';

/** A finding as one evaluation sees it: firstSeen/lastSeen are the tracker's. */
export type EvaluatedFinding = Omit<Finding, 'firstSeen' | 'lastSeen'>;

const MAX_EVENTS = 5;
const MAX_OBJECTS = 5;

interface Group {
  raw: RawFinding;
  object: ObjectRef;
  /** Objects whose events are evidence: the object, its owner chain and the affected pods. */
  related: ObjectRef[];
  affected: string[];
}

export const refKey = (r: ObjectRef): string => `${r.group}/${r.kind}/${r.namespace}/${r.name}`;

export function findingId(clusterId: string, code: string, object: ObjectRef): string {
  return createHash('sha256')
    .update(`${clusterId}\n${code}\n${refKey(object)}`)
    .digest('hex')
    .slice(0, 16);
}

/** Runs detectors whose kinds are cached. A detector that throws is skipped, not fatal. */
export function runDetectors(input: DetectorInput, detectors: readonly Detector[]): RawFinding[] {
  const found: RawFinding[] = [];
  for (const detector of detectors) {
    if (!detector.needs.every((kind) => input.caches(kind))) continue;
    try {
      // A loop, not push(...spread): a detector may return more findings than a call has arguments.
      for (const raw of detector.detect(input)) found.push(raw);
    } catch {
      // A bug in one detector must not hide the others' findings; the unit tests catch it.
    }
  }
  return found;
}

/** Pods per step of the per-pod detectors: every per-pod detector over them takes ~0.1 ms. */
export const POD_CHUNK = 64;
/** Objects per step of a whole-cluster detector walking one kind (`Detector.over`). */
const OBJECT_CHUNK = 32;
/** Items per step of the cheap loops (events, grouping). */
const STEP = 64;

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
    for (const raw of detectOver(input, detectors, 'pods', pods.slice(i, i + POD_CHUNK)))
      out.push(raw);
    yield;
  }
}

/** Findings of one item of a detector with a `stamp`, from the last incremental run. */
export type ItemResults = WeakMap<object, { stamp: readonly unknown[]; found: RawFinding[] }>;

const sameStamp = (a: readonly unknown[], b: readonly unknown[] | undefined): boolean =>
  b !== undefined && a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * The whole-cluster detectors: those that walk kinds item by item (`over`) in runs of a few
 * objects, one step per run (10,000 Services are 300 steps, not one); the others in one step each.
 * Given `reuse` (per detector, kept between runs), a detector with a `stamp` evaluates only the
 * items whose record or stamp changed, and takes the others' findings from the last run.
 */
export function* wholeClusterSteps(
  input: DetectorInput,
  detectors: readonly Detector[],
  out: RawFinding[],
  reuse?: Map<Detector, ItemResults>,
): Generator<void, void> {
  for (const detector of detectors) {
    if (!detector.needs.every((kind) => input.caches(kind))) continue;
    const over = detector.over ?? [];
    if (!over.length) {
      for (const raw of runDetectors(input, [detector])) out.push(raw);
      yield;
      continue;
    }
    const results = detector.stamp && reuse ? reuse.get(detector) : undefined;
    if (detector.stamp && reuse && !results) {
      reuse.set(detector, new WeakMap());
      yield* wholeClusterSteps(input, [detector], out, reuse);
      continue;
    }
    for (const kind of over) {
      const all = input.list(kind);
      if (!results) {
        for (let i = 0; i < all.length; i += OBJECT_CHUNK) {
          const items = all.slice(i, i + OBJECT_CHUNK);
          for (const raw of detectOver(input, [detector], kind, items, over)) out.push(raw);
          yield;
        }
        continue;
      }
      for (let i = 0; i < all.length; i++) {
        const item = all[i] as object;
        const last = results.get(item);
        let found: RawFinding[];
        if (last && sameStamp(last.stamp, detector.stamp!(input, item, last.found)))
          found = last.found;
        else {
          found = detectOver(input, [detector], kind, [all[i]], over);
          const stamp = detector.stamp!(input, item, found);
          if (stamp) results.set(item, { stamp, found });
          else results.delete(item);
        }
        for (const raw of found) out.push(raw);
        if (i % OBJECT_CHUNK === 0) yield;
      }
    }
  }
}

/** Pods indexed by namespace and label, one step per run of pods. */
export function* podIndexSteps(pods: readonly PodRecord[], index: PodIndex): Generator<void, void> {
  for (let i = 0; i < pods.length; i++) {
    index.put(pods[i]);
    if (i % (POD_CHUNK * 4) === 0) yield;
  }
}

/** The input with its pod lookups answered by `index`. */
export const withPodIndex = (input: DetectorInput, index: PodIndex): DetectorInput => ({
  ...input,
  podsIn: (namespace) => index.podsIn(namespace),
  namespacesWithPodLabel: (key, value) => index.namespacesWithLabel(key, value),
});

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
  const perPod = detectors.filter((d) => d.perPod);
  await slicer.drain(perPodSteps(input, perPod, input.list('pods'), raws));
  const index = new PodIndex();
  await slicer.drain(podIndexSteps(input.list('pods'), index));
  const indexed = withPodIndex(input, index);
  const whole = detectors.filter((d) => !d.perPod);
  await slicer.drain(wholeClusterSteps(indexed, whole, raws));
  return slicer.drain(findingSteps(clusterId, indexed, raws));
}

/** Pod findings collapse onto their workload: one finding per (code, workload) with a count. */
function addToGroup(input: DetectorInput, groups: Map<string, Group>, raw: RawFinding): void {
  const isPod = raw.object.kind === 'Pod' && raw.object.group === '';
  const pod = isPod ? input.get('pods', raw.object.name, raw.object.namespace) : undefined;
  const chain = isPod ? ownerChain(input, pod, raw.object) : [];
  const object = workloadOf(chain, raw.object);
  const key = `${raw.code}|${refKey(object)}`;
  const existing = groups.get(key);
  if (existing) {
    existing.affected.push(raw.object.name);
    if (existing.related.length < 12) existing.related.push(raw.object);
    return;
  }
  groups.set(key, {
    raw,
    object,
    related: [raw.object, ...chain],
    affected: object === raw.object ? [] : [raw.object.name],
  });
}

function addEvent(index: Map<string, WarningEventRecord[]>, e: WarningEventRecord): void {
  const key = `${e.object.kind}/${e.object.name}`;
  const list = index.get(key);
  if (list) list.push(e);
  else index.set(key, [e]);
}

function eventsOf(index: Map<string, WarningEventRecord[]>, refs: ObjectRef[]): EvidenceEvent[] {
  const found: EvidenceEvent[] = [];
  for (const r of refs)
    for (const e of index.get(`${r.kind}/${r.name}`) ?? [])
      if (!r.namespace || e.object.namespace === r.namespace)
        found.push({
          object: refText(r),
          reason: e.reason,
          message: e.message,
          count: e.count,
          last: e.last,
        });
  return found.sort((a, b) => b.last.localeCompare(a.last)).slice(0, MAX_EVENTS);
}

function message(g: Group): string {
  if (g.object === g.raw.object) return g.raw.message;
  const n = g.affected.length;
  return `${n} pod${n === 1 ? '' : 's'} of ${refText(g.object)}: ${g.raw.message}`;
}

const severityRank = (f: EvaluatedFinding) => SEVERITIES.indexOf(f.severity);
/** localeCompare's order, without building a collator per comparison (10k findings sort in ms). */
const collator = new Intl.Collator();

/**
 * One full evaluation: detectors → grouping by workload → Warning events as evidence. Pure over
 * the snapshot view it is given, so it is unit-tested without a cluster.
 */
export function evaluate(
  clusterId: string,
  input: DetectorInput,
  detectors: readonly Detector[] = DETECTORS,
): EvaluatedFinding[] {
  return findingsOf(clusterId, input, runDetectors(input, detectors));
}

export function findingsOf(
  clusterId: string,
  input: DetectorInput,
  raws: RawFinding[],
): EvaluatedFinding[] {
  return drainNow(findingSteps(clusterId, input, raws));
}

/**
 * Raw findings → findings: Warning events indexed, raws grouped onto workloads, each group made a
 * finding with its evidence, then sorted; a step every few items, so a sliced evaluation can yield.
 */
export function* findingSteps(
  clusterId: string,
  input: DetectorInput,
  raws: RawFinding[],
): Generator<void, EvaluatedFinding[]> {
  const events = new Map<string, WarningEventRecord[]>();
  if (input.caches('warningevents')) {
    const list = input.list('warningevents');
    for (let i = 0; i < list.length; i++) {
      addEvent(events, list[i]);
      if (i % STEP === 0) yield;
    }
  }
  const groups = new Map<string, Group>();
  for (let i = 0; i < raws.length; i++) {
    addToGroup(input, groups, raws[i]);
    if (i % STEP === 0) yield;
  }
  const findings: EvaluatedFinding[] = [];
  for (const g of groups.values()) {
    const affected = [...g.affected].sort();
    findings.push({
      id: findingId(clusterId, g.raw.code, g.object),
      clusterId,
      code: g.raw.code,
      severity: g.raw.severity,
      source: g.raw.source ?? 'kubernetes',
      object: g.object,
      message: message(g),
      evidence: {
        fields: g.raw.fields,
        ...(affected.length ? { objects: affected.slice(0, MAX_OBJECTS) } : {}),
        events: eventsOf(events, g.related),
      },
      suggestion: g.raw.suggestion,
      count: Math.max(1, affected.length),
    });
    if (findings.length % STEP === 0) yield;
  }
  const keys = new Map(findings.map((f) => [f, refKey(f.object)]));
  return yield* sortSteps(
    findings,
    (a, b) =>
      severityRank(a) - severityRank(b) ||
      collator.compare(a.code, b.code) ||
      collator.compare(keys.get(a)!, keys.get(b)!),
  );
}

/** Comparisons per step of {@link sortSteps}: a collator comparison costs ~0.3 µs. */
const COMPARISONS = 512;

/**
 * A stable bottom-up merge sort that yields every few hundred comparisons: 10,000 findings need
 * ~130,000 locale comparisons, tens of ms in one piece. The order is Array.prototype.sort's (both
 * are stable), so one pass and a sliced evaluation list findings identically.
 */
export function* sortSteps<T>(items: T[], compare: (a: T, b: T) => number): Generator<void, T[]> {
  let from = items.slice();
  let to: T[] = new Array<T>(from.length);
  let work = 0;
  for (let width = 1; width < from.length; width *= 2) {
    for (let lo = 0; lo < from.length; lo += 2 * width) {
      const mid = Math.min(lo + width, from.length);
      const hi = Math.min(lo + 2 * width, from.length);
      let i = lo;
      let j = mid;
      for (let k = lo; k < hi; k++) {
        to[k] = i < mid && (j >= hi || compare(from[i], from[j]) <= 0) ? from[i++] : from[j++];
        if (++work % COMPARISONS === 0) yield;
      }
    }
    [from, to] = [to, from];
  }
  return from;
}
