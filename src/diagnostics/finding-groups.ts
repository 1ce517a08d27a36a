import type { WarningEventRecord } from '../cluster-state/records/event';
import type { DetectorInput } from './detectors/detector';
import {
  EvaluatedFinding,
  EvidenceEvent,
  ObjectRef,
  RawFinding,
  refText,
} from '../cluster-state/finding';
import { findingId, refKey } from '../cluster-state/finding-id';
import { ownerChain, workloadOf } from './owners';
import { sameItems } from './same-items';

/**
 * Raw findings become findings here: grouped onto the workload a person acts on (100 crashing pods
 * of a Deployment are one finding with a count), with the Warning events of the objects involved
 * as evidence.
 */

const MAX_EVENTS = 5;
const MAX_OBJECTS = 5;

export interface Group {
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

/** Warning events by `kind/name` of their object. */
export type EventIndex = Map<string, WarningEventRecord[]>;

/** Pod findings collapse onto their workload: one finding per (code, workload) with a count. */
export function addToGroup(
  input: DetectorInput,
  groups: Map<string, Group>,
  raw: RawFinding,
): void {
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
export function finishGroup(input: DetectorInput, g: Group): void {
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
export function stillHolds(last: Group, group: Group): boolean {
  if (!sameItems(last.raws, group.raws) || last.related.length !== group.related.length)
    return false;
  for (let i = 0; i < group.related.length; i++)
    if (!sameRef(last.related[i], group.related[i])) return false;
  return true;
}

export const sameEvents = (a: readonly EvidenceEvent[], b: readonly EvidenceEvent[]): boolean =>
  a.length === b.length &&
  a.every(
    (e, i) =>
      e.object === b[i].object &&
      e.reason === b[i].reason &&
      e.message === b[i].message &&
      e.count === b[i].count &&
      e.last === b[i].last,
  );

export function addEvent(index: EventIndex, e: WarningEventRecord): void {
  const key = `${e.object.kind}/${e.object.name}`;
  const list = index.get(key);
  if (list) list.push(e);
  else index.set(key, [e]);
}

/** The latest Warning events of the objects, newest first. */
export function eventsOf(index: EventIndex, refs: ObjectRef[]): EvidenceEvent[] {
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

/** A group made a finding, with its evidence. */
export function findingOf(clusterId: string, g: Group, events: EventIndex): EvaluatedFinding {
  const affected = [...g.affected].sort();
  const objects = g.raw.causes ? [...g.raw.causes, ...affected] : affected;
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
      ...(objects.length ? { objects: objects.slice(0, MAX_OBJECTS) } : {}),
      events: eventsOf(events, g.related),
    },
    suggestion: g.raw.suggestion,
    count: Math.max(1, affected.length),
  };
}
