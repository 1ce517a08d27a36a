import type { Dispatcher } from 'undici';
import { ChunkHandler, ChunkStream, followAbort, RefusedAnswer } from './chunk-stream';

/** The dispatcher's side of one request, as undici drives a handler. */
function controller(): Dispatcher.DispatchController & { abortedWith?: Error } {
  const c = {
    aborted: false,
    paused: false,
    reason: null,
    rawHeaders: ['content-type', 'application/json'] as string[] | null,
    abortedWith: undefined as Error | undefined,
    abort: (reason: Error) => {
      c.abortedWith = reason;
    },
    pause: () => undefined,
    resume: () => undefined,
  };
  return c;
}

function opening() {
  const seen = {
    opened: undefined as ChunkStream | undefined,
    refused: undefined as RefusedAnswer | undefined,
    failed: undefined as unknown,
    released: 0,
  };
  const handler = new ChunkHandler({
    opened: (s) => (seen.opened = s),
    refused: (a) => (seen.refused = a),
    failed: (e) => (seen.failed = e),
  });
  handler.onReleased(() => (seen.released += 1));
  return { handler, seen };
}

const sinkLog = (log: string[]) => ({
  data: (c: Buffer) => log.push(`data ${c.toString()}`),
  end: () => log.push('end'),
  error: (e: unknown) => log.push(`error ${(e as Error).message}`),
});

describe('ChunkHandler', () => {
  it('opens on a 2xx answer, lets go of its raw headers and keeps early chunks for the reader', () => {
    const { handler, seen } = opening();
    const c = controller();
    handler.onRequestStart(c);
    handler.onResponseStart(c, 200, {});
    handler.onResponseData(c, Buffer.from('a'));
    expect(seen.opened).toBe(handler);
    expect(c.rawHeaders).toBeNull();
    const log: string[] = [];
    handler.attach(sinkLog(log));
    handler.onResponseData(c, Buffer.from('b'));
    handler.onResponseEnd();
    expect(log).toEqual(['data a', 'data b', 'end']);
    expect(seen.released).toBe(1);
  });

  it('reads a refusal whole, with its Retry-After, and never opens', () => {
    const { handler, seen } = opening();
    const c = controller();
    handler.onRequestStart(c);
    handler.onResponseStart(c, 429, { 'retry-after': '3' });
    handler.onResponseData(c, Buffer.from('{"kind":'));
    handler.onResponseData(c, Buffer.from('"Status"}'));
    handler.onResponseEnd();
    expect(seen.opened).toBeUndefined();
    expect(seen.refused).toEqual({ statusCode: 429, text: '{"kind":"Status"}', retryAfter: '3' });
    expect(seen.released).toBe(1);
  });

  it('fails the opening when aborted before the request started, and aborts it once it starts', () => {
    const { handler, seen } = opening();
    const reason = new Error('late');
    handler.abort(reason);
    expect(seen.failed).toBe(reason);
    const c = controller();
    handler.onRequestStart(c);
    expect(c.abortedWith).toBe(reason);
    handler.onResponseError(c, reason);
    expect(seen.released).toBe(1);
  });

  it('tells the reader of a failure after opening; after close() it tells nothing', () => {
    const { handler } = opening();
    const c = controller();
    handler.onRequestStart(c);
    handler.onResponseStart(c, 200, {});
    const log: string[] = [];
    handler.attach(sinkLog(log));
    handler.onResponseError(c, new Error('reset'));
    expect(log).toEqual(['error reset']);

    const second = opening().handler;
    const c2 = controller();
    second.onRequestStart(c2);
    second.onResponseStart(c2, 200, {});
    const quiet: string[] = [];
    second.attach(sinkLog(quiet));
    second.close();
    second.onResponseData(c2, Buffer.from('late'));
    second.onResponseError(c2, c2.abortedWith!);
    expect(c2.abortedWith?.name).toBe('AbortError');
    expect(quiet).toEqual([]);
  });
});

describe('followAbort', () => {
  it('follows a signal until let go', () => {
    const controller = new AbortController();
    const reasons: Error[] = [];
    const unfollow = followAbort(controller.signal, (r) => reasons.push(r));
    unfollow();
    controller.abort(new Error('stop'));
    expect(reasons).toEqual([]);
    followAbort(controller.signal, (r) => reasons.push(r));
    expect(reasons.map((r) => r.message)).toEqual(['stop']);
  });
});
