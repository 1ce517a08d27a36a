import type { SpecObject } from '../cluster-state/records/spec-object';
import type { DetectorInput } from './detectors/detector';
import type { RawFinding } from '../cluster-state/finding';
import { sameItems } from './same-items';

/**
 * What an item's findings depend on besides the (immutable) item record, compared by identity: an
 * incremental evaluation reuses the item's findings from the last run while the stamp is
 * unchanged. Undefined: evaluate the item again next run. `last` is the item's stamp from the last
 * run: returning it when nothing changed (rather than a new equal array) keeps a run over 10,000
 * unchanged items free of garbage.
 */
type ItemStamp = (
  input: DetectorInput,
  item: object,
  found: readonly RawFinding[],
  last?: readonly unknown[],
) => readonly unknown[] | undefined;

const OWN_RECORD_ONLY: readonly unknown[] = Object.freeze([]);

function serviceStamp(
  input: DetectorInput,
  item: object,
  found: readonly RawFinding[],
  last?: readonly unknown[],
): readonly unknown[] | undefined {
  const s = item as SpecObject;
  if (found.some((f) => f.code === 'SERVICE_NO_MATCHING_PODS')) return undefined;
  const namespace = s.metadata.namespace ?? '';
  const pods = input.podsIn(namespace);
  const ready = input.readyEndpoints(namespace, s.metadata.name);
  if (ready > 0)
    return last?.length === 2 && last[0] === pods && last[1] === ready ? last : [pods, ready];
  const count = input.endpointCount(namespace, s.metadata.name);
  if (count === 0) return undefined;
  return last?.length === 3 && last[0] === pods && last[2] === count ? last : [pods, 0, count];
}

/**
 * The detectors (by name) whose findings an incremental evaluation reuses item by item, with what
 * each item's findings read. The others walk their items again every run: they are cheap, or what
 * their items' findings read (the clock, other objects) is not worth tracking.
 */
const ITEM_STAMPS = new Map<string, ItemStamp>([
  // A workload's findings read its own record only: one shared stamp, not an array per item per run.
  ['workload-availability', () => OWN_RECORD_ONLY],
  // A workload's hygiene findings read its record (the template's issues) and, for the token
  // issue, its namespace's default ServiceAccount; one without issues reads nothing else.
  [
    'workload-hygiene',
    (input, item, found, last) => {
      const w = item as { namespace: string; hygiene?: unknown };
      if (!w.hygiene) return OWN_RECORD_ONLY;
      const account = input.get('serviceaccounts', 'default', w.namespace);
      return last?.length === 1 && last[0] === account ? last : [account];
    },
  ],
  // A Service's findings read its namespace's pods (a new list whenever one of them changes), its
  // ready endpoints and, without one, how many endpoints its slices hold; one that matches nothing
  // also reads other namespaces, and one with empty slices the clock (ready pods' grace): never
  // reused.
  ['services', serviceStamp],
]);

/** An item without findings: kept for 10k Services and 20k workloads, so one shared array. */
const NO_FINDINGS: readonly RawFinding[] = Object.freeze([]);

interface ItemResult {
  stamp: readonly unknown[];
  found: readonly RawFinding[];
}

/**
 * One detector's findings per item from the last incremental run, by item record (a WeakMap: the
 * entry of a replaced or deleted record goes with it).
 */
export class ItemResults {
  private readonly byItem = new WeakMap<object, ItemResult>();
  /** Items without findings share one result while their stamp is shared (the workloads'). */
  private empty: ItemResult | undefined;

  private constructor(private readonly stamp: ItemStamp) {}

  /** Results for a detector whose items are reused, or undefined when it is not one of them. */
  static for(detectorName: string): ItemResults | undefined {
    const stamp = ITEM_STAMPS.get(detectorName);
    return stamp && new ItemResults(stamp);
  }

  /** Last run's findings of the item while its record and stamp hold; undefined: detect it again. */
  reused(input: DetectorInput, item: object): readonly RawFinding[] | undefined {
    const last = this.byItem.get(item);
    return last && sameItems(last.stamp, this.stamp(input, item, last.found, last.stamp))
      ? last.found
      : undefined;
  }

  /** Keeps the item's new findings with their stamp, for the next run; returns them. */
  remember(input: DetectorInput, item: object, detected: RawFinding[]): readonly RawFinding[] {
    const found = detected.length ? detected : NO_FINDINGS;
    const stamp = this.stamp(input, item, found);
    if (!stamp) this.byItem.delete(item);
    else if (found.length) this.byItem.set(item, { stamp, found });
    else {
      // What the first run keeps here is copied by the young-generation GC while requests wait.
      if (this.empty?.stamp !== stamp) this.empty = { stamp, found };
      this.byItem.set(item, this.empty);
    }
    return found;
  }
}
