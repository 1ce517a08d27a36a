import type { PodRecord } from '../cluster-state/records/pod';

const NONE: readonly PodRecord[] = [];
const NO_NAMESPACES: readonly string[] = [];

/**
 * The namespace holding a label pair, and how many of its pods carry it. Most pairs (`app=<name>`,
 * `pod-template-hash=…`) live in one namespace: one small object instead of a Map per pair.
 */
class OneNamespace {
  constructor(
    readonly namespace: string,
    public count: number,
  ) {}
}

/** Pods with a label pair, by namespace: one namespace, or a Map of namespace → pod count. */
type Holders = OneNamespace | Map<string, number>;

/**
 * A namespace past {@link BIG_NAMESPACE} pods: finding a pod by name in an array would cost a scan
 * per change (~0.3 ms at 50k pods), so such a namespace keeps a Map (insertion order is the
 * snapshot's order too) and builds its list when asked after a change.
 */
class BigNamespace {
  list: readonly PodRecord[] | undefined;
  constructor(readonly byName: Map<string, PodRecord>) {}
}

/** Pods up to which a namespace is a plain array, searched by name (a few µs per change). */
export const BIG_NAMESPACE = 256;

/**
 * Pods by namespace, and the namespaces holding each label pair, kept up to date pod by pod so an
 * evaluation after one change does not index 100k pods again. A namespace's pods keep the
 * snapshot's order (an updated pod stays in place, a new one comes last), so detectors see the same
 * lists as over a fresh listing.
 *
 * Built for what it retains: the first evaluation builds it at once, and everything it keeps is
 * copied by the young-generation GC (scavenges) while the overview is being served, so every MB
 * here is ~1.5 ms of pause. A namespace of up to 256 pods is one array (8 B per pod, not a
 * hash-table entry of ~37 B) that is the list handed to detectors; label pairs are nested maps,
 * not `key=value` strings.
 */
export class PodIndex {
  private readonly byNamespace = new Map<string, PodRecord[] | BigNamespace>();
  /** Arrays handed out by podsIn: never changed afterwards; the next change copies them. */
  private readonly handedOut = new WeakSet<readonly PodRecord[]>();
  /** label key → label value → the namespaces with pods carrying that pair. */
  private readonly labels = new Map<string, Map<string, Holders>>();
  /**
   * The label set and namespace of the last pod counted in, and the holders of its pairs. The
   * replicas of a template share one interned label set and follow each other in a listing, so the
   * next replica counts on these directly instead of looking up every pair again (at 100k pods,
   * most of the index's build). Forgotten whenever a count goes down (a holder may be gone); every
   * count up goes through countIn, which replaces them.
   */
  private lastLabels: Record<string, string> | undefined;
  private lastNamespace = '';
  private readonly lastHolders: Holders[] = [];

  /**
   * Indexes a pod not in the index yet (a listing of the snapshot, whose keys are unique), without
   * looking for a previous version: building from 100k pods stays linear however large a namespace.
   */
  load(pod: PodRecord): void {
    // A Map finds a previous version for free: only the array scan is worth skipping.
    if (this.byNamespace.get(pod.namespace) instanceof BigNamespace) return this.put(pod);
    this.push(pod.namespace, pod);
    this.countIn(pod);
  }

  put(pod: PodRecord): void {
    const members = this.byNamespace.get(pod.namespace);
    if (members instanceof BigNamespace) {
      const previous = members.byName.get(pod.name);
      if (previous) this.count(previous, -1);
      members.byName.set(pod.name, pod);
      members.list = undefined;
    } else {
      const at = indexOfName(members, pod.name);
      if (at < 0) this.push(pod.namespace, pod);
      else {
        const pods = this.writable(pod.namespace);
        this.count(pods[at], -1);
        pods[at] = pod;
      }
    }
    this.countIn(pod);
  }

  remove(pod: PodRecord): void {
    const members = this.byNamespace.get(pod.namespace);
    if (members instanceof BigNamespace) {
      const previous = members.byName.get(pod.name);
      if (!previous) return;
      members.byName.delete(pod.name);
      members.list = undefined;
      this.count(previous, -1);
      if (!members.byName.size) this.byNamespace.delete(pod.namespace);
      return;
    }
    const at = indexOfName(members, pod.name);
    if (at < 0) return;
    const pods = this.writable(pod.namespace);
    this.count(pods[at], -1);
    pods.splice(at, 1);
    if (!pods.length) this.byNamespace.delete(pod.namespace);
  }

  clear(): void {
    this.lastLabels = undefined;
    this.byNamespace.clear();
    this.labels.clear();
  }

  /** The namespace's pods; the list never changes afterwards (later changes go to a copy). */
  podsIn(namespace: string): readonly PodRecord[] {
    const members = this.byNamespace.get(namespace);
    if (!members) return NONE;
    if (members instanceof BigNamespace) return (members.list ??= [...members.byName.values()]);
    this.handedOut.add(members);
    return members;
  }

  namespacesWithLabel(key: string, value: string): Iterable<string> {
    const holders = this.labels.get(key)?.get(value);
    if (!holders) return NO_NAMESPACES;
    return holders instanceof OneNamespace ? [holders.namespace] : holders.keys();
  }

  /** The namespace's array to change, copied first when a detector holds it (an evaluation in progress). */
  private writable(namespace: string): PodRecord[] {
    let pods = this.byNamespace.get(namespace) as PodRecord[] | undefined;
    if (!pods) this.byNamespace.set(namespace, (pods = []));
    else if (this.handedOut.has(pods)) this.byNamespace.set(namespace, (pods = pods.slice()));
    return pods;
  }

  /** Adds a pod to a small namespace's array, which becomes a BigNamespace past the limit. */
  private push(namespace: string, pod: PodRecord): void {
    const pods = this.writable(namespace);
    pods.push(pod);
    if (pods.length > BIG_NAMESPACE)
      this.byNamespace.set(namespace, new BigNamespace(new Map(pods.map((p) => [p.name, p]))));
  }

  /** Counts a pod's label pairs up: on the last pod's holders when it had the same set and namespace. */
  private countIn(pod: PodRecord): void {
    if (pod.labels === this.lastLabels && pod.namespace === this.lastNamespace)
      return this.countAgain();
    this.lastHolders.length = 0;
    this.count(pod, 1, this.lastHolders);
    this.lastLabels = pod.labels;
    this.lastNamespace = pod.namespace;
  }

  /** One more pod with the last counted pod's label set, in its namespace. */
  private countAgain(): void {
    const holders = this.lastHolders;
    for (let i = 0; i < holders.length; i++) {
      const h = holders[i];
      if (h instanceof OneNamespace) h.count++;
      else h.set(this.lastNamespace, (h.get(this.lastNamespace) ?? 0) + 1);
    }
  }

  /** Counts the pod's label pairs up or down; `counted` gets the holders of an added pod's pairs. */
  private count(pod: PodRecord, delta: 1 | -1, counted?: Holders[]): void {
    if (delta < 0) this.lastLabels = undefined;
    for (const key in pod.labels) {
      const value = pod.labels[key];
      let values = this.labels.get(key);
      if (!values) this.labels.set(key, (values = new Map()));
      const holders = values.get(value);
      // What now counts this pair's pods in the namespace (for `counted`).
      let now = holders;
      if (!holders) {
        if (delta > 0) values.set(value, (now = new OneNamespace(pod.namespace, 1)));
      } else if (holders instanceof OneNamespace) {
        if (holders.namespace === pod.namespace) {
          holders.count += delta;
          if (holders.count <= 0) values.delete(value);
        } else if (delta > 0)
          values.set(
            value,
            (now = new Map([
              [holders.namespace, holders.count],
              [pod.namespace, 1],
            ])),
          );
      } else {
        const n = (holders.get(pod.namespace) ?? 0) + delta;
        if (n > 0) holders.set(pod.namespace, n);
        else {
          holders.delete(pod.namespace);
          if (!holders.size) values.delete(value);
        }
      }
      if (!values.size) this.labels.delete(key);
      if (counted && now) counted.push(now);
    }
  }
}

/** Where the pod named `name` is in a namespace's array, or -1. */
function indexOfName(pods: readonly PodRecord[] | undefined, name: string): number {
  if (!pods) return -1;
  for (let i = 0; i < pods.length; i++) if (pods[i].name === name) return i;
  return -1;
}
