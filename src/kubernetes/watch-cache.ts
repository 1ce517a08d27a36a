import { sameRecord } from './same-record';

/** The metadata every listed or watched object carries, full or PartialObjectMetadata. */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  resourceVersion?: string;
  uid?: string;
}

/** What a WatchCache tells its owner; each callback sees the transformed record. */
export interface WatchCacheHandlers<T> {
  onAdd?(record: T): void;
  onUpdate?(record: T, previous: T): void;
  onDelete?(record: T): void;
}

interface Entry<T> {
  resourceVersion: string | number;
  record: T;
}

/**
 * A resourceVersion is opaque and only compared for equality here. The API server's are decimal
 * etcd revisions: kept as a number (inline in the entry below 2^31) they cost no string per
 * object; any other form is kept as given, and never equals a number.
 */
function compactVersion(resourceVersion: string): string | number {
  return /^[1-9][0-9]{0,14}$/.test(resourceVersion) ? Number(resourceVersion) : resourceVersion;
}

/** `namespace/name` for namespaced objects, `name` otherwise: unique within one collection. */
export function objectKey(meta: ObjectMeta | undefined): string {
  return meta?.namespace ? `${meta.namespace}/${meta.name}` : (meta?.name ?? '');
}

/** Splits a key of objectKey() back into namespace ('' when cluster-scoped) and name. */
function splitKey(key: string): [string, string] {
  const slash = key.indexOf('/');
  return slash < 0 ? ['', key] : [key.slice(0, slash), key.slice(slash + 1)];
}

/**
 * The keyed store behind one list+watch: only transformed (slim) records are kept, next to the
 * resourceVersion that decides whether a relisted object really changed.
 *
 * Entries sit in one map per namespace, keyed by name: a `namespace/name` string per object would
 * be a second copy of its name (plus a rope of the two parts) kept for as long as the object lives,
 * ~80 B per pod at 100k pods, while the name is already held by the record.
 */
export class WatchCache<T> {
  private readonly namespaces = new Map<string, Map<string, Entry<T>>>();
  private count = 0;
  /** The entries a relist in progress has seen (by identity, so no key strings are built). */
  private seen: Set<Entry<T>> | undefined;

  constructor(
    private readonly transform: (object: Record<string, any>) => T,
    private readonly handlers: WatchCacheHandlers<T>,
  ) {}

  get size(): number {
    return this.count;
  }

  get(key: string): T | undefined {
    const [namespace, name] = splitKey(key);
    return this.namespaces.get(namespace)?.get(name)?.record;
  }

  /** A snapshot of every record, in no particular order. */
  values(): T[] {
    const records: T[] = [];
    for (const entries of this.namespaces.values())
      for (const entry of entries.values()) records.push(entry.record);
    return records;
  }

  /**
   * Adds or replaces an object. An unchanged resourceVersion (a relist of the same object) or an
   * unchanged record emits nothing.
   */
  upsert(object: Record<string, any>): void {
    const meta = object.metadata as ObjectMeta | undefined;
    const name = meta?.name ?? '';
    const namespace = meta?.namespace ?? '';
    const resourceVersion = compactVersion(meta?.resourceVersion ?? '');
    let entries = this.namespaces.get(namespace);
    const previous = entries?.get(name);
    if (previous && previous.resourceVersion === resourceVersion) {
      this.seen?.add(previous);
      return;
    }
    const record = this.transform(object);
    // A change the slim record does not keep (a node's heartbeat, a status time) is no change for
    // anything that reads the cache: the old record stays and nothing is told, so one heartbeat
    // per node does not re-run every consumer (diagnostics re-evaluates the whole cluster).
    if (previous && sameRecord(record, previous.record)) {
      previous.resourceVersion = resourceVersion;
      this.seen?.add(previous);
      return;
    }
    const entry = { resourceVersion, record };
    if (!entries) this.namespaces.set(namespace, (entries = new Map()));
    entries.set(name, entry);
    this.seen?.add(entry);
    if (previous) this.handlers.onUpdate?.(entry.record, previous.record);
    else {
      this.count += 1;
      this.handlers.onAdd?.(entry.record);
    }
  }

  remove(object: Record<string, any>): void {
    const meta = object.metadata as ObjectMeta | undefined;
    const namespace = meta?.namespace ?? '';
    const entries = this.namespaces.get(namespace);
    const previous = entries?.get(meta?.name ?? '');
    if (!entries || !previous) return;
    this.delete(namespace, entries, meta?.name ?? '');
    this.handlers.onDelete?.(previous.record);
  }

  /** Starts a relist: objects not upserted before endRelist() are then deleted. */
  beginRelist(): void {
    this.seen = new Set();
  }

  /** Ends a complete relist by deleting what the list no longer contains. */
  endRelist(): void {
    const seen = this.seen;
    this.seen = undefined;
    if (!seen) return;
    for (const [namespace, entries] of [...this.namespaces]) {
      for (const [name, entry] of [...entries]) {
        if (seen.has(entry)) continue;
        this.delete(namespace, entries, name);
        this.handlers.onDelete?.(entry.record);
      }
    }
  }

  /** A relist that failed part-way deletes nothing: what it upserted is newer truth, the rest is kept. */
  abandonRelist(): void {
    this.seen = undefined;
  }

  private delete(namespace: string, entries: Map<string, Entry<T>>, name: string): void {
    entries.delete(name);
    this.count -= 1;
    if (!entries.size) this.namespaces.delete(namespace);
  }
}
