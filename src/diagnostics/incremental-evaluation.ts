import type { PodRecord } from '../cluster-state/records/pod';
import type { CachedKindName, ClusterSnapshot, SnapshotChange } from '../monitor/cluster-snapshot';
import { DETECTORS } from './detectors';
import type { Detector, DetectorInput } from './detectors/detector';
import { EvaluatedFinding, findingsOf, POD_SLICE, runDetectors } from './evaluate';
import type { RawFinding } from './finding';
import { snapshotInput } from './snapshot-input';

/** Kinds a per-pod detector looks up by name: a change to one may change any pod's findings. */
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
 * before; the whole-cluster detectors (Services, nodes, PVCs, …) run each time. A change to a
 * kind the per-pod detectors look up (ConfigMaps, Secrets, PVCs, ServiceAccounts) re-runs them all.
 * Work is done in slices with `pause()` between them, so it never holds the event loop for long.
 */
export class IncrementalEvaluation {
  /** Per-pod findings by `namespace/name`; pods without findings are absent. */
  private readonly byPod = new Map<string, RawFinding[]>();
  private readonly dirty = new Set<string>();
  private readonly watchful = new Set<string>();
  private all = true;
  private readonly perPod: Detector[];
  private readonly whole: Detector[];

  constructor(
    private readonly snapshot: ClusterSnapshot,
    detectors: readonly Detector[] = DETECTORS,
  ) {
    this.perPod = detectors.filter((d) => d.perPod);
    this.whole = detectors.filter((d) => !d.perPod);
  }

  noteChange(change: SnapshotChange): void {
    if (change.kind === 'pods') {
      const pod = change.record as PodRecord;
      const key = podKey(pod.namespace, pod.name);
      if (change.type === 'deleted') {
        this.byPod.delete(key);
        this.watchful.delete(key);
      } else this.dirty.add(key);
    } else if (LOOKED_UP.has(change.kind)) this.all = true;
  }

  /** The clock moved on: pods whose findings depend on it are evaluated again. */
  noteTimePassed(): void {
    for (const key of this.watchful) this.dirty.add(key);
  }

  /** Forget what is known: the next run evaluates every pod (a relist, a restart). */
  invalidate(): void {
    this.all = true;
  }

  async run(now: number, pause: () => Promise<void>): Promise<EvaluatedFinding[]> {
    const input = snapshotInput(this.snapshot, now);
    const pods = this.podsToEvaluate(input);
    for (let i = 0; i < pods.length; i += POD_SLICE) {
      this.evaluatePods(input, pods.slice(i, i + POD_SLICE));
      await pause();
    }
    const byNamespace = await indexByNamespace(input.list('pods'), pause);
    const indexed: DetectorInput = { ...input, podsIn: (ns) => byNamespace.get(ns) ?? [] };
    const raws: RawFinding[] = [];
    for (const list of this.byPod.values()) raws.push(...list);
    for (const detector of this.whole) {
      raws.push(...runDetectors(indexed, [detector]));
      await pause();
    }
    return findingsOf(this.snapshot.clusterId, indexed, raws);
  }

  private podsToEvaluate(input: DetectorInput): PodRecord[] {
    if (this.all) {
      this.all = false;
      this.dirty.clear();
      this.byPod.clear();
      this.watchful.clear();
      return input.list('pods');
    }
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
    const sliced: DetectorInput = {
      ...input,
      list: ((kind) => (kind === 'pods' ? slice : input.list(kind))) as DetectorInput['list'],
    };
    for (const pod of slice) {
      const key = podKey(pod.namespace, pod.name);
      this.byPod.delete(key);
      if (timeSensitive(pod)) this.watchful.add(key);
      else this.watchful.delete(key);
    }
    for (const raw of runDetectors(sliced, this.perPod)) {
      const key = podKey(raw.object.namespace, raw.object.name);
      const list = this.byPod.get(key);
      if (list) list.push(raw);
      else this.byPod.set(key, [raw]);
    }
  }
}

/** Pods by namespace, built in slices (the whole-cluster detectors read it). */
async function indexByNamespace(
  pods: readonly PodRecord[],
  pause: () => Promise<void>,
): Promise<Map<string, PodRecord[]>> {
  const index = new Map<string, PodRecord[]>();
  for (let i = 0; i < pods.length; i++) {
    const pod = pods[i];
    const list = index.get(pod.namespace);
    if (list) list.push(pod);
    else index.set(pod.namespace, [pod]);
    if (i % (POD_SLICE * 10) === POD_SLICE * 10 - 1) await pause();
  }
  return index;
}
