import type { Response } from 'express';
import type { SseStreamSpec } from '../common/sse-events';
import type { FindingChange, FindingChangeType } from './cluster-diagnostics';
import { FindingDto } from './diagnostics.dto';

export const STREAM_HEARTBEAT_MS = 15_000;
/** Bytes a slow client may leave unread before it is cut off. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

const CHANGES: Record<FindingChangeType, string> = {
  opened: 'A problem was found; data is the new finding',
  updated: 'An open finding changed (message, count or evidence); data is the finding as it is now',
  resolved: 'The problem is gone; data is the finding as it was last seen',
};

/** The stream's events as the OpenAPI document states them: one per change type, the finding as JSON. */
export const FINDING_STREAM_EVENTS: SseStreamSpec = {
  events: Object.fromEntries(
    Object.entries(CHANGES).map(([type, description]) => [type, { description, json: FindingDto }]),
  ),
  comments: {
    connected: 'once, first, as soon as the subscription is in place',
    heartbeat: `every ${STREAM_HEARTBEAT_MS / 1000} s, to keep proxies from closing it`,
  },
  end: 'never while the client reads; a client more than 1 MiB behind is cut off',
};

/**
 * Relays a cluster's finding changes as Server-Sent Events (`opened`, `updated`, `resolved`, each
 * with the finding as JSON) until the client leaves; heartbeats keep proxies from closing it.
 */
export function streamFindings(
  res: Response,
  subscribe: (listener: (change: FindingChange) => void) => () => void,
): void {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  res.write(': connected\n\n');
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), STREAM_HEARTBEAT_MS);
  let unsubscribe = (): void => undefined;
  const finish = (): void => {
    clearInterval(heartbeat);
    unsubscribe();
    if (!res.writableEnded) res.end();
  };
  unsubscribe = subscribe((change) => {
    res.write(`event: ${change.type}\ndata: ${JSON.stringify(change.finding)}\n\n`);
    if (res.writableLength > MAX_BUFFERED_BYTES) finish();
  });
  res.on('close', finish);
}
