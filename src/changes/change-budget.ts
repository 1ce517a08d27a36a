/** The UTC day of an epoch ms, as the per-day bound counts it. */
export const dayOf = (epochMs: number): string => new Date(epochMs).toISOString().slice(0, 10);

/**
 * The per-cluster, per-UTC-day bound on stored changes (changes.maxPerClusterPerDay). Counts start
 * from what the database already holds for the day, so a restart or a new leader keeps the bound.
 */
export class ChangeBudget {
  private readonly days = new Map<string, { day: string; used: number }>();

  constructor(
    private readonly maxPerDay: number,
    private readonly storedToday: (clusterId: string, day: string) => Promise<number>,
  ) {}

  /** How many of `wanted` new changes of this cluster may still be stored on `day`. */
  async take(clusterId: string, day: string, wanted: number): Promise<number> {
    let entry = this.days.get(clusterId);
    if (entry?.day !== day) {
      entry = { day, used: await this.storedToday(clusterId, day) };
      this.days.set(clusterId, entry);
    }
    const granted = Math.max(0, Math.min(wanted, this.maxPerDay - entry.used));
    entry.used += granted;
    return granted;
  }

  /** Forgets the counts (a replica that stops leading: the next leader counts from the database). */
  reset(): void {
    this.days.clear();
  }
}
