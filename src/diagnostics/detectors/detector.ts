import type { NodeAllocation } from '../../monitor/cluster-snapshot';
import type { CachedKindName, CachedRecords } from '../../monitor/cluster-snapshot';
import type { PodRecord } from '../../cluster-state/records/pod';
import type { RawFinding } from '../finding';

/**
 * What a detector reads: the snapshot's records (never the API server) plus indexes built once per
 * evaluation, and the evaluation time so "for long" conditions are pure functions of their input.
 */
export interface DetectorInput {
  now: number;
  list<K extends CachedKindName>(kind: K): CachedRecords[K][];
  get<K extends CachedKindName>(
    kind: K,
    name: string,
    namespace?: string,
  ): CachedRecords[K] | undefined;
  /** False when the kind is not cached (not served or forbidden): detectors that need it stay silent. */
  caches(kind: CachedKindName): boolean;
  podsIn(namespace: string): readonly PodRecord[];
  /** Namespaces with at least one pod labelled `key=value` (in no particular order). */
  namespacesWithPodLabel(key: string, value: string): Iterable<string>;
  /**
   * An index a detector builds once per evaluation and reuses in every slice of it (the ready
   * endpoints per Service): built on first use under `key`, from the input it is called on. The
   * input is passed rather than captured so a lookup per item (a stamp) allocates no closure.
   */
  memo<T>(key: string, build: (input: DetectorInput) => T): T;
  /** Requests and limits of the pods on a node. */
  allocation(node: string): NodeAllocation | undefined;
}

/** A pure function over the snapshot: the same input always gives the same findings. */
export interface Detector {
  name: string;
  /** Kinds it reads; it is skipped when one is not cached, never guessing from an empty list. */
  needs: CachedKindName[];
  /**
   * True when a pod's findings depend on that pod alone (and lookups by name): the detector reads
   * pods only through list('pods'), so it can run over slices of the pods between which the
   * evaluation yields the event loop.
   */
  perPod?: boolean;
  /**
   * Kinds the detector walks item by item, each item's findings depending on that item alone
   * (plus lookups by name and the input's indexes): a sliced evaluation runs it over small runs of
   * one kind at a time, the others listed empty, so no detector holds the event loop for long.
   * Without it the detector runs in one piece.
   */
  over?: readonly CachedKindName[];
  /**
   * What an item's findings depend on besides the (immutable) item record, compared by identity:
   * an incremental evaluation reuses the item's findings from the last run while the stamp is
   * unchanged. Undefined: always evaluate the item again. Only for `over` detectors. `last` is the
   * item's stamp from the last run: returning it when nothing changed (rather than a new equal
   * array) keeps a run over 10,000 unchanged items free of garbage.
   */
  stamp?(
    input: DetectorInput,
    item: object,
    found: readonly RawFinding[],
    last?: readonly unknown[],
  ): readonly unknown[] | undefined;
  detect(input: DetectorInput): RawFinding[];
}

/** How long ago an ISO time was, in seconds (Infinity when unknown, so "long ago" holds). */
export function ageSeconds(iso: string | undefined, now: number): number {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(t) ? (now - t) / 1000 : Infinity;
}

export const ns = (namespace: string, name: string): string =>
  namespace ? `${namespace}/${name}` : name;
