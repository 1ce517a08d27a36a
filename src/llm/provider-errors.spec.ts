import { APIConnectionTimeoutError, InternalServerError, RateLimitError } from 'openai';
import { classify, retryAfterOf, retryDelayMs } from './provider-errors';

const live = new AbortController().signal;

describe('classify', () => {
  it('maps 429 to LLM_RATE_LIMITED with its Retry-After', () => {
    const error = new RateLimitError(
      429,
      undefined,
      'slow down',
      new Headers({ 'retry-after': '7' }),
    );
    expect(classify(error, live, false)).toMatchObject({
      error: { code: 'LLM_RATE_LIMITED' },
      retriable: true,
      retryAfterMs: 7000,
    });
  });

  it('retries 5xx and timeouts, not a caller that left', () => {
    expect(
      classify(new InternalServerError(502, undefined, 'x', new Headers()), live, false),
    ).toMatchObject({ error: { code: 'LLM_PROVIDER_ERROR' }, retriable: true });
    expect(classify(new APIConnectionTimeoutError(), live, false)).toMatchObject({
      error: { code: 'LLM_TIMEOUT' },
      retriable: true,
    });
    const gone = new AbortController();
    gone.abort();
    expect(classify(new Error('aborted'), gone.signal, false)).toMatchObject({
      aborted: true,
      retriable: false,
    });
  });

  it('never relays the provider message, which may echo the request', () => {
    const error = new InternalServerError(
      500,
      { message: 'key sk-123 invalid' },
      'key sk-123 invalid',
      new Headers(),
    );
    expect(classify(error, live, false).error.message).not.toContain('sk-123');
  });
});

describe('retryAfterOf', () => {
  it('reads seconds, HTTP dates and retry-after-ms', () => {
    expect(retryAfterOf(new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterOf(new Headers({ 'retry-after-ms': '150', 'retry-after': '9' }))).toBe(150);
    const now = Date.parse('2026-12-01T10:00:00Z');
    expect(retryAfterOf(new Headers({ 'retry-after': 'Tue, 01 Dec 2026 10:00:05 GMT' }), now)).toBe(
      5000,
    );
    expect(retryAfterOf(new Headers())).toBeUndefined();
  });
});

describe('retryDelayMs', () => {
  const failure = { error: {} as never, retriable: true };
  it('backs off exponentially with jitter', () => {
    expect(retryDelayMs(failure, 0, 0, 60_000, () => 1)).toBe(250);
    expect(retryDelayMs(failure, 3, 0, 60_000, () => 1)).toBe(2000);
    expect(retryDelayMs(failure, 3, 0, 60_000, () => 0)).toBe(1000);
  });
  it('refuses a wait that would end past the deadline, and anything not retriable', () => {
    expect(retryDelayMs({ ...failure, retryAfterMs: 10_000 }, 0, 0, 5_000)).toBeNull();
    expect(retryDelayMs({ ...failure, retryAfterMs: 1_000 }, 0, 0, 5_000)).toBe(1000);
    expect(retryDelayMs({ ...failure, retriable: false }, 0, 0, 60_000)).toBeNull();
  });
});
