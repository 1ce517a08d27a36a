import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Reads Server-Sent Events off the wire and judges each against the per-event schemas a stream
 * documents in the live OpenAPI document (`x-sse-events`, `x-sse-comments` on its
 * `text/event-stream` media type; src/common/sse-events.ts).
 */

export interface SseMessage {
  /** `event:` name, or undefined for a comment-only block. */
  event?: string;
  data?: string;
  comments: string[];
}

/** Splits a stream's text into complete messages; returns them and the incomplete rest. */
export function parseSse(text: string): { messages: SseMessage[]; rest: string } {
  const blocks = text.split('\n\n');
  const rest = blocks.pop() ?? '';
  const messages = blocks.map((block) => {
    const message: SseMessage = { comments: [] };
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) message.comments.push(line.slice(1).trim());
      else if (line.startsWith('event: ')) message.event = line.slice(7);
      else if (line.startsWith('data: '))
        message.data =
          message.data === undefined ? line.slice(6) : `${message.data}\n${line.slice(6)}`;
      else throw new Error(`not an SSE line: ${JSON.stringify(line)}`);
    }
    return message;
  });
  return { messages, rest };
}

interface DocumentedEvent {
  contentMediaType: 'application/json' | 'text/plain';
  schema: Record<string, unknown>;
}

/** A stream's documented events and comments, with a validator per event from the document. */
export class StreamContract {
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(
    private readonly operation: string,
    private readonly events: Record<string, DocumentedEvent>,
    readonly comments: Record<string, string>,
    document: { components: unknown },
  ) {
    // OpenAPI 3.0 schemas: `nullable` is understood by Ajv; `example` and friends are not keywords.
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    for (const [name, event] of Object.entries(events))
      this.validators.set(
        name,
        ajv.compile({ allOf: [event.schema], components: document.components }),
      );
  }

  /** Every problem with one message: an undocumented event or comment, or data off its schema. */
  problems(message: SseMessage): string[] {
    const where = `${this.operation} ${message.event ?? 'comment'}`;
    const problems = message.comments
      .filter((c) => !(c in this.comments))
      .map((c) => `${where}: undocumented comment ": ${c}"`);
    if (message.event === undefined) {
      if (message.data !== undefined) problems.push(`${where}: data without an event name`);
      return problems;
    }
    const validate = this.validators.get(message.event);
    if (!validate) return [...problems, `${where}: undocumented event`];
    if (message.data === undefined) return [...problems, `${where}: no data line`];
    let payload: unknown = message.data;
    if (this.events[message.event].contentMediaType === 'application/json') {
      try {
        payload = JSON.parse(message.data);
      } catch {
        return [...problems, `${where}: data is not JSON: ${message.data.slice(0, 200)}`];
      }
    }
    if (!validate(payload))
      problems.push(
        `${where}: ${JSON.stringify(validate.errors)} in ${message.data.slice(0, 500)}`,
      );
    return problems;
  }
}

/** The contract of the `text/event-stream` success of `GET <path>` in an OpenAPI document. */
export function streamContract(document: any, path: string): StreamContract {
  const media = document.paths[path]?.get?.responses?.['200']?.content?.['text/event-stream'];
  if (!media?.['x-sse-events'] || !media['x-sse-comments'])
    throw new Error(`GET ${path} documents no x-sse-events / x-sse-comments`);
  return new StreamContract(
    `GET ${path}`,
    media['x-sse-events'],
    media['x-sse-comments'],
    document,
  );
}
