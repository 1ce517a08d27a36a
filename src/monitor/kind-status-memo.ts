import type { ListWatch } from '../kubernetes/list-watch';
import type { CachedKindName, KindStatus } from './cached-records';

/**
 * How long a status may be reused while nothing it reports has changed. A synced kind reports
 * "exact as of now": reused, it says "as of at most this long ago", which is still true.
 */
export const STATUS_REUSE_MS = 1000;

type StatusMap = Partial<Record<CachedKindName, KindStatus>>;

/**
 * Every overview request asks for the cache's status: building it (an object, ISO dates and a
 * stats copy per kind) cost more than the rest of the answer. It is rebuilt only when a kind's
 * state, mode, count, list counters, sync time or error changed, or after STATUS_REUSE_MS.
 */
export class KindStatusMemo {
  private facts: unknown[] = [];
  /** Reused by every check: it runs on every overview request, and a new array per kind was garbage. */
  private readonly scratch: unknown[] = [];
  private value: StatusMap | undefined;
  private builtAt = 0;

  read(watches: Watches, now: number): StatusMap {
    if (this.value && now - this.builtAt < STATUS_REUSE_MS && this.unchanged(watches))
      return this.value;
    this.value = build(watches, now);
    this.facts = [];
    for (const [key, { watch }] of watches) this.facts.push(key, ...factsOf(watch));
    this.builtAt = now;
    return this.value;
  }

  private unchanged(watches: Watches): boolean {
    let i = 0;
    for (const [key, { watch }] of watches) {
      if (this.facts[i++] !== key) return false;
      for (const fact of factsOf(watch, this.scratch)) if (this.facts[i++] !== fact) return false;
    }
    return i === this.facts.length;
  }
}

type Watches = ReadonlyMap<CachedKindName, { watch: ListWatch<any> }>;

/** What a kind's status is built from, written into `into` (a new array unless given). */
function factsOf(watch: ListWatch<any>, into: unknown[] = []): unknown[] {
  const stats = watch.stats;
  into.length = 0;
  into.push(
    watch.state,
    watch.mode,
    watch.size,
    watch.lastSyncedAt,
    watch.lastError,
    stats.lists,
    stats.relistsAfterGone,
  );
  return into;
}

/** Shared by every caller until the next rebuild: frozen, so no caller can change another's. */
function build(watches: Watches, now: number): StatusMap {
  const result: StatusMap = {};
  const nowIso = new Date(now).toISOString();
  for (const [key, { watch }] of watches) {
    const error = watch.lastError;
    const last = watch.lastSyncedAt;
    const healthy = watch.state === 'synced';
    const stats = watch.stats;
    result[key] = Object.freeze({
      state: watch.state,
      mode: watch.mode,
      count: watch.size,
      lastSyncedAt: last ? (healthy ? nowIso : new Date(last).toISOString()) : null,
      ageSeconds: last ? (healthy ? 0 : Math.round((now - last) / 100) / 10) : null,
      lists: stats.lists,
      relistsAfterGone: stats.relistsAfterGone,
      ...(error && !healthy ? { error: { code: error.code, message: error.message } } : {}),
    });
  }
  return Object.freeze(result);
}
