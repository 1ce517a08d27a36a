import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A scripted OpenAI-compatible chat completions server on loopback, for tests: it speaks the real
 * wire protocol (JSON answers, or SSE chunks with `data: [DONE]`, tool_calls deltas split into
 * fragments, a usage chunk), can answer 429 with Retry-After or 5xx, or stall, and records every
 * request it receives exactly as received.
 */
export type Step =
  | { kind: 'text'; text: string; usage?: Usage }
  | { kind: 'tools'; calls: Array<{ name: string; arguments: unknown }>; usage?: Usage }
  | { kind: 'status'; status: number; retryAfter?: string; body?: unknown }
  /** Headers and `text` (if any) as a first chunk, then silence until the client gives up. */
  | { kind: 'stall'; text?: string };

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
}

export interface RecordedRequest {
  at: number;
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  raw: string;
  body: any;
  /** Set when the client closed the connection before the answer ended. */
  abortedAt?: number;
}

type Script = Step[] | ((request: RecordedRequest, index: number) => Step);

const DEFAULT_USAGE: Usage = { prompt_tokens: 100, completion_tokens: 20 };

export class ScriptedLlm {
  readonly requests: RecordedRequest[] = [];
  private server?: Server;
  private script: Script = [];
  private served = 0;
  private readonly open = new Set<ServerResponse>();

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  /** The answers to the next requests, in order (or a function of each request). */
  play(script: Script): void {
    this.script = script;
    this.served = 0;
    this.requests.length = 0;
  }

  async close(): Promise<void> {
    for (const res of this.open) res.destroy();
    this.server?.closeAllConnections(); // keep-alive sockets of the provider client, too
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const record: RecordedRequest = {
      at: Date.now(),
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      raw,
      body: safeJson(raw),
    };
    this.requests.push(record);
    res.on('close', () => {
      this.open.delete(res);
      if (!res.writableFinished) record.abortedAt = Date.now();
    });
    this.open.add(res);
    const index = this.served++;
    const step =
      typeof this.script === 'function' ? this.script(record, index) : this.script[index];
    if (!step) return this.json(res, 500, { error: { message: `script exhausted at ${index}` } });
    this.answer(step, record, res);
  }

  private answer(step: Step, record: RecordedRequest, res: ServerResponse): void {
    if (step.kind === 'status') {
      const headers: Record<string, string> = step.retryAfter
        ? { 'retry-after': step.retryAfter }
        : {};
      return this.json(
        res,
        step.status,
        step.body ?? { error: { message: 'scripted failure', type: 'server_error' } },
        headers,
      );
    }
    const streaming = record.body?.stream === true;
    if (step.kind === 'stall') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (step.text) res.write(sse(chunk({ role: 'assistant', content: step.text })));
      return; // never ends; close() or the client ends it
    }
    if (!streaming) return this.json(res, 200, completion(step));
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (const delta of deltasOf(step)) res.write(sse(chunk(delta)));
    res.write(sse(chunk({}, step.kind === 'tools' ? 'tool_calls' : 'stop')));
    if (record.body?.stream_options?.include_usage)
      res.write(sse({ ...chunk({}), choices: [], usage: usageOf(step) }));
    res.end('data: [DONE]\n\n');
  }

  private json(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }
}

function safeJson(raw: string): any {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

function usageOf(step: Step): Usage & { total_tokens: number } {
  const u = ('usage' in step && step.usage) || DEFAULT_USAGE;
  return { ...u, total_tokens: u.prompt_tokens + u.completion_tokens };
}

/** Text in a few pieces; each tool call's id and name first, its arguments in fragments. */
function deltasOf(step: Step): Array<Record<string, unknown>> {
  if (step.kind === 'text') {
    const pieces = step.text.match(/[\s\S]{1,12}/g) ?? [''];
    return pieces.map((content, i) => (i === 0 ? { role: 'assistant', content } : { content }));
  }
  if (step.kind !== 'tools') return [];
  return step.calls.flatMap((call, index) => {
    const args =
      typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
    const id = `call_${index}_${Math.random().toString(36).slice(2, 8)}`;
    const head = { index, id, type: 'function', function: { name: call.name, arguments: '' } };
    const parts = args.match(/[\s\S]{1,10}/g) ?? [''];
    return [
      { role: 'assistant', tool_calls: [head] },
      ...parts.map((p) => ({ tool_calls: [{ index, function: { arguments: p } }] })),
    ];
  });
}

let counter = 0;
function chunk(delta: Record<string, unknown>, finish: string | null = null) {
  return {
    id: `chatcmpl-${++counter}`,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: 'scripted',
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
}

function completion(step: Step) {
  const toolCalls =
    step.kind === 'tools'
      ? step.calls.map((c, i) => ({
          id: `call_${i}`,
          type: 'function',
          function: {
            name: c.name,
            arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments),
          },
        }))
      : undefined;
  return {
    id: `chatcmpl-${++counter}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: 'scripted',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: step.kind === 'text' ? step.text : null,
          tool_calls: toolCalls,
        },
        finish_reason: step.kind === 'tools' ? 'tool_calls' : 'stop',
      },
    ],
    usage: usageOf(step),
  };
}

function sse(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

/** Parses a Server-Sent Events body into its events, in order. */
export function parseSse(text: string): Array<{ event: string; data: any }> {
  return text
    .split('\n\n')
    .map((block) => block.trim())
    .filter((block) => block && !block.startsWith(':'))
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = block
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      return { event, data: safeJson(data) ?? data };
    });
}
