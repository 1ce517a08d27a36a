import type {
  CachedKindName,
  CachedRecords,
  ClusterSnapshot,
  NodeAllocation,
} from '../../monitor/cluster-snapshot';
import type { PodRecord } from '../../cluster-state/records/pod';
import type { RawFinding } from '../../cluster-state/finding';

/**
 * What a detector reads: the snapshot's records (never the API server) plus indexes the engine
 * builds once per evaluation, and the evaluation time so "for long" conditions are pure functions
 * of their input.
 */
export interface DetectorInput {
  now: number;
  list<K extends CachedKindName>(kind: K): CachedRecords[K][];
  get: ClusterSnapshot['get'];
  /** False when the kind is not cached (not served or forbidden): detectors that need it stay silent. */
  caches(kind: CachedKindName): boolean;
  podsIn(namespace: string): readonly PodRecord[];
  /** Namespaces with at least one pod labelled `key=value` (in no particular order). */
  namespacesWithPodLabel(key: string, value: string): Iterable<string>;
  /** Ready endpoints of a Service, summed over its EndpointSlices. */
  readyEndpoints(namespace: string, service: string): number;
  /**
   * Endpoints of a Service, ready or not, summed over its EndpointSlices; undefined when it has no
   * slice (the controller has not reconciled it, or does not manage it).
   */
  endpointCount(namespace: string, service: string): number | undefined;
  /** Requests and limits of the pods on a node. */
  allocation(node: string): NodeAllocation | undefined;
}

/**
 * A detector as the engine runs it: the plain function (`detect`, in its `*.detector.ts` file: the
 * same input always gives the same raw findings) and what it reads, declared in the registry
 * (index.ts). How it is run — in slices, pod by pod, reusing last run's findings — is the engine's
 * business (detector-runs.ts, item-reuse.ts), never the detector's.
 */
export interface Detector {
  name: string;
  /** Kinds it reads; it is skipped when one is not cached, never guessing from an empty list. */
  needs: CachedKindName[];
  /**
   * Kinds it judges item by item: an item's findings depend on that item alone, plus lookups by
   * name and the input's indexes. The engine may then run it over part of a list (the other kinds
   * listed here empty). For `pods` the lookups by name are in the pod's own namespace.
   * Without it the detector always runs over whole lists.
   */
  over?: readonly CachedKindName[];
  detect(input: DetectorInput): RawFinding[];
}

/** How long ago an ISO time was, in seconds (Infinity when unknown, so "long ago" holds). */
export function ageSeconds(iso: string | undefined, now: number): number {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(t) ? (now - t) / 1000 : Infinity;
}

export const ns = (namespace: string, name: string): string =>
  namespace ? `${namespace}/${name}` : name;
