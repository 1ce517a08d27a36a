import type { ChunkSink, ChunkStream } from './chunk-stream';
import { LineSplitter, WatchEvent, WatchIdleError, readWatchEvents } from './watch-stream';

type TestStream = ChunkStream & { closed: boolean; fail(error: Error): void };

/** An in-memory stream that delivers the given chunks, then ends unless `hang` keeps it open. */
function streamOf(chunks: (string | Uint8Array)[], hang = false): TestStream {
  let sink: ChunkSink | undefined;
  const result: TestStream = {
    attach: (s) => {
      sink = s;
      // Delivered later, as a connection would: after the reader has set itself up.
      setImmediate(() => {
        for (const chunk of chunks) if (!result.closed) s.data(Buffer.from(chunk));
        if (!hang && !result.closed) s.end();
      });
    },
    closed: false,
    close: () => {
      result.closed = true;
      sink = undefined;
    },
    fail: (error) => sink?.error(error),
  };
  return result;
}

const line = (type: string, name: string) =>
  `${JSON.stringify({ type, object: { metadata: { name } } })}\n`;

async function collect(stream: ChunkStream, idleMs = 5_000): Promise<string[]> {
  const seen: string[] = [];
  await readWatchEvents('c1', stream, idleMs, (e: WatchEvent) =>
    seen.push(`${e.type} ${e.object.metadata.name}`),
  );
  return seen;
}

describe('readWatchEvents', () => {
  it('delivers each line as one event, in order', async () => {
    await expect(
      collect(streamOf([line('ADDED', 'a') + line('MODIFIED', 'a'), line('DELETED', 'a')])),
    ).resolves.toEqual(['ADDED a', 'MODIFIED a', 'DELETED a']);
  });

  it('joins an event split across chunks, even inside a multi-byte character', async () => {
    const bytes = new TextEncoder().encode(line('ADDED', 'café'));
    const cut = bytes.indexOf(0xc3) + 1;
    await expect(
      collect(streamOf([bytes.slice(0, 5), bytes.slice(5, cut), bytes.slice(cut)])),
    ).resolves.toEqual(['ADDED café']);
  });

  it('reads a last event that has no trailing newline and skips blank lines', async () => {
    await expect(
      collect(streamOf(['\n', line('ADDED', 'a'), line('BOOKMARK', 'b').trim()])),
    ).resolves.toEqual(['ADDED a', 'BOOKMARK b']);
  });

  it('refuses a malformed line without relaying its text', async () => {
    const error = await collect(streamOf(['{"type":"ADDED","object":{"token":"s3cret"\n'])).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'CLUSTER_ERROR' });
    expect(String((error as Error).message)).not.toContain('s3cret');
  });

  it('closes the stream when it ends', async () => {
    const stream = streamOf([line('ADDED', 'a')]);
    await collect(stream);
    expect(stream.closed).toBe(true);
  });

  it('closes a silent stream after the idle timeout and says so', async () => {
    const stream = streamOf([line('ADDED', 'a')], true);
    const started = Date.now();
    await expect(collect(stream, 100)).rejects.toBeInstanceOf(WatchIdleError);
    expect(stream.closed).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('rethrows an error raised by the event handler and closes the stream', async () => {
    const stream = streamOf([line('ERROR', 'x')], true);
    const failing = readWatchEvents('c1', stream, 5_000, () => {
      throw new Error('handler refused');
    });
    await expect(failing).rejects.toThrow('handler refused');
    expect(stream.closed).toBe(true);
  });

  it('fails with the error of a stream that breaks, and closes it', async () => {
    const stream = streamOf([line('ADDED', 'a')], true);
    setTimeout(() => stream.fail(new Error('connection reset')), 20);
    await expect(collect(stream)).rejects.toThrow('connection reset');
    expect(stream.closed).toBe(true);
  });

  it('stops at the event whose handler throws: the rest of the chunk is not delivered', async () => {
    const seen: string[] = [];
    const stream = streamOf([line('ADDED', 'a') + line('ERROR', 'x') + line('ADDED', 'b')], true);
    const read = readWatchEvents('c1', stream, 5_000, (e) => {
      seen.push(e.type);
      if (e.type === 'ERROR') throw new Error('gone');
    });
    await expect(read).rejects.toThrow('gone');
    expect(seen).toEqual(['ADDED', 'ERROR']);
  });
});

describe('LineSplitter', () => {
  const split = (chunks: string[]): string[] => {
    const splitter = new LineSplitter();
    const lines: string[] = [];
    for (const chunk of chunks) splitter.push(Buffer.from(chunk), (l) => lines.push(l));
    const rest = splitter.end();
    return rest ? [...lines, rest] : lines;
  };

  it('cuts lines across chunks and keeps the unfinished end only until it is complete', () => {
    expect(split(['ab', 'c\nd', 'e\n\nf\n', 'g'])).toEqual(['abc', 'de', 'f', 'g']);
  });

  it('keeps no reference to a chunk whose unfinished end it holds', () => {
    const splitter = new LineSplitter();
    const chunk = Buffer.from('{"a":1}\n{"b"');
    splitter.push(chunk, () => undefined);
    chunk.fill(0x20);
    const lines: string[] = [];
    splitter.push(Buffer.from(':2}\n'), (l) => lines.push(l));
    expect(lines).toEqual(['{"b":2}']);
  });
});
