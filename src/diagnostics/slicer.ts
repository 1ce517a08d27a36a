/**
 * Work done synchronously between two yields of the event loop, in ms. An overview request that
 * arrives while diagnostics run waits at most about this long (the goal is ≤ 5 ms, docs/performance.md).
 */
export const SLICE_BUDGET_MS = 2;

/**
 * Splits a long computation into slices of about `budgetMs`: callers call `tick()` after each small
 * piece of work, and it yields (`pause`, setImmediate in the engine) once the slice has used its
 * budget, so I/O and timers run between slices. A time budget, not a count, because pieces
 * differ in cost by orders of magnitude (a pod check vs. a Service matched against its namespace).
 */
export class Slicer {
  private started = performance.now();
  /** Slices so far (pauses + 1) and the longest one, for the benchmark and the metrics. */
  slices = 1;
  longestMs = 0;

  constructor(
    private readonly pause: () => Promise<void>,
    readonly budgetMs = SLICE_BUDGET_MS,
  ) {}

  /** True when the current slice has used its budget: the caller should `await tick()`. */
  get due(): boolean {
    return performance.now() - this.started >= this.budgetMs;
  }

  async tick(): Promise<void> {
    const spent = performance.now() - this.started;
    if (spent < this.budgetMs) return;
    if (spent > this.longestMs) this.longestMs = spent;
    await this.pause();
    this.slices++;
    this.started = performance.now();
  }

  /** Runs a generator's steps, yielding the event loop whenever a slice has used its budget. */
  async drain<T>(steps: Generator<void, T>): Promise<T> {
    for (let step = steps.next(); ; step = steps.next()) {
      if (step.done) return step.value;
      if (this.due) await this.tick();
    }
  }
}

/** Runs a generator's steps to the end in one synchronous piece. */
export function drainNow<T>(steps: Generator<void, T>): T {
  for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
}
