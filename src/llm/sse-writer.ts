import type { Response } from 'express';

/** The events a question streams, in order: deltas and tool traffic, then `done` or `error`. */
export type SseEventName = 'delta' | 'tool_call' | 'tool_result' | 'proposal' | 'done' | 'error';

const HEARTBEAT_MS = 15_000;

/**
 * Server-Sent Events on an Express response. `signal` aborts when the client leaves, so the model
 * call and the tools stop with it.
 */
export class SseWriter {
  private readonly gone = new AbortController();
  private readonly heartbeat: NodeJS.Timeout;
  readonly signal = this.gone.signal;

  constructor(private readonly res: Response) {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    // res 'close' before end() means the client went away.
    res.on('close', () => {
      if (!res.writableFinished) this.gone.abort();
      clearInterval(this.heartbeat);
    });
    this.heartbeat = setInterval(() => this.raw(': heartbeat\n\n'), HEARTBEAT_MS);
  }

  send(event: SseEventName, data: unknown): void {
    this.raw(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  end(): void {
    clearInterval(this.heartbeat);
    if (!this.res.writableEnded) this.res.end();
  }

  private raw(text: string): void {
    if (!this.res.writableEnded && !this.signal.aborted) this.res.write(text);
  }
}
