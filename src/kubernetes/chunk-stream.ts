import type { Dispatcher } from 'undici';

/** Where the chunks of a streamed body go, once attached. */
export interface ChunkSink {
  data(chunk: Buffer): void;
  end(): void;
  error(error: unknown): void;
}

/** A streamed response read chunk by chunk (a watch). */
export interface ChunkStream {
  /** Starts delivery to `sink`; what arrived before is delivered first, in order. */
  attach(sink: ChunkSink): void;
  /** Aborts the request and releases its stream; the sink hears nothing more. */
  close(): void;
}

/** A non-2xx answer, its body read (up to a bound) for the error mapping. */
export interface RefusedAnswer {
  statusCode: number;
  text: string;
  retryAfter: string | null;
}

/** How the opening of a chunk stream ends: exactly one of these is called, once. */
export interface ChunkStreamOpening {
  opened(stream: ChunkStream): void;
  refused(answer: RefusedAnswer): void;
  failed(error: unknown): void;
}

/** An error answer is only read for its Status message: more is not worth holding. */
const MAX_REFUSAL_BYTES = 64 * 1024;

type Early = { chunk: Buffer } | { end: true } | { error: unknown };

/**
 * An undici dispatch handler for a long-lived GET read chunk by chunk: no response stream, request
 * handler or async resource per watch (as the agent's request() API builds), and the response's
 * raw headers are let go once read. A replica holds 30-odd watches per cluster for minutes each,
 * so what each open watch keeps is part of what every cluster costs (docs/scaling.md).
 */
export class ChunkHandler implements Dispatcher.DispatchHandler, ChunkStream {
  private controller: Dispatcher.DispatchController | undefined;
  private sink: ChunkSink | undefined;
  private early: Early[] = [];
  private refusal: { statusCode: number; retryAfter: string | null; chunks: Buffer[] } | undefined;
  private settled = false;
  private over = false;
  private abortReason: Error | undefined;
  /** Dropped once settled, with whatever its callbacks hold (the request, the promise's scope). */
  private opening: ChunkStreamOpening | undefined;
  private settleHooks: (() => void)[] = [];
  private releaseHooks: (() => void)[] = [];

  constructor(opening: ChunkStreamOpening) {
    this.opening = opening;
  }

  /** Runs `hook` once the opening is settled (opened, refused or failed). */
  onSettled(hook: () => void): void {
    if (this.settled) hook();
    else this.settleHooks.push(hook);
  }

  /** Runs `hook` once the stream is over (ended, failed or closed), whether it opened or not. */
  onReleased(hook: () => void): void {
    if (this.over) hook();
    else this.releaseHooks.push(hook);
  }

  /** Aborts the request: before the answer, the opening fails with `reason`. */
  abort(reason: Error): void {
    if (this.over) return;
    this.abortReason = reason;
    this.controller?.abort(reason);
    if (!this.settled) this.finishOpening((o) => o.failed(reason));
    this.release();
  }

  attach(sink: ChunkSink): void {
    this.sink = sink;
    const early = this.early;
    this.early = [];
    for (const item of early) this.deliver(item);
  }

  close(): void {
    this.sink = undefined;
    this.abort(new DOMException('The stream was closed', 'AbortError'));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.abortReason) controller.abort(this.abortReason);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    controller.rawHeaders = null;
    if (statusCode < 200 || this.settled) return;
    if (statusCode >= 300) {
      const after = headers['retry-after'];
      const retryAfter = (Array.isArray(after) ? after[0] : after) ?? null;
      this.refusal = { statusCode, retryAfter, chunks: [] };
      return;
    }
    this.finishOpening((o) => o.opened(this));
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.refusal) {
      const held = this.refusal.chunks.reduce((sum, c) => sum + c.length, 0);
      if (held < MAX_REFUSAL_BYTES) this.refusal.chunks.push(chunk);
      return;
    }
    this.deliver({ chunk });
  }

  onResponseEnd(): void {
    const refusal = this.refusal;
    if (refusal) {
      const text = Buffer.concat(refusal.chunks).toString('utf8');
      const answer = { statusCode: refusal.statusCode, text, retryAfter: refusal.retryAfter };
      this.finishOpening((o) => o.refused(answer));
    } else this.deliver({ end: true });
    this.release();
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, error: Error): void {
    if (!this.settled) this.finishOpening((o) => o.failed(error));
    else this.deliver({ error });
    this.release();
  }

  private deliver(item: Early): void {
    if (this.over && !('end' in item) && !('error' in item)) return;
    const sink = this.sink;
    if (!sink) {
      if (!this.abortReason) this.early.push(item);
      return;
    }
    if ('chunk' in item) sink.data(item.chunk);
    else if ('end' in item) sink.end();
    else sink.error(item.error);
  }

  private finishOpening(settle: (opening: ChunkStreamOpening) => void): void {
    const opening = this.opening;
    if (this.settled || !opening) return;
    this.settled = true;
    this.opening = undefined;
    runAll(this.settleHooks);
    this.settleHooks = [];
    settle(opening);
  }

  private release(): void {
    if (this.over) return;
    this.over = true;
    this.controller = undefined;
    runAll(this.releaseHooks);
    this.releaseHooks = [];
  }
}

function runAll(hooks: readonly (() => void)[]): void {
  for (const hook of hooks) hook();
}

/** What opening a chunk stream needs from its client. */
export interface ChunkStreamRequest {
  /** Sends the GET with this handler (the agent's dispatch). */
  dispatch(handler: ChunkHandler): void;
  /** Deadline for the response headers. */
  headersTimeoutMs: number;
  signal?: AbortSignal;
  /** Registers the open stream; returns what unregisters it. */
  hold(): () => void;
  /** The error of a non-2xx answer. */
  refusal(answer: RefusedAnswer): Error;
  /** The error of a transport failure (`headersLate`: the header deadline passed). */
  failure(error: unknown, headersLate: boolean): Error;
}

/**
 * Opens a chunk stream: resolves once the headers say 2xx, rejects with the mapped error otherwise.
 * Only the wait for the headers has a deadline; the caller's signal aborts it at any time.
 */
export function openChunkStream(request: ChunkStreamRequest): Promise<ChunkStream> {
  return new Promise((resolve, reject) => {
    let headersLate = false;
    // Everything this scope holds is let go when the opening settles: only the hooks below, made
    // outside it, live as long as the watch.
    const handler = new ChunkHandler({
      opened: resolve,
      refused: (answer) => reject(request.refusal(answer)),
      failed: (error) => reject(request.failure(error, headersLate)),
    });
    handler.onReleased(request.hold());
    handler.onReleased(followAbort(request.signal, abortOf(handler)));
    const deadline = setTimeout(() => {
      headersLate = true;
      handler.abort(new DOMException('No response headers in time', 'TimeoutError'));
    }, request.headersTimeoutMs);
    handler.onSettled(() => clearTimeout(deadline));
    if (!request.signal?.aborted) request.dispatch(handler);
  });
}

function abortOf(handler: ChunkHandler): (reason: Error) => void {
  return (reason) => handler.abort(reason);
}

/** Calls `onAbort` when `signal` aborts (at once if it has); returns what stops following it. */
export function followAbort(
  signal: AbortSignal | undefined,
  onAbort: (reason: Error) => void,
): () => void {
  if (!signal) return () => undefined;
  const listener = (): void => onAbort(abortReason(signal));
  if (signal.aborted) {
    listener();
    return () => undefined;
  }
  signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('Aborted', 'AbortError');
}
