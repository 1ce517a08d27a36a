import { Injectable } from '@nestjs/common';

/** The cluster-wide views kept warm: a namespace's read counts as a read of its cluster's view. */
export type WarmViewName = 'services' | 'workloads' | 'graph';

export interface ViewRead {
  view: WarmViewName;
  windowSeconds: number;
}

/** Reads remembered per cluster at most (the least recent go): any window can be asked for. */
const MAX_PER_CLUSTER = 64;

const keyOf = (read: ViewRead) => `${read.view}|${read.windowSeconds}`;

/**
 * Which cluster-wide views were read lately, per cluster and window: what the warm-keeping job
 * (ViewWarmer) evaluates ahead of the next reader. Remembers only what readers asked for.
 */
@Injectable()
export class RecentViews {
  /** cluster → view key → the read and when it was last read; in order of last read. */
  private readonly reads = new Map<string, Map<string, { read: ViewRead; at: number }>>();

  note(clusterId: string, read: ViewRead, now = Date.now()): void {
    let reads = this.reads.get(clusterId);
    if (!reads) this.reads.set(clusterId, (reads = new Map()));
    const key = keyOf(read);
    reads.delete(key);
    reads.set(key, { read: { view: read.view, windowSeconds: read.windowSeconds }, at: now });
    if (reads.size > MAX_PER_CLUSTER) reads.delete(reads.keys().next().value!);
  }

  /**
   * The views of a cluster to keep warm at `now`: `always` first (the configured windows), then
   * those read within the last `forMs`, most recent first; `max` in all at most. Reads older than
   * `forMs` are forgotten.
   */
  plan(
    clusterId: string,
    now: number,
    always: readonly ViewRead[],
    forMs: number,
    max: number,
  ): ViewRead[] {
    const out = new Map<string, ViewRead>(always.map((r) => [keyOf(r), r]));
    const reads = this.reads.get(clusterId);
    for (const [key, { read, at }] of [...(reads ?? [])].reverse()) {
      if (now - at > forMs) reads!.delete(key);
      else if (!out.has(key)) out.set(key, read);
    }
    if (reads?.size === 0) this.reads.delete(clusterId);
    return [...out.values()].slice(0, max);
  }

  /** Forgets the reads of clusters that are no longer served. */
  keepOnly(clusterIds: ReadonlySet<string>): void {
    for (const id of this.reads.keys()) if (!clusterIds.has(id)) this.reads.delete(id);
  }
}
