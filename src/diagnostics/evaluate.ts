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
  /** `code|workload`: one group per code and workload. */
  key: string;
  raw: RawFinding;
  object: ObjectRef;
  /** Objects whose events are evidence: the object, its owner chain and the affected pods. */
  related: ObjectRef[];
  affected: string[];
  /** Every raw finding of the group, in order: what decides whether last run's finding holds. */
  raws: RawFinding[];
}

/**
 * What an incremental evaluation keeps between runs so that a finding whose inputs did not change
 * is the very object of the last run, not an equal copy: with ~1,000 findings, rebuilding each one
 * (evidence, message, id hash, sort key) every run is megabytes of garbage per evaluation, and the
 * scavenges it causes are what an overview request waits for. Raw findings of unchanged pods and
 * objects are already the same objects from run to run, so identity decides.
 */
export class FindingReuse {
  /** Last run's groups by `code|workload`, with the finding made of each. */
  groups = new Map<string, { group: Group; finding: EvaluatedFinding }>();
  /** Last run's Warning events (the listing) and their index by object. */
  events: readonly WarningEventRecord[] | undefined;
  eventIndex = new Map<string, WarningEventRecord[]>();
  /** Last run's findings before and after sorting. */
  unsorted: EvaluatedFinding[] = [];
  sorted: EvaluatedFinding[] = [];
  /** Sort keys of findings, kept with the finding. */
  readonly keys = new WeakMap<EvaluatedFinding, string>();
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
interface ItemResult {
  stamp: readonly unknown[];
  found: readonly RawFinding[];
}
export type ItemResults = WeakMap<object, ItemResult>;

/** An item without findings: kept for 10k Services and 20k workloads, so one shared array. */
const NO_FINDINGS: readonly RawFinding[] = Object.freeze([]);

/**
 * Same objects in the same order (identity), element by element without a closure per call: it
 * compares every stamped item's stamp of every run, and last run's raws, events and findings.
 */
function sameItems<T>(a: readonly T[], b: readonly T[] | undefined): boolean {
  if (a === b) return true;
  if (b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Appends `from` to `to`: an index loop, so no iterator per call in a generator run per item. */
function pushAll<T>(to: T[], from: readonly T[]): void {
  for (let i = 0; i < from.length; i++) to.push(from[i]);
}

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
      // What the first run keeps here is copied by the young-generation GC while requests wait:
      // items without findings share one result while their stamp is shared (the workloads').
      let empty: ItemResult | undefined;
      for (let i = 0; i < all.length; i++) {
        const item = all[i] as object;
        const last = results.get(item);
        let found: readonly RawFinding[];
        if (last && sameItems(last.stamp, detector.stamp!(input, item, last.found, last.stamp)))
          found = last.found;
        else {
          const detected = detectOver(input, [detector], kind, [all[i]], over);
          found = detected.length ? detected : NO_FINDINGS;
          const stamp = detector.stamp!(input, item, found);
          if (!stamp) results.delete(item);
          else if (found.length) results.set(item, { stamp, found });
          else {
            if (empty?.stamp !== stamp) empty = { stamp, found };
            results.set(item, empty);
          }
        }
        pushAll(out, found);
        if (i % OBJECT_CHUNK === 0) yield;
      }
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
    existing.raws.push(raw);
    return;
  }
  // `related` holds the owner chain until finishGroup makes it the evidence objects.
  groups.set(key, { key, raw, object, related: chain, affected: [], raws: [raw] });
}

/** Namespace, then name: the order a list from the API server has (its storage key order). */
const byObject = (a: RawFinding, b: RawFinding): number =>
  a.object.namespace < b.object.namespace
    ? -1
    : a.object.namespace > b.object.namespace
      ? 1
      : a.object.name < b.object.name
        ? -1
        : a.object.name > b.object.name
          ? 1
          : 0;

/**
 * A group's raws in object order, then its first raw (whose message and fields the finding shows),
 * evidence objects and affected pods. Ordered, not as found: an incremental evaluation finds a
 * re-evaluated pod's raws after the others, a full one in the snapshot's order, and the finding must
 * not depend on which ran (the sort is stable: one object's raws keep the detectors' order).
 */
function finishGroup(input: DetectorInput, g: Group): void {
  let chain = g.related;
  if (g.raws.length > 1) g.raws.sort(byObject);
  if (g.raws[0] !== g.raw) {
    // Another pod of the workload comes first: its owner chain (its own ReplicaSet, say).
    g.raw = g.raws[0];
    const { name, namespace } = g.raw.object;
    chain = ownerChain(input, input.get('pods', name, namespace), g.raw.object);
  }
  g.related = [g.raw.object, ...chain];
  g.affected = g.object === g.raw.object ? [] : [g.raw.object.name];
  for (let i = 1; i < g.raws.length; i++) {
    g.affected.push(g.raws[i].object.name);
    if (g.related.length < 12) g.related.push(g.raws[i].object);
  }
}

const sameRef = (a: ObjectRef, b: ObjectRef): boolean =>
  a === b ||
  (a.name === b.name && a.namespace === b.namespace && a.kind === b.kind && a.group === b.group);

/**
 * Whether last run's finding of a group still holds: the same raw findings (identity: the same
 * pods and objects, unchanged) and the same evidence objects. Everything else of a finding — its
 * id, message, count, affected pods — is a function of those raws and the group key (the cluster
 * and the workload). The evidence events are the same when the events listing is.
 */
function stillHolds(last: Group, group: Group): boolean {
  if (!sameItems(last.raws, group.raws) || last.related.length !== group.related.length)
    return false;
  for (let i = 0; i < group.related.length; i++)
    if (!sameRef(last.related[i], group.related[i])) return false;
  return true;
}

const sameEvents = (a: readonly EvidenceEvent[], b: readonly EvidenceEvent[]): boolean =>
  a.length === b.length &&
  a.every(
    (e, i) =>
      e.object === b[i].object &&
      e.reason === b[i].reason &&
      e.message === b[i].message &&
      e.count === b[i].count &&
      e.last === b[i].last,
  );

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
  reuse?: FindingReuse,
): Generator<void, EvaluatedFinding[]> {
  const list = input.caches('warningevents') ? input.list('warningevents') : [];
  // The same events as last run (a listing of the same records): last run's index holds.
  const sameEventList = reuse?.events !== undefined && sameItems(reuse.events, list);
  let events = new Map<string, WarningEventRecord[]>();
  if (reuse && sameEventList) events = reuse.eventIndex;
  else
    for (let i = 0; i < list.length; i++) {
      addEvent(events, list[i]);
      if (i % STEP === 0) yield;
    }
  const groups = new Map<string, Group>();
  for (let i = 0; i < raws.length; i++) {
    addToGroup(input, groups, raws[i]);
    if (i % STEP === 0) yield;
  }
  let finished = 0;
  for (const g of groups.values()) {
    finishGroup(input, g);
    if (++finished % STEP === 0) yield;
  }
  const findings: EvaluatedFinding[] = [];
  const made = new Map<string, { group: Group; finding: EvaluatedFinding }>();
  for (const g of groups.values()) {
    const last = reuse?.groups.get(g.key);
    let finding: EvaluatedFinding;
    if (last && last.finding.clusterId === clusterId && stillHolds(last.group, g)) {
      const evidenceEvents = sameEventList ? undefined : eventsOf(events, g.related);
      finding =
        !evidenceEvents || sameEvents(evidenceEvents, last.finding.evidence.events)
          ? last.finding
          : { ...last.finding, evidence: { ...last.finding.evidence, events: evidenceEvents } };
    } else finding = findingOf(clusterId, g, events);
    findings.push(finding);
    if (reuse) made.set(g.key, { group: g, finding });
    if (findings.length % STEP === 0) yield;
  }
  if (reuse) {
    reuse.groups = made;
    reuse.events = list;
    reuse.eventIndex = events;
    // The same findings in the same order sort the same: last run's order holds.
    if (sameItems(reuse.unsorted, findings)) return reuse.sorted.slice();
  }
  const keys = reuse?.keys ?? new Map<EvaluatedFinding, string>();
  const keyOf = (f: EvaluatedFinding): string => {
    let key = keys.get(f);
    if (key === undefined) keys.set(f, (key = refKey(f.object)));
    return key;
  };
  const sorted = yield* sortSteps(
    findings,
    (a, b) =>
      severityRank(a) - severityRank(b) ||
      collator.compare(a.code, b.code) ||
      collator.compare(keyOf(a), keyOf(b)),
  );
  if (reuse) {
    reuse.unsorted = findings;
    reuse.sorted = sorted.slice();
  }
  return sorted;
}

/** A group made a finding, with its evidence. */
function findingOf(
  clusterId: string,
  g: Group,
  events: Map<string, WarningEventRecord[]>,
): EvaluatedFinding {
  const affected = [...g.affected].sort();
  return {
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
  };
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
