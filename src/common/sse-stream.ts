import type { Response } from 'express';
import { requestContext } from './request-context';

export interface SseOptions {
  heartbeatMs: number;
  /** Bytes a slow client may leave unread before it is cut off; memory never grows past this. */
  maxBufferedBytes: number;
}

export const DEFAULT_SSE: SseOptions = { heartbeatMs: 15_000, maxBufferedBytes: 1024 * 1024 };

/** An event sent as the stream's last words, e.g. why it closes. */
export interface SseLastEvent<E extends string> {
  event: E;
  text: string;
}

/**
 * One Server-Sent Events response, the only writer of `text/event-stream` in the app: headers,
 * heartbeat comments that keep proxies from closing it, typed events (`E` names them), a cut-off
 * for a client that falls too far behind, and one close that runs whatever the caller tied to it
 * (an upstream request, a subscription). `signal` aborts when the client leaves or is cut off,
 * never on a normal close, so the work behind the stream stops with the reader.
 */
export class SseStream<E extends string> {
  private readonly gone = new AbortController();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly closers: Array<() => void> = [];
  private open = true;
  readonly signal = this.gone.signal;
  /** The caller's view, taken when the stream opens: events are published outside its request. */
  private readonly visible = requestContext.current()?.visible;

  constructor(
    private readonly res: Response,
    private readonly options: SseOptions = DEFAULT_SSE,
    /** Sent before a too-slow client is cut off. */
    private readonly tooSlow?: SseLastEvent<E>,
  ) {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    // res 'close' (not req's, which fires once a GET's empty body is read) before the end means
    // the client left.
    res.on('close', () => {
      if (!res.writableFinished) this.gone.abort();
      this.end();
    });
    this.heartbeat = setInterval(() => this.comment('heartbeat'), options.heartbeatMs);
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** Runs `closer` once when the stream closes, for whatever reason. */
  onClose(closer: () => void): void {
    if (this.open) this.closers.push(closer);
    else closer();
  }

  /** A comment line (`: text`), which clients ignore. */
  comment(text: string): void {
    this.write(`: ${text}\n\n`);
  }

  /** An event whose data is `data` as one line of JSON. */
  send(event: E, data: unknown): void {
    const shown = this.visible ? this.visible(data) : data;
    // An event about something outside the caller's grants is not theirs to see at all.
    if (shown === undefined) return;
    this.write(frame(event, JSON.stringify(shown)));
  }

  /** An event whose data is plain text. */
  sendText(event: E, text: string): void {
    this.write(frame(event, plain(text)));
  }

  /** Ends the stream, after `last` if given, and runs what was tied to its close. */
  end(last?: SseLastEvent<E>): void {
    if (!this.open) return;
    this.open = false;
    clearInterval(this.heartbeat);
    for (const closer of this.closers.splice(0)) closer();
    if (this.res.writableEnded) return;
    if (last) this.res.write(frame(last.event, plain(last.text)));
    this.res.end();
  }

  private write(text: string): void {
    if (!this.open || this.res.writableEnded) return;
    this.res.write(text);
    if (this.res.writableLength > this.options.maxBufferedBytes) {
      this.gone.abort();
      this.end(this.tooSlow);
    }
  }
}

function frame(event: string, data: string): string {
  return `event: ${event}\ndata: ${data}\n\n`;
}

/** SSE data cannot hold a line break; log lines are split on "\n" already, so drop "\r". */
function plain(text: string): string {
  return text.replace(/\r/g, '');
}
