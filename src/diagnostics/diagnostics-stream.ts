import type { Response } from 'express';
import type { SseStreamSpec } from '../common/sse-events';
import { DEFAULT_SSE, SseStream } from '../common/sse-stream';
import type { FindingChange, FindingChangeType } from './finding-board';
import { FindingDto } from './diagnostics.dto';

const CHANGES: Record<FindingChangeType, string> = {
  opened: 'A problem was found, or (without silenced=true) its silence ended; data is the finding',
  updated:
    'An open finding changed (message, count or evidence; with silenced=true also its silenced marker); data is the finding as it is now',
  resolved:
    'The problem is gone, or (without silenced=true) it was silenced: data is the finding as last seen, with its silenced marker then',
};

/** The stream's events as the OpenAPI document states them: one per change type, the finding as JSON. */
export const FINDING_STREAM_EVENTS: SseStreamSpec = {
  events: Object.fromEntries(
    Object.entries(CHANGES).map(([type, description]) => [type, { description, json: FindingDto }]),
  ),
  comments: {
    connected: 'once, first, as soon as the subscription is in place',
    heartbeat: `every ${DEFAULT_SSE.heartbeatMs / 1000} s, to keep proxies from closing it`,
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
  const sse = new SseStream<FindingChangeType>(res);
  sse.comment('connected');
  sse.onClose(subscribe((change) => sse.send(change.type, change.finding)));
}
