import type { NodeRecord } from '../cluster-state/records/node';
import type { PodRecord } from '../cluster-state/records/pod';
import { ClusterAggregates } from './cluster-aggregates';
import type {
  CachedKindName,
  CachedRecords,
  KindStatus,
  SnapshotChange,
  SnapshotListener,
} from './cached-records';

/** One change as it crosses to a mirror: the mirror knows the record it replaces. */
export interface MirroredChange {
  kind: CachedKindName;
  type: SnapshotChange['type'];
  record: unknown;
}

/** What a mirror is sent: records to hold silently (its first fill), then changes, and the kinds' state. */
export interface MirrorBatch {
  /** Records held before anyone listens (the snapshot as it was when mirroring started). */
  fill?: { kind: CachedKindName; records: unknown[] }[];
  /** Changes applied since, in order; listeners are told each. */
  changes?: MirroredChange[];
  /** Kinds cached and synced at least once (data, even if stale): what the detectors may read. */
  usable?: CachedKindName[];
  settled?: boolean;
}

/** Records keep their name and namespace as fields (slim records) or in `metadata` (spec objects). */
interface Keyed {
  name?: string;
  namespace?: string;
  metadata?: { name?: string; namespace?: string };
}
const nameOf = (r: Keyed): string => r.name ?? r.metadata?.name ?? '';
const namespaceOf = (r: Keyed): string => r.namespace ?? r.metadata?.namespace ?? '';

/**
 * A copy of a cluster snapshot in another isolate (the diagnostics worker), kept by the changes the
 * snapshot announces. It answers what the diagnostics read — records, the kinds that are usable,
 * settled, node allocations — and announces each applied change as the snapshot did. It sends
 * nothing anywhere: whoever owns the real snapshot feeds it batches.
 */
export class SnapshotMirror {
  readonly aggregates = new ClusterAggregates();
  settled = false;
  private readonly kinds = new Map<CachedKindName, Map<string, Map<string, unknown>>>();
  private usable = new Set<CachedKindName>();
  private readonly listeners = new Set<SnapshotListener>();

  constructor(readonly clusterId: string) {}

  apply(batch: MirrorBatch): void {
    for (const { kind, records } of batch.fill ?? [])
      for (const record of records) this.put(kind, record as Keyed);
    for (const change of batch.changes ?? []) this.change(change);
    if (batch.usable) this.usable = new Set(batch.usable);
    if (batch.settled !== undefined) this.settled = batch.settled;
  }

  list<K extends CachedKindName>(kind: K, namespace?: string): CachedRecords[K][] {
    const byNamespace = this.kinds.get(kind);
    if (!byNamespace) return [];
    const records: unknown[] = [];
    if (namespace !== undefined) byNamespace.get(namespace)?.forEach((r) => records.push(r));
    else byNamespace.forEach((names) => names.forEach((r) => records.push(r)));
    return records as CachedRecords[K][];
  }

  get<K extends CachedKindName>(
    kind: K,
    name: string,
    namespace?: string,
  ): CachedRecords[K] | undefined {
    return this.kinds
      .get(kind)
      ?.get(namespace ?? '')
      ?.get(name) as CachedRecords[K] | undefined;
  }

  caches(kind: CachedKindName): boolean {
    return this.usable.has(kind);
  }

  /** The kinds the mirror may be read for count as synced; the others are absent. */
  status(): Partial<Record<CachedKindName, Pick<KindStatus, 'lastSyncedAt'>>> {
    const status: Partial<Record<CachedKindName, Pick<KindStatus, 'lastSyncedAt'>>> = {};
    for (const kind of this.usable) status[kind] = { lastSyncedAt: 'mirrored' };
    return status;
  }

  subscribe(listener: SnapshotListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private change({ kind, type, record }: MirroredChange): void {
    const keyed = record as Keyed;
    const previous = this.get(kind, nameOf(keyed), namespaceOf(keyed) || undefined);
    if (type === 'deleted') {
      if (previous === undefined) return;
      this.remove(kind, keyed);
      this.announce({ kind, type, record: previous } as SnapshotChange);
      return;
    }
    this.put(kind, keyed, previous);
    this.announce({
      kind,
      type: previous === undefined ? 'added' : 'updated',
      record,
      previous,
    } as SnapshotChange);
  }

  private put(kind: CachedKindName, record: Keyed, previous?: unknown): void {
    let byNamespace = this.kinds.get(kind);
    if (!byNamespace) this.kinds.set(kind, (byNamespace = new Map()));
    const namespace = namespaceOf(record);
    let names = byNamespace.get(namespace);
    if (!names) byNamespace.set(namespace, (names = new Map()));
    names.set(nameOf(record), record);
    if (previous !== undefined) this.aggregate(kind, previous, -1);
    this.aggregate(kind, record, 1);
  }

  private remove(kind: CachedKindName, record: Keyed): void {
    const names = this.kinds.get(kind)?.get(namespaceOf(record));
    const previous = names?.get(nameOf(record));
    if (!names || previous === undefined) return;
    names.delete(nameOf(record));
    if (names.size === 0) this.kinds.get(kind)!.delete(namespaceOf(record));
    this.aggregate(kind, previous, -1);
  }

  /** Node allocations are what the detectors read of the aggregates: pods and nodes feed them. */
  private aggregate(kind: CachedKindName, record: unknown, sign: 1 | -1): void {
    if (kind === 'pods') this.aggregates.pod(record as PodRecord, sign);
    else if (kind === 'nodes') this.aggregates.node(record as NodeRecord, sign);
  }

  private announce(change: SnapshotChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // As in the cache: one subscriber's bug must not stop the others.
      }
    }
  }
}
