import type { Response } from 'express';
import type { SseStreamSpec } from '../common/sse-events';
import { DEFAULT_SSE, SseOptions, SseStream } from '../common/sse-stream';
import type { K8sStream } from '../kubernetes/kube-client';

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

type LogEvent = 'line' | 'end' | 'error';

/**
 * Relays a followed container log as Server-Sent Events until the container's log ends or the
 * client leaves; either way the upstream request is aborted, so no socket or timer outlives it.
 */
export async function pipeLogAsSse(
  log: K8sStream,
  res: Response,
  options: SseOptions = DEFAULT_SSE,
): Promise<void> {
  const sse = new SseStream<LogEvent>(res, options, { event: 'error', text: CLIENT_TOO_SLOW });
  sse.onClose(() => log.close());
  const reader = log.body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || !sse.isOpen) break;
      const lines = (pending + value).split('\n');
      pending = lines.pop() ?? '';
      // One event per line: SSE data cannot hold a newline.
      for (const line of lines) sse.sendText('line', line);
    }
    if (pending) sse.sendText('line', pending);
    sse.end({ event: 'end', text: LOG_ENDED });
  } catch {
    // Aborted after the client left (the stream is closed already), or the cluster dropped it.
    sse.end({ event: 'error', text: INTERRUPTED });
  }
}
