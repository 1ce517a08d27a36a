import { Backoff } from './backoff';

describe('Backoff', () => {
  it('doubles from the initial delay up to the cap when there is no jitter', () => {
    const backoff = new Backoff({ initialMs: 800, maxMs: 30_000, jitter: 0 });
    const delays = Array.from({ length: 8 }, () => backoff.next());
    expect(delays).toEqual([800, 1600, 3200, 6400, 12_800, 25_600, 30_000, 30_000]);
  });

  it('starts again from the initial delay after reset', () => {
    const backoff = new Backoff({ initialMs: 800, maxMs: 30_000, jitter: 0 });
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(800);
  });

  it('spreads each delay by the jitter share in both directions', () => {
    expect(new Backoff({ initialMs: 1000, maxMs: 30_000, jitter: 0.2 }, () => 0).next()).toBe(800);
    expect(
      new Backoff({ initialMs: 1000, maxMs: 30_000, jitter: 0.2 }, () => 0.999999).next(),
    ).toBe(1200);
  });

  it('never exceeds the cap even with jitter', () => {
    const backoff = new Backoff({ initialMs: 800, maxMs: 30_000, jitter: 0.5 }, () => 0.999999);
    const delays = Array.from({ length: 12 }, () => backoff.next());
    expect(Math.max(...delays)).toBe(30_000);
  });
});
