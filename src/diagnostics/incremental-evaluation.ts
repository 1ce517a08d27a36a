import type { PodRecord } from '../cluster-state/records/pod';
import type {
  CachedKindName,
  DiagnosedSnapshot,
  SnapshotChange,
} from '../monitor/cluster-snapshot';
import { DETECTORS } from './detectors';
import type { Detector, DetectorInput } from './detectors/detector';
import {
  detectOver,
  isPerPod,
  POD_CHUNK,
  podIndexSteps,
  wholeClusterSteps,
  withPodIndex,
} from './detector-runs';
import type { EvaluatedFinding, RawFinding } from '../cluster-state/finding';
import { FindingReuse, findingSteps } from './finding-steps';
import type { ItemResults } from './item-reuse';
import { PodIndex } from './pod-index';
import { Slicer } from './slicer';
import { snapshotInput } from './snapshot-input';

/**
 * Kinds a per-pod detector looks up by name, always in the pod's own namespace (a pod can only
 * reference these there): a change to one may change the findings of any pod of its namespace.
 */
const LOOKED_UP: ReadonlySet<CachedKindName> = new Set<CachedKindName>([
  'configmaps',
  'secrets',
  'persistentvolumeclaims',
  'serviceaccounts',
]);

const podKey = (namespace: string, name: string): string => `${namespace}/${name}`;

/** A pod whose findings may change with time alone (not ready for 5 min, an OOM kill growing old). */
const timeSensitive = (p: PodRecord): boolean => !p.ready || p.containers !== undefined;

/**
 * Evaluation that re-runs the per-pod detectors only for the pods that changed since the last
 * run (plus those whose findings depend on the clock), keeping every other pod's findings from
 * before; the whole-cluster detectors (Services, nodes, PVCs, …) run each time, over the pod index
 * kept up to date change by change. A change to a kind the per-pod detectors look up (ConfigMaps,
 * Secrets, PVCs, ServiceAccounts) re-runs them all. Every step is sliced by a time budget with
 * `pause()` between slices, so it never holds the event loop for more than a few ms.
 */
export class IncrementalEvaluation {
  /** Per-pod findings by `namespace/name`; pods without findings are absent. */
  private readonly byPod = new Map<string, RawFinding[]>();
  private readonly dirty = new Set<string>();
  private readonly watchful = new Set<string>();
  /** Namespaces where a looked-up kind changed: all their pods are evaluated again. */
  private readonly dirtyNamespaces = new Set<string>();
  private all = true;
  /** Pods by namespace and label, as of the start of the last run. */
  private readonly index = new PodIndex();
  private indexStale = true;
  /** Pod changes since the index was last brought up to date, in order. */
  private pending: SnapshotChange[] = [];
  private readonly perPod: Detector[];
  private readonly whole: Detector[];
  /** Whole-cluster findings per object, reused while the object and what it reads are unchanged. */
  private readonly reuse = new Map<Detector, ItemResults | undefined>();
  /** Last run's findings, kept while their raw findings and evidence are the same objects. */
  private findings = new FindingReuse();
  /** Slices of the last run and the longest one, in ms (the benchmark reads them). */
  lastRun = { slices: 0, longestSliceMs: 0 };

  constructor(
    private readonly snapshot: DiagnosedSnapshot,
    detectors: readonly Detector[] = DETECTORS,
  ) {
    this.perPod = detectors.filter(isPerPod);
    this.whole = detectors.filter((d) => !isPerPod(d));
  }

  noteChange(change: SnapshotChange): void {
    if (change.kind === 'pods') {
      const pod = change.record as PodRecord;
      const key = podKey(pod.namespace, pod.name);
      if (change.type === 'deleted') {
        this.byPod.delete(key);
        this.watchful.delete(key);
      } else this.dirty.add(key);
      if (!this.indexStale) this.pending.push(change);
    } else if (LOOKED_UP.has(change.kind)) {
      // A ConfigMap written every few seconds (a leader lock, a controller's state) re-runs the
      // per-pod detectors over one namespace, not over every pod of the cluster.
      const namespace = (change.record as { namespace?: string }).namespace;
      if (namespace === undefined) this.all = true;
      else this.dirtyNamespaces.add(namespace);
    }
  }

  /** The clock moved on: pods whose findings depend on it are evaluated again. */
  noteTimePassed(): void {
    for (const key of this.watchful) this.dirty.add(key);
  }

  /** Forget what is known: the next run evaluates and indexes every pod (a relist, a restart). */
  invalidate(): void {
    this.all = true;
    this.reuse.clear();
    this.findings = new FindingReuse();
    this.indexStale = true;
    this.pending = [];
  }

  async run(now: number, pause: () => Promise<void>): Promise<EvaluatedFinding[]> {
    const slicer = new Slicer(pause);
    const input = withPodIndex(snapshotInput(this.snapshot, now), this.index);
    await slicer.drain(this.indexSteps(input));
    const pods = this.podsToEvaluate(input);
    for (let i = 0; i < pods.length; i += POD_CHUNK) {
      this.evaluatePods(input, pods.slice(i, i + POD_CHUNK));
      if (slicer.due) await slicer.tick();
    }
    const raws: RawFinding[] = [];
    // forEach and an index loop: no iterator result per pod with findings, per run.
    this.byPod.forEach((list) => {
      for (let i = 0; i < list.length; i++) raws.push(list[i]);
    });
    await slicer.drain(wholeClusterSteps(input, this.whole, raws, this.reuse));
    const found = await slicer.drain(
      findingSteps(this.snapshot.clusterId, input, raws, this.findings),
    );
    this.lastRun = { slices: slicer.slices, longestSliceMs: slicer.longestMs };
    return found;
  }

  /**
   * Brings the pod index up to date: the pod changes noted since the last run, or every pod
   * after invalidate(). Changes noted while this run pauses wait for the next run.
   */
  private *indexSteps(input: DetectorInput): Generator<void, void> {
    if (this.indexStale) {
      this.indexStale = false;
      this.pending = [];
      this.index.clear();
      yield* podIndexSteps(input.list('pods'), this.index);
      return;
    }
    const changes = this.pending;
    this.pending = [];
    for (let i = 0; i < changes.length; i++) {
      const pod = changes[i].record as PodRecord;
      if (changes[i].type === 'deleted') this.index.remove(pod);
      else this.index.put(pod);
      if (i % POD_CHUNK === 0) yield;
    }
  }

  private podsToEvaluate(input: DetectorInput): PodRecord[] {
    if (this.all) {
      this.all = false;
      this.dirty.clear();
      this.dirtyNamespaces.clear();
      this.byPod.clear();
      this.watchful.clear();
      return input.list('pods');
    }
    // The index is up to date here (indexSteps ran first); a pod added since is in `dirty` anyway.
    for (const namespace of this.dirtyNamespaces) {
      const inNamespace = this.index.podsIn(namespace);
      for (let i = 0; i < inNamespace.length; i++)
        this.dirty.add(podKey(namespace, inNamespace[i].name));
    }
    this.dirtyNamespaces.clear();
    const pods: PodRecord[] = [];
    for (const key of this.dirty) {
      const slash = key.indexOf('/');
      const pod = input.get('pods', key.slice(slash + 1), key.slice(0, slash));
      if (pod) pods.push(pod);
      else this.byPod.delete(key);
    }
    this.dirty.clear();
    return pods;
  }

  private evaluatePods(input: DetectorInput, slice: PodRecord[]): void {
    const before = new Map<string, RawFinding[]>();
    for (const pod of slice) {
      const key = podKey(pod.namespace, pod.name);
      const previous = this.byPod.get(key);
      if (previous) before.set(key, previous);
      this.byPod.delete(key);
      if (timeSensitive(pod)) this.watchful.add(key);
      else this.watchful.delete(key);
    }
    for (const raw of detectOver(input, this.perPod, 'pods', slice)) {
      const key = podKey(raw.object.namespace, raw.object.name);
      const list = this.byPod.get(key);
      if (list) list.push(raw);
      else this.byPod.set(key, [raw]);
    }
    // A pod evaluated again with the same findings (a watch event that changed nothing they read,
    // a time-sensitive pod on resync) keeps last run's raw objects, so its grouped finding is
    // reused downstream instead of rebuilt.
    before.forEach((previous, key) => {
      const found = this.byPod.get(key);
      if (found && sameRaws(previous, found)) this.byPod.set(key, previous);
    });
  }
}

function sameRaws(a: readonly RawFinding[], b: readonly RawFinding[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (
      x.code !== y.code ||
      x.severity !== y.severity ||
      x.message !== y.message ||
      x.suggestion !== y.suggestion ||
      x.source !== y.source ||
      !sameValue(x.object, y.object) ||
      !sameValue(x.fields, y.fields)
    )
      return false;
  }
  return true;
}

/** Equal JSON-like values, keys in the same order (a finding's text must not change). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  const other = Object.keys(b);
  if (keys.length !== other.length) return false;
  for (let i = 0; i < keys.length; i++)
    if (
      keys[i] !== other[i] ||
      !sameValue((a as Record<string, unknown>)[keys[i]], (b as Record<string, unknown>)[keys[i]])
    )
      return false;
  return true;
}
