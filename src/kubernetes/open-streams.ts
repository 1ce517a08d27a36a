import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';

/** An open stream; `close()` aborts the request and releases its connection. */
export interface K8sStream {
  /** The body as a web stream, for relays that pipe it on (followed logs). */
  readonly body: ReadableStream<Uint8Array>;
  /**
   * The same body as the Node stream it is, without the web-stream machinery: a watch read from
   * it by `data` events costs a few KiB of heap instead of 32 (bench/cluster-cost.mjs: 29 watches
   * per cluster). Read either this or `body`, not both.
   */
  readonly readable: Readable;
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

  /** Registers a response body until it is closed by its reader or ends by itself. */
  track(path: string, body: Readable, controller: AbortController): K8sStream {
    const id = Symbol(path);
    this.open.set(id, path);
    const release = (): void => {
      this.open.delete(id);
    };
    body.once('close', release);
    let web: ReadableStream<Uint8Array> | undefined;
    return {
      get body() {
        return (web ??= Readable.toWeb(body) as ReadableStream<Uint8Array>);
      },
      readable: body,
      close: () => {
        release();
        controller.abort();
      },
    };
  }
}
