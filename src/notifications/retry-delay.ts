/**
 * The wait before try `attempt + 1` of a delivery that failed `attempt` times: exponential from
 * `baseMs`, capped at `maxMs`, with "equal jitter" (half fixed, half random) so the deliveries of
 * one dead receiver do not all come back in the same second. A pure function of the attempt
 * count, because the count is what survives a restart (it is in the database).
 */
export function retryDelayMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + (exponential / 2) * random());
}
