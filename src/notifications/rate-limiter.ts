/**
 * Requests per minute per route, as a token bucket on the leader: a burst up to the minute's
 * allowance, then one request per 60/rate seconds. Deliveries over the limit simply wait in the
 * outbox (no try is counted). A new leader starts with a full bucket: at most one extra minute's
 * allowance at a takeover.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** True when `key` may make a request now (and counts it); `perMinute` 0 is unlimited. */
  take(key: string, perMinute: number, now: number): boolean {
    if (perMinute <= 0) return true;
    const bucket = this.buckets.get(key) ?? { tokens: perMinute, at: now };
    bucket.tokens = Math.min(perMinute, bucket.tokens + ((now - bucket.at) / 60_000) * perMinute);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
