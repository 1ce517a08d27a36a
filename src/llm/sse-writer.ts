import type { SseStream } from '../common/sse-stream';

/** The events a question streams, in order: deltas and tool traffic, then `done` or `error`. */
export type SseEventName = 'delta' | 'tool_call' | 'tool_result' | 'proposal' | 'done' | 'error';

/**
 * The assistant's answer stream: the app's one SSE writer with the chat's events. Its `signal`
 * aborts when the client leaves, so the model call and the tools stop with it.
 */
export type SseWriter = SseStream<SseEventName>;
