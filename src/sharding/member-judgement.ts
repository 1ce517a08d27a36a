/** A live replica as the others see it. */
export interface Member {
  id: string;
  address: string;
  /** Epoch ms of its last heartbeat, by the database's clock. */
  heartbeatAt: number;
}

/** Heartbeats a member may miss before it is judged dead: one late beat is load, not a death. */
export const MISSED_BEATS = 3;

/**
 * How old a heartbeat may get before its replica is dead: the configured timeout, but never less
 * than MISSED_BEATS beat intervals, so a replica whose event loop or database round trip is slow
 * for a beat or two keeps its clusters instead of shuffling them (and their cold syncs) around.
 */
export function memberTimeoutMs(configuredMs: number, beatMs: number): number {
  return Math.max(configuredMs, MISSED_BEATS * beatMs);
}

/**
 * The live members from every row of the membership table, judged against the database's clock
 * read in the same statement (`nowMs`), so neither this replica's clock nor its lateness in
 * reading the answer enters the judgement. This replica is live by definition: it just beat.
 */
export function judgeMembers(
  rows: readonly Member[],
  self: Member,
  nowMs: number,
  timeoutMs: number,
): Member[] {
  const others = rows.filter((m) => m.id !== self.id && nowMs - m.heartbeatAt < timeoutMs);
  return [self, ...others].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The same members, addresses included (a member that moved must be reached at its new address). */
export function sameMembers(a: readonly Member[], b: readonly Member[]): boolean {
  const key = (list: readonly Member[]) => list.map((m) => `${m.id}@${m.address}`).join(',');
  return key(a) === key(b);
}
