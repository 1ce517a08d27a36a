interface Waiter {
  key: string;
  go(): void;
}

/**
 * Bounds how many caches do their cold sync (discovery, then a LIST or streamed list per kind) at
 * once. A replica starting with hundreds of registered clusters would otherwise open every LIST of
 * every cluster in the same second: the API servers, the event loop and the heap all take the
 * burst, and the first cluster is ready no sooner than the last. In order of arrival, except that
 * a cluster someone is waiting for (a request) moves to the front.
 */
export class ColdSyncQueue {
  private running = 0;
  private readonly waiting: Waiter[] = [];

  /** `limit`: read at every start, so a config reload applies to what is still queued. */
  constructor(private readonly limit: () => number) {}

  /** Runs `work` once a slot is free; the slot is released when it settles either way. */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    if (this.running >= Math.max(1, this.limit()))
      await new Promise<void>((go) => this.waiting.push({ key, go }));
    else this.running += 1;
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /** Moves a queued key to the front: the next free slot is its. */
  prioritize(key: string): void {
    const index = this.waiting.findIndex((w) => w.key === key);
    if (index > 0) this.waiting.unshift(...this.waiting.splice(index, 1));
  }

  /** Cold syncs running now. */
  get active(): number {
    return this.running;
  }

  /** Cold syncs waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  private release(): void {
    // The slot passes straight to the next waiter, so `running` never dips below the limit.
    const next = this.waiting.shift();
    if (next) next.go();
    else this.running -= 1;
  }
}
