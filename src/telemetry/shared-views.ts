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

/**
 * One value to share: its key, whose it is (a value of another owner, e.g. a changed Prometheus
 * client, is never served), how long it is fresh (`ttlMs`) and then served stale (`staleMs`), and
 * the evaluation that makes it and says whether to keep it.
 */
export interface ShareRequest<T> {
  key: string;
  owner: object;
  ttlMs: number;
  staleMs?: number;
  evaluate: () => Promise<{ value: T; keep: boolean }>;
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

  async share<T>(request: ShareRequest<T>): Promise<Shared<T>> {
    const found = this.ifShared(request);
    if (found) return found;
    const { key, owner, ttlMs, evaluate, staleMs = 0 } = request;
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

  /**
   * What `share` would answer from what is already there (an evaluation running, a value within
   * its time, or one served stale while ONE refresh starts), or undefined when a reader would have
   * to wait for a new evaluation: a caller can then choose a cheaper one of its own.
   */
  ifShared<T>(request: ShareRequest<T>): Promise<Shared<T>> | undefined {
    const { key, owner, staleMs = 0 } = request;
    const found = this.entries.get(key);
    if (!found || found.owner !== owner) return undefined;
    const now = this.now();
    if (now < found.expiresAt)
      return (found.pending as Promise<{ value: T }>).then(({ value }) => ({
        value,
        ageMs: Math.max(0, this.now() - (found.finishedAt ?? this.now())),
      }));
    if (!found.kept || now >= found.expiresAt + staleMs) return undefined;
    if (!found.refreshing) void this.refresh(request, found);
    return Promise.resolve({ value: found.kept.value as T, ageMs: now - found.finishedAt! });
  }

  /**
   * Evaluates `key` ahead of its readers (the warm-keeping job) and answers the evaluation's
   * value, or undefined when there was nothing to do: a value still within its time, or an
   * evaluation already running. A kept value past its time goes on being served while this one
   * runs, and is replaced by it (or dropped when it fails), exactly as a reader's refresh.
   */
  async renew<T>(request: ShareRequest<T>): Promise<T | undefined> {
    const found = this.entries.get(request.key);
    const now = this.now();
    if (found && found.owner === request.owner) {
      if (now < found.expiresAt || found.refreshing) return undefined;
      if (found.kept && now < found.expiresAt + (request.staleMs ?? 0))
        return (await this.refresh(request, found)).value;
    }
    return (await this.share(request)).value;
  }

  /** One evaluation in the background; the stale entry answers until it ends. */
  private refresh<T>(
    { key, ttlMs, evaluate }: ShareRequest<T>,
    stale: Entry,
  ): Promise<{ value: T; keep: boolean }> {
    stale.refreshing = true;
    const next: Entry = {
      owner: stale.owner,
      pending: evaluate(),
      finishedAt: undefined,
      expiresAt: 0,
    };
    const pending = next.pending as Promise<{ value: T; keep: boolean }>;
    void pending.then(
      (result) => {
        if (this.entries.get(key) !== stale) return;
        if (!result.keep) return this.forget(key, stale);
        this.settle(key, next, result, ttlMs);
        this.entries.set(key, next);
      },
      () => this.forget(key, stale),
    );
    return pending;
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
