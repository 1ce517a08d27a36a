/** Exponential backoff settings; jitter is the ± share of randomness around each delay. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor?: number;
  jitter?: number;
}

/**
 * Exponential backoff with jitter, so the watches of many clusters and kinds that fail together
 * (an API server restart) do not come back in lockstep.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly options: BackoffOptions,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt; each call grows it until maxMs. */
  next(): number {
    const { initialMs, maxMs, factor = 2, jitter = 0.2 } = this.options;
    const base = Math.min(maxMs, initialMs * factor ** this.attempt);
    this.attempt += 1;
    const spread = base * jitter * (this.random() * 2 - 1);
    return Math.round(Math.min(maxMs, Math.max(0, base + spread)));
  }

  /** After a success: the next failure starts again from initialMs. */
  reset(): void {
    this.attempt = 0;
  }
}

/** Waits that an abort cuts short, leaving no timer behind; `wake()` ends the current wait early. */
export class Pause {
  private wakeUp: (() => void) | undefined;

  constructor(private readonly signal: AbortSignal) {}

  for(ms: number): Promise<void> {
    if (this.signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    }).then(() => {
      this.wakeUp = undefined;
    });
  }

  wake(): void {
    this.wakeUp?.();
  }
}
