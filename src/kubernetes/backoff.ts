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
