import type { Response } from 'express';
import type { SseStreamSpec } from '../common/sse-events';
import type { K8sStream } from '../kubernetes/kube-client';

export interface SseOptions {
  heartbeatMs: number;
  /** Bytes a slow client may leave unread before it is cut off; memory never grows past this. */
  maxBufferedBytes: number;
}

export const DEFAULT_SSE: SseOptions = { heartbeatMs: 15_000, maxBufferedBytes: 1024 * 1024 };

const LOG_ENDED = 'log ended';
const CLIENT_TOO_SLOW = 'client too slow: stream closed';
const INTERRUPTED = 'log stream interrupted';

/** The followed log's events as the OpenAPI document states them (from the texts sent below). */
export const LOG_STREAM_EVENTS: SseStreamSpec = {
  events: {
    line: {
      description: 'One log line, as the container wrote it, without its line break',
      text: { type: 'string', pattern: '^[^\\r\\n]*$' },
    },
    end: {
      description: "The container's log ended (it stopped); the stream closes after it",
      text: { type: 'string', enum: [LOG_ENDED] },
    },
    error: {
      description:
        'The stream is closed: the client fell more than 1 MiB behind, or the cluster dropped the log',
      text: { type: 'string', enum: [CLIENT_TOO_SLOW, INTERRUPTED] },
    },
  },
  comments: {
    heartbeat: `every ${DEFAULT_SSE.heartbeatMs / 1000} s, to keep proxies from closing it`,
  },
  end: 'after an `end` or `error` event, or when the client leaves (the upstream follow is aborted)',
};

/** One SSE event per log line. SSE data cannot hold a newline, and lines are split on them anyway. */
function event(name: string, data: string): string {
  return `event: ${name}\ndata: ${data.replace(/\r/g, '')}\n\n`;
}

/**
 * Relays a followed container log as Server-Sent Events until the container's log ends or the
 * client leaves; either way the upstream request is aborted, so no socket or timer outlives it.
 */
export async function pipeLogAsSse(
  log: K8sStream,
  res: Response,
  options: SseOptions = DEFAULT_SSE,
): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  let open = true;
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), options.heartbeatMs);
  const finish = (last?: string) => {
    if (!open) return;
    open = false;
    clearInterval(heartbeat);
    log.close();
    if (last && !res.writableEnded) res.write(last);
    res.end();
  };
  // res 'close' (not req's, which fires once a GET's empty body is read) means the client left.
  res.on('close', () => finish());
  const reader = log.body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || !open) break;
      const lines = (pending + value).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) res.write(event('line', line));
      if (res.writableLength > options.maxBufferedBytes)
        return finish(event('error', CLIENT_TOO_SLOW));
    }
    if (pending) res.write(event('line', pending));
    finish(event('end', LOG_ENDED));
  } catch {
    // Aborted by finish() after the client left, or the cluster dropped the stream.
    finish(event('error', INTERRUPTED));
  }
}
