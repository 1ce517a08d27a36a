/** Keys kept at most; beyond, the oldest go (a key is cluster × view × window × filter). */
const MAX_ENTRIES = 1000;

interface Entry {
  /** The Prometheus client the answer came from: a changed source is a different one. */
  owner: object;
  pending: Promise<unknown>;
  finishedAt: number | undefined;
  expiresAt: number;
  /** The kept value once the evaluation ended (served stale while a refresh runs). */
  kept?: { value: unknown };
  refreshing?: boolean;
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
 *
 * With `staleMs`, a reader up to `staleMs` after the value's time is up gets it at once (its age
 * says how old) and starts ONE refresh in the background: a dashboard read every few seconds then
 * never waits for Prometheus after its first answer, and its answers are at most one evaluation
 * plus `ttlMs` old. A refresh that fails or is not kept drops the value, so the next reader waits
 * for an evaluation of its own and sees the error.
 */
export class SharedViews {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  async share<T>(
    key: string,
    owner: object,
    ttlMs: number,
    evaluate: () => Promise<{ value: T; keep: boolean }>,
    staleMs = 0,
  ): Promise<Shared<T>> {
    const found = this.entries.get(key);
    const now = this.now();
    if (found && found.owner === owner && now < found.expiresAt) {
      const { value } = (await found.pending) as { value: T };
      return { value, ageMs: Math.max(0, this.now() - (found.finishedAt ?? this.now())) };
    }
    if (found?.kept && found.owner === owner && now < found.expiresAt + staleMs) {
      if (!found.refreshing) this.refresh(key, found, ttlMs, evaluate);
      return { value: found.kept.value as T, ageMs: now - found.finishedAt! };
    }
    const entry: Entry = { owner, pending: evaluate(), finishedAt: undefined, expiresAt: Infinity };
    this.remember(key, entry, staleMs);
    try {
      const result = await (entry.pending as Promise<{ value: T; keep: boolean }>);
      this.settle(key, entry, result, ttlMs);
      return { value: result.value, ageMs: null };
    } catch (error) {
      this.forget(key, entry);
      throw error;
    }
  }

  /** One evaluation in the background; the stale entry answers until it ends. */
  private refresh<T>(
    key: string,
    stale: Entry,
    ttlMs: number,
    evaluate: () => Promise<{ value: T; keep: boolean }>,
  ): void {
    stale.refreshing = true;
    const next: Entry = {
      owner: stale.owner,
      pending: evaluate(),
      finishedAt: undefined,
      expiresAt: 0,
    };
    void (next.pending as Promise<{ value: T; keep: boolean }>).then(
      (result) => {
        if (this.entries.get(key) !== stale) return;
        if (!result.keep) return this.forget(key, stale);
        this.settle(key, next, result, ttlMs);
        this.entries.set(key, next);
      },
      () => this.forget(key, stale),
    );
  }

  private settle(
    key: string,
    entry: Entry,
    result: { value: unknown; keep: boolean },
    ttlMs: number,
  ) {
    entry.finishedAt = this.now();
    entry.expiresAt = result.keep ? entry.finishedAt + ttlMs : 0;
    if (result.keep) entry.kept = { value: result.value };
    else this.forget(key, entry);
  }

  get size(): number {
    return this.entries.size;
  }

  private remember(key: string, entry: Entry, staleMs: number): void {
    const now = this.now();
    for (const [k, e] of this.entries) if (e.expiresAt + staleMs <= now) this.entries.delete(k);
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }

  private forget(key: string, entry: Entry): void {
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }
}
