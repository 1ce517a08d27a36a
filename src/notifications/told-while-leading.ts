import type { LeadershipStatus } from '../coordination/replica-coordination';

/**
 * A leader's memory of what it committed, per key, trusted only while the same leadership lasts:
 * once this replica stopped leading (even if it leads again), another leader may have written
 * since, so the memory is dropped and the database read again.
 */
export class ToldWhileLeading<T> {
  private readonly entries = new Map<string, { value: T; at: number }>();

  get(key: string, leadership: LeadershipStatus): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const since = leadership.since ? Date.parse(leadership.since) : Number.NaN;
    if (leadership.leader && since <= entry.at) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: T, at = Date.now()): void {
    this.entries.set(key, { value, at });
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
