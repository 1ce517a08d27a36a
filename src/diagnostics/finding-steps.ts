import type { WarningEventRecord } from '../cluster-state/records/event';
import type { DetectorInput } from './detectors/detector';
import { EvaluatedFinding, RawFinding, SEVERITIES } from '../cluster-state/finding';
import { refKey } from '../cluster-state/finding-id';
import {
  addEvent,
  addToGroup,
  EventIndex,
  eventsOf,
  findingOf,
  finishGroup,
  Group,
  sameEvents,
  stillHolds,
} from './finding-groups';
import { sameItems } from './same-items';
import { sortSteps } from './sort-steps';

/** Items per step of the cheap loops (events, grouping). */
const STEP = 64;

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
  eventIndex: EventIndex = new Map();
  /** Last run's findings before and after sorting. */
  unsorted: EvaluatedFinding[] = [];
  sorted: EvaluatedFinding[] = [];
  /** Sort keys of findings, kept with the finding. */
  readonly keys = new WeakMap<EvaluatedFinding, string>();
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
  const events = reuse && sameEventList ? reuse.eventIndex : yield* eventIndexSteps(list);
  const groups = yield* groupSteps(input, raws);
  const findings = yield* madeSteps(clusterId, groups, events, sameEventList, reuse);
  if (reuse) {
    reuse.events = list;
    reuse.eventIndex = events;
    // The same findings in the same order sort the same: last run's order holds.
    if (sameItems(reuse.unsorted, findings)) return reuse.sorted.slice();
  }
  const sorted = yield* sortSteps(findings, findingOrder(reuse?.keys ?? new Map()));
  if (reuse) {
    reuse.unsorted = findings;
    reuse.sorted = sorted.slice();
  }
  return sorted;
}

function* eventIndexSteps(list: readonly WarningEventRecord[]): Generator<void, EventIndex> {
  const events: EventIndex = new Map();
  for (let i = 0; i < list.length; i++) {
    addEvent(events, list[i]);
    if (i % STEP === 0) yield;
  }
  return events;
}

function* groupSteps(
  input: DetectorInput,
  raws: RawFinding[],
): Generator<void, Map<string, Group>> {
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
  return groups;
}

/** Each group's finding: last run's while it still holds (its events updated), else a new one. */
function* madeSteps(
  clusterId: string,
  groups: Map<string, Group>,
  events: EventIndex,
  sameEventList: boolean,
  reuse: FindingReuse | undefined,
): Generator<void, EvaluatedFinding[]> {
  const findings: EvaluatedFinding[] = [];
  const made = new Map<string, { group: Group; finding: EvaluatedFinding }>();
  for (const g of groups.values()) {
    const last = reuse?.groups.get(g.key);
    const finding =
      last && last.finding.clusterId === clusterId && stillHolds(last.group, g)
        ? withEvents(last.finding, sameEventList ? undefined : eventsOf(events, g.related))
        : findingOf(clusterId, g, events);
    findings.push(finding);
    if (reuse) made.set(g.key, { group: g, finding });
    if (findings.length % STEP === 0) yield;
  }
  if (reuse) reuse.groups = made;
  return findings;
}

/** Last run's finding, with new evidence events when they changed (undefined: the same listing). */
function withEvents(
  last: EvaluatedFinding,
  events: ReturnType<typeof eventsOf> | undefined,
): EvaluatedFinding {
  return !events || sameEvents(events, last.evidence.events)
    ? last
    : { ...last, evidence: { ...last.evidence, events } };
}

const severityRank = (f: EvaluatedFinding) => SEVERITIES.indexOf(f.severity);
/** localeCompare's order, without building a collator per comparison (10k findings sort in ms). */
const collator = new Intl.Collator();

/** Severity, code, then object; object keys are kept with their finding between runs. */
function findingOrder(
  keys: Map<EvaluatedFinding, string> | WeakMap<EvaluatedFinding, string>,
): (a: EvaluatedFinding, b: EvaluatedFinding) => number {
  const keyOf = (f: EvaluatedFinding): string => {
    let key = keys.get(f);
    if (key === undefined) keys.set(f, (key = refKey(f.object)));
    return key;
  };
  return (a, b) =>
    severityRank(a) - severityRank(b) ||
    collator.compare(a.code, b.code) ||
    collator.compare(keyOf(a), keyOf(b));
}
