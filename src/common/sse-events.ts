import type { Type } from '@nestjs/common';
import { getSchemaPath } from '@nestjs/swagger';

/**
 * The events of a Server-Sent Events response, documented once next to the route. OpenAPI 3.0 has
 * no per-event schema (3.2's `itemSchema` is not valid in a 3.0 document), so the stream is a
 * `text/event-stream` string whose media type carries two extensions a client generator can read
 * and Swagger UI shows: `x-sse-events` (each event's name, meaning and the schema of its `data`
 * line) and `x-sse-comments` (the `: …` comment lines, which carry no data). The event DTOs are
 * ordinary components, so generated clients get their types. A test reads real events from each
 * stream and validates every `data` against these schemas from the live /docs-json.
 */
export interface SseEventSpec {
  description: string;
  /** `data` is this DTO as one line of JSON… */
  json?: Type<unknown>;
  /** …or plain text matching this schema (e.g. a log line), never JSON. */
  text?: Record<string, unknown>;
}

export interface SseStreamSpec {
  /** Event name (the `event:` field) → what it means and what its `data:` holds. */
  events: Record<string, SseEventSpec>;
  /** Comment lines (`: text`) the stream sends, with when; clients ignore them. */
  comments: Record<string, string>;
  /** How the stream ends (or that it does not). */
  end: string;
}

/** The models an SSE stream's events refer to (for ApiExtraModels). */
export function sseModels(stream: SseStreamSpec | undefined): Type<unknown>[] {
  return Object.values(stream?.events ?? {}).flatMap((e) => (e.json ? [e.json] : []));
}

/** The `text/event-stream` media type object of a stream, with its events and comments. */
export function sseMediaType(stream: SseStreamSpec): Record<string, unknown> {
  const events = Object.fromEntries(
    Object.entries(stream.events).map(([name, event]) => [
      name,
      {
        description: event.description,
        contentMediaType: event.json ? 'application/json' : 'text/plain',
        schema: event.json
          ? { $ref: getSchemaPath(event.json) }
          : (event.text ?? { type: 'string' }),
      },
    ]),
  );
  return {
    schema: {
      type: 'string',
      description:
        'Server-Sent Events: each event is `event: <name>` then one `data: <payload>` line; ' +
        'x-sse-events gives each name and the schema of its data, x-sse-comments the comment lines.',
    },
    'x-sse-events': events,
    'x-sse-comments': stream.comments,
  };
}

/** A human-readable list of the events, for the response description (Swagger UI, docs). */
export function sseDescription(stream: SseStreamSpec): string {
  const events = Object.entries(stream.events).map(
    ([name, event]) =>
      `\`${name}\` (data: ${event.json ? `${event.json.name} as JSON` : 'text'}): ${event.description}`,
  );
  const comments = Object.entries(stream.comments).map(
    ([text, when]) => `\`: ${text}\` comment: ${when}`,
  );
  return ['Server-Sent Events (not enveloped).', ...events, ...comments, `End: ${stream.end}`].join(
    '\n\n',
  );
}
