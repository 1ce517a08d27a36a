import { AppError } from '../common/app-error';
import type { ChunkStream } from './chunk-stream';

/** One line of a watch stream. https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Record<string, any>;
}

/** Thrown when a stream stays silent longer than the idle timeout (a half-open connection). */
export class WatchIdleError extends AppError {
  constructor(cluster: string, idleMs: number) {
    super(
      'CLUSTER_TIMEOUT',
      `Watch on cluster ${cluster} was silent for ${Math.round(idleMs / 1000)} s`,
      { cluster },
    );
  }
}

function parseLine(cluster: string, line: string): WatchEvent {
  try {
    const event = JSON.parse(line) as WatchEvent;
    if (event && typeof event.type === 'string' && event.object && typeof event.object === 'object')
      return event;
  } catch {
    // fall through: the text of a broken line is not worth relaying
  }
  throw new AppError('CLUSTER_ERROR', `Cluster ${cluster} sent a malformed watch event`, {
    cluster,
  });
}

const NEWLINE = 0x0a;

/**
 * Splits a byte stream into lines. A newline byte never occurs inside a multi-byte UTF-8
 * character, so lines are cut on bytes and each is decoded whole: no TextDecoder per stream. Only
 * the unfinished end of a chunk is kept, copied to its exact size, so no chunk (nor the pool slab
 * it may be a slice of) outlives its own events; between events a stream holds nothing.
 */
export class LineSplitter {
  private pending: Buffer[] = [];

  /** Calls `onLine` for each complete non-blank line of `chunk`; an exception stops the split. */
  push(chunk: Buffer, onLine: (line: string) => void): void {
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      const line = this.take(chunk, start, end);
      start = end + 1;
      if (line.trim()) onLine(line);
    }
    if (start < chunk.length) this.pending.push(copyOf(chunk, start));
  }

  /** The last line when the stream ended without a newline ('' when none). */
  end(): string {
    const rest = this.pending.length ? Buffer.concat(this.pending).toString('utf8') : '';
    this.pending = [];
    return rest.trim() ? rest : '';
  }

  private take(chunk: Buffer, start: number, end: number): string {
    if (!this.pending.length) return chunk.toString('utf8', start, end);
    const line = Buffer.concat([...this.pending, chunk.subarray(start, end)]).toString('utf8');
    this.pending = [];
    return line;
  }
}

/** An unpooled copy: a pooled one would keep a whole 64 KiB allocation slab alive. */
function copyOf(chunk: Buffer, start: number): Buffer {
  const copy = Buffer.allocUnsafeSlow(chunk.length - start);
  chunk.copy(copy, 0, start);
  return copy;
}

/**
 * Reads newline-delimited watch events until the server ends the stream, calling `onEvent` for
 * each in order. The stream is closed (its request released) when it has been silent for
 * `idleTimeoutMs`, which then rejects with WatchIdleError; any read failure, or an exception of
 * `onEvent`, rejects as is. Chunks go straight into one line splitter: a watch is open for
 * minutes, and a response stream read through an async iterator, with its generator, promises and
 * decoder per watch, was a measurable part of what each cluster costs a replica
 * (docs/scaling.md).
 */
export function readWatchEvents(
  cluster: string,
  stream: ChunkStream,
  idleTimeoutMs: number,
  onEvent: (event: WatchEvent) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const lines = new LineSplitter();
    const onLine = (line: string): void => onEvent(parseLine(cluster, line));
    let done = false;
    const finish = (error?: unknown): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stream.close();
      if (error === undefined) resolve();
      else reject(error);
    };
    const timer = setTimeout(
      () => finish(new WatchIdleError(cluster, idleTimeoutMs)),
      idleTimeoutMs,
    );
    stream.attach({
      data: (chunk) => {
        if (done) return;
        timer.refresh();
        guarded(finish, () => lines.push(chunk, onLine));
      },
      end: () =>
        guarded(finish, () => {
          const rest = lines.end();
          if (rest) onLine(rest);
          finish();
        }),
      error: (error) => finish(error),
    });
  });
}

/** Runs `step`; an exception finishes the read with it. */
function guarded(finish: (error?: unknown) => void, step: () => void): void {
  try {
    step();
  } catch (error) {
    finish(error);
  }
}
