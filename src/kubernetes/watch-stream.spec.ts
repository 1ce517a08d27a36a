import { K8sStream } from './kube-client';
import { WatchEvent, WatchIdleError, readWatchEvents } from './watch-stream';

/** An in-memory stream that delivers the given chunks, then ends unless `hang` keeps it open. */
function streamOf(chunks: (string | Uint8Array)[], hang = false): K8sStream & { closed: boolean } {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      for (const chunk of chunks)
        c.enqueue(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
      if (!hang) c.close();
    },
  });
  const result = {
    body,
    chunks: body,
    closed: false,
    close: () => {
      if (result.closed) return;
      result.closed = true;
      if (hang) controller.error(new Error('aborted'));
    },
  };
  return result;
}

const line = (type: string, name: string) =>
  `${JSON.stringify({ type, object: { metadata: { name } } })}\n`;

async function collect(stream: K8sStream, idleMs = 5_000): Promise<string[]> {
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
});
