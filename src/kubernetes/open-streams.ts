import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';

/** An open stream; `close()` aborts the request and releases its connection. */
export interface K8sStream {
  /** The body as a web stream, for relays that pipe it on (followed logs). */
  readonly body: ReadableStream<Uint8Array>;
  close(): void;
}

/**
 * The streams one client holds open, by path. Streams share pooled, multiplexed connections, so a
 * socket count cannot say whether a stream was let go: this can.
 */
export class OpenStreams {
  private readonly open = new Map<symbol, string>();

  paths(): string[] {
    return [...this.open.values()];
  }

  /** Registers an open stream of `path`; returns what unregisters it. */
  hold(path: string): () => void {
    const id = Symbol(path);
    this.open.set(id, path);
    return () => {
      this.open.delete(id);
    };
  }

  /** Registers a response body until it is closed by its reader or ends by itself. */
  track(path: string, body: Readable, controller: AbortController): K8sStream {
    const release = this.hold(path);
    body.once('close', release);
    let web: ReadableStream<Uint8Array> | undefined;
    return {
      get body() {
        return (web ??= Readable.toWeb(body) as ReadableStream<Uint8Array>);
      },
      close: () => {
        release();
        controller.abort();
      },
    };
  }
}
