import type { Response } from 'express';
import type { FindingChange } from './cluster-diagnostics';

export const STREAM_HEARTBEAT_MS = 15_000;
/** Bytes a slow client may leave unread before it is cut off. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

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
