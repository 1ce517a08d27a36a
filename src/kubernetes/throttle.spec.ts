import { AppError } from '../common/app-error';
import { throttleDelayMs, watchRetryDelayMs } from './throttle';

const throttled = (retryAfterSeconds?: number) =>
  new AppError('K8S_THROTTLED', 'slow down', { cluster: 'c1', retryAfterSeconds });

describe('throttleDelayMs', () => {
  it("waits what the server's Retry-After asks before resending", () => {
    expect(throttleDelayMs(throttled(2), 1, 3, 30_000)).toBe(2_000);
  });

  it('gives up after the last retry, so a throttled request still ends', () => {
    expect(throttleDelayMs(throttled(1), 3, 3, 30_000)).toBe(1_000);
    expect(throttleDelayMs(throttled(1), 4, 3, 30_000)).toBeUndefined();
  });

  it('answers the 429 at once when the wait is longer than 10 s or than the deadline left', () => {
    expect(throttleDelayMs(throttled(11), 1, 3, 60_000)).toBeUndefined();
    expect(throttleDelayMs(throttled(2), 1, 3, 1_500)).toBeUndefined();
  });

  it('never resends anything but a 429', () => {
    expect(throttleDelayMs(new AppError('K8S_CONFLICT', 'x'), 1, 3, 30_000)).toBeUndefined();
    expect(throttleDelayMs(new Error('x'), 1, 3, 30_000)).toBeUndefined();
  });
});

describe('watchRetryDelayMs', () => {
  it("waits at least the server's Retry-After, capped at one minute", () => {
    expect(watchRetryDelayMs(throttled(5), 800)).toBe(5_000);
    expect(watchRetryDelayMs(throttled(600), 800)).toBe(60_000);
  });

  it('keeps the backoff when it is already longer, or for other errors', () => {
    expect(watchRetryDelayMs(throttled(1), 8_000)).toBe(8_000);
    expect(watchRetryDelayMs(new AppError('CLUSTER_UNREACHABLE', 'x'), 800)).toBe(800);
  });
});
