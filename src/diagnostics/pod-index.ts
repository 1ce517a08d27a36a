import type { PodRecord } from '../cluster-state/records/pod';

const NONE: readonly PodRecord[] = [];
const NO_NAMESPACES: readonly string[] = [];

/**
 * Pods by namespace, and the namespaces holding each label pair, kept up to date pod by pod so an
 * evaluation after one change does not index 100k pods again. A namespace's pods keep the
 * snapshot's order (a Map keeps an updated key in place), so detectors see the same lists as over
 * a fresh listing. Label pairs are nested maps, not `key=value` strings: no string per label per pod.
 */
export class PodIndex {
  private readonly byNamespace = new Map<string, Map<string, PodRecord>>();
  /** Lists handed out by podsIn, dropped when their namespace changes. */
  private readonly lists = new Map<string, readonly PodRecord[]>();
  /** label key → label value → namespace → pods with that pair. */
  private readonly labels = new Map<string, Map<string, Map<string, number>>>();

  put(pod: PodRecord): void {
    let pods = this.byNamespace.get(pod.namespace);
    if (!pods) this.byNamespace.set(pod.namespace, (pods = new Map()));
    const previous = pods.get(pod.name);
    if (previous) this.count(previous, -1);
    pods.set(pod.name, pod);
    this.count(pod, 1);
    this.lists.delete(pod.namespace);
  }

  remove(pod: PodRecord): void {
    const pods = this.byNamespace.get(pod.namespace);
    const previous = pods?.get(pod.name);
    if (!pods || !previous) return;
    pods.delete(pod.name);
    this.count(previous, -1);
    if (!pods.size) this.byNamespace.delete(pod.namespace);
    this.lists.delete(pod.namespace);
  }

  clear(): void {
    this.byNamespace.clear();
    this.lists.clear();
    this.labels.clear();
  }

  podsIn(namespace: string): readonly PodRecord[] {
    let list = this.lists.get(namespace);
    if (!list) {
      const pods = this.byNamespace.get(namespace);
      if (!pods) return NONE;
      this.lists.set(namespace, (list = [...pods.values()]));
    }
    return list;
  }

  namespacesWithLabel(key: string, value: string): Iterable<string> {
    return this.labels.get(key)?.get(value)?.keys() ?? NO_NAMESPACES;
  }

  private count(pod: PodRecord, delta: 1 | -1): void {
    for (const key in pod.labels) {
      const value = pod.labels[key];
      let values = this.labels.get(key);
      if (!values) this.labels.set(key, (values = new Map()));
      let namespaces = values.get(value);
      if (!namespaces) values.set(value, (namespaces = new Map()));
      const n = (namespaces.get(pod.namespace) ?? 0) + delta;
      if (n > 0) namespaces.set(pod.namespace, n);
      else {
        namespaces.delete(pod.namespace);
        if (!namespaces.size) values.delete(value);
        if (!values.size) this.labels.delete(key);
      }
    }
  }
}
