import { createHash } from 'node:crypto';
import type { WarningEventRecord } from '../cluster-state/records/event';
import type { PodRecord } from '../cluster-state/records/pod';
import { Detector, DetectorInput } from './detectors/detector';
import { DETECTORS } from './detectors';
import { EvidenceEvent, Finding, ObjectRef, RawFinding, refText, SEVERITIES } from './finding';
import { ownerChain, workloadOf } from './owners';

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
      found.push(...detector.detect(input));
    } catch {
      // A bug in one detector must not hide the others' findings; the unit tests catch it.
    }
  }
  return found;
}

/** Pods per slice of a sliced evaluation: a slice of every per-pod detector takes about a millisecond. */
export const POD_SLICE = 500;

/**
 * The same evaluation as {@link evaluate}, yielding the event loop (`pause`) between slices of
 * pods and between whole-cluster detectors, so a 100k-pod cluster never holds a request behind
 * one long synchronous pass. Records are immutable, so a change between slices only means the
 * next (already scheduled) evaluation sees it.
 */
export async function evaluateSliced(
  clusterId: string,
  input: DetectorInput,
  pause: () => Promise<void>,
  detectors: readonly Detector[] = DETECTORS,
): Promise<EvaluatedFinding[]> {
  const pods = input.list('pods');
  const perPod = detectors.filter((d) => d.perPod);
  const raws: RawFinding[] = [];
  // The namespace index the whole-cluster detectors read is built slice by slice too.
  const byNamespace = new Map<string, PodRecord[]>();
  for (let i = 0; i < pods.length; i += POD_SLICE) {
    const slice = pods.slice(i, i + POD_SLICE);
    const sliced: DetectorInput = {
      ...input,
      list: ((kind) => (kind === 'pods' ? slice : input.list(kind))) as DetectorInput['list'],
    };
    raws.push(...runDetectors(sliced, perPod));
    for (const pod of slice) {
      const list = byNamespace.get(pod.namespace);
      if (list) list.push(pod);
      else byNamespace.set(pod.namespace, [pod]);
    }
    await pause();
  }
  const indexed: DetectorInput = { ...input, podsIn: (ns) => byNamespace.get(ns) ?? [] };
  for (const detector of detectors.filter((d) => !d.perPod)) {
    raws.push(...runDetectors(indexed, [detector]));
    await pause();
  }
  return findingsOf(clusterId, input, raws);
}

/** Pod findings collapse onto their workload: one finding per (code, workload) with a count. */
function group(input: DetectorInput, raws: RawFinding[]): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const raw of raws) {
    const isPod = raw.object.kind === 'Pod' && raw.object.group === '';
    const pod = isPod ? input.get('pods', raw.object.name, raw.object.namespace) : undefined;
    const chain = isPod ? ownerChain(input, pod, raw.object) : [];
    const object = workloadOf(chain, raw.object);
    const key = `${raw.code}|${refKey(object)}`;
    const existing = groups.get(key);
    if (existing) {
      existing.affected.push(raw.object.name);
      if (existing.related.length < 12) existing.related.push(raw.object);
      continue;
    }
    groups.set(key, {
      raw,
      object,
      related: [raw.object, ...chain],
      affected: object === raw.object ? [] : [raw.object.name],
    });
  }
  return groups;
}

function eventIndex(events: WarningEventRecord[]): Map<string, WarningEventRecord[]> {
  const index = new Map<string, WarningEventRecord[]>();
  for (const e of events) {
    const key = `${e.object.kind}/${e.object.name}`;
    const list = index.get(key);
    if (list) list.push(e);
    else index.set(key, [e]);
  }
  return index;
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
  const events = input.caches('warningevents')
    ? eventIndex(input.list('warningevents'))
    : new Map();
  const findings: EvaluatedFinding[] = [];
  for (const g of group(input, raws).values()) {
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
  }
  return findings.sort(
    (a, b) =>
      severityRank(a) - severityRank(b) ||
      a.code.localeCompare(b.code) ||
      refKey(a.object).localeCompare(refKey(b.object)),
  );
}
