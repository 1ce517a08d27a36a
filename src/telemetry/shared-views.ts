/** Keys kept at most; beyond, the oldest go (a key is cluster × view × window × filter). */
const MAX_ENTRIES = 1000;

interface Entry {
  /** The Prometheus client the answer came from: a changed source is a different one. */
  owner: object;
  pending: Promise<unknown>;
  finishedAt: number | undefined;
  expiresAt: number;
}

export interface Shared<T> {
  value: T;
  /** Null when this caller's evaluation made the value; else how long ago the shared one ended. */
  ageMs: number | null;
}

/**
 * Single-flight results with a short life: concurrent readers of one key share one evaluation,
 * and readers within `ttlMs` of its end reuse it. A dashboard's panels, or several people on one
 * page, then cost Prometheus one evaluation, and the answer cannot change faster than the scrape
 * interval anyway. Only values the evaluation says to keep are kept (never an error).
 */
export class SharedViews {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  async share<T>(
    key: string,
    owner: object,
    ttlMs: number,
    evaluate: () => Promise<{ value: T; keep: boolean }>,
  ): Promise<Shared<T>> {
    const found = this.entries.get(key);
    if (found && found.owner === owner && this.now() < found.expiresAt) {
      const { value } = (await found.pending) as { value: T };
      return { value, ageMs: Math.max(0, this.now() - (found.finishedAt ?? this.now())) };
    }
    const entry: Entry = { owner, pending: evaluate(), finishedAt: undefined, expiresAt: Infinity };
    this.remember(key, entry);
    try {
      const result = await (entry.pending as Promise<{ value: T; keep: boolean }>);
      entry.finishedAt = this.now();
      entry.expiresAt = result.keep ? entry.finishedAt + ttlMs : 0;
      if (!result.keep) this.forget(key, entry);
      return { value: result.value, ageMs: null };
    } catch (error) {
      this.forget(key, entry);
      throw error;
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private remember(key: string, entry: Entry): void {
    const now = this.now();
    for (const [k, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(k);
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }

  private forget(key: string, entry: Entry): void {
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }
}
