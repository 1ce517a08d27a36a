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
  resourceVersion: string;
  record: T;
}

/** `namespace/name` for namespaced objects, `name` otherwise: unique within one collection. */
export function objectKey(meta: ObjectMeta | undefined): string {
  return meta?.namespace ? `${meta.namespace}/${meta.name}` : (meta?.name ?? '');
}

/**
 * The keyed store behind one list+watch: only transformed (slim) records are kept, next to the
 * resourceVersion that decides whether a relisted object really changed.
 */
export class WatchCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private seen: Set<string> | undefined;

  constructor(
    private readonly transform: (object: Record<string, any>) => T,
    private readonly handlers: WatchCacheHandlers<T>,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): T | undefined {
    return this.entries.get(key)?.record;
  }

  /** A snapshot of every record, in no particular order. */
  values(): T[] {
    return [...this.entries.values()].map((e) => e.record);
  }

  /** Adds or replaces an object; an unchanged resourceVersion (a relist of the same object) emits nothing. */
  upsert(object: Record<string, any>): void {
    const meta = object.metadata as ObjectMeta | undefined;
    const key = objectKey(meta);
    this.seen?.add(key);
    const resourceVersion = meta?.resourceVersion ?? '';
    const previous = this.entries.get(key);
    if (previous && previous.resourceVersion === resourceVersion) return;
    const record = this.transform(object);
    this.entries.set(key, { resourceVersion, record });
    if (previous) this.handlers.onUpdate?.(record, previous.record);
    else this.handlers.onAdd?.(record);
  }

  remove(object: Record<string, any>): void {
    const key = objectKey(object.metadata as ObjectMeta | undefined);
    const previous = this.entries.get(key);
    if (!previous) return;
    this.entries.delete(key);
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
    for (const [key, entry] of [...this.entries]) {
      if (seen.has(key)) continue;
      this.entries.delete(key);
      this.handlers.onDelete?.(entry.record);
    }
  }

  /** A relist that failed part-way deletes nothing: what it upserted is newer truth, the rest is kept. */
  abandonRelist(): void {
    this.seen = undefined;
  }
}
