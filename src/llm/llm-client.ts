import { Injectable, Logger } from '@nestjs/common';
import OpenAI from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import { AppError } from '../common/app-error';
import { ConfigProvider } from '../config/config.provider';
import { ChatEvent, ChatMessage, ChatRequest, ToolCall, ToolSpec } from './chat-types';
import { ResolvedProvider } from './llm-providers';
import { classify, retryDelayMs } from './provider-errors';

/**
 * THE adapter to LLM providers: the only importer of the `openai` SDK. Every provider speaks the
 * OpenAI-compatible chat completions API; this class streams one model turn, retrying 429 (after
 * Retry-After), 5xx and timeouts with backoff while nothing has been streamed yet and the
 * request's deadline allows, and stops the HTTP call when the caller's signal aborts.
 */
@Injectable()
export class LlmClient {
  private readonly logger = new Logger(LlmClient.name);
  private readonly clients = new Map<string, OpenAI>();

  constructor(private readonly configProvider: ConfigProvider) {}

  async *stream(provider: ResolvedProvider, request: ChatRequest): AsyncGenerator<ChatEvent> {
    const { maxRetries } = this.configProvider.config.llm;
    for (let attempt = 0; ; attempt++) {
      let streamed = false;
      const call = this.callSignal(request);
      try {
        const chunks = await this.client(provider).chat.completions.create(
          {
            model: provider.model,
            messages: request.messages.map(toWire),
            tools: request.tools?.length ? request.tools.map(toolToWire) : undefined,
            stream: true,
            stream_options: { include_usage: true },
          },
          { signal: call.signal },
        );
        const calls = new Map<number, ToolCall>();
        for await (const chunk of chunks) {
          for (const event of eventsOf(chunk, calls)) {
            streamed = true;
            yield event;
          }
        }
        if (calls.size) yield { type: 'tool_calls', calls: [...calls.values()] };
        return;
      } catch (error) {
        const failure = classify(error, request.signal, call.timedOut());
        const wait = retryDelayMs(failure, attempt, Date.now(), request.deadlineAt);
        if (streamed || attempt >= maxRetries || wait === null) throw failure.error;
        this.logger.warn(
          { provider: provider.name, attempt, code: failure.error.code, waitMs: wait },
          'LLM call retried',
        );
        await sleep(wait, request.signal);
      } finally {
        call.dispose();
      }
    }
  }

  /** A per-call signal: the caller's, the per-call timeout and the request deadline, whichever is first. */
  private callSignal(request: ChatRequest) {
    const ms = Math.max(
      1,
      Math.min(
        this.configProvider.config.llm.timeoutSeconds * 1000,
        request.deadlineAt - Date.now(),
      ),
    );
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), ms);
    return {
      signal: AbortSignal.any([request.signal, timeout.signal]),
      timedOut: () => timeout.signal.aborted,
      dispose: () => clearTimeout(timer),
    };
  }

  private client(p: ResolvedProvider): OpenAI {
    const key = `${p.name}|${p.baseUrl}|${p.kind}`;
    let client = this.clients.get(key);
    if (!client) {
      // Every option explicit, so the SDK reads nothing from the process environment (OPENAI_*).
      client = new OpenAI({
        apiKey: p.apiKey ?? 'none',
        baseURL: p.baseUrl,
        organization: null,
        project: null,
        webhookSecret: null,
        maxRetries: 0, // retries are ours: they must respect the request deadline
        timeout: this.configProvider.config.llm.timeoutSeconds * 1000,
        logLevel: 'off',
        // Azure OpenAI's v1 endpoint takes its key in api-key, not Authorization.
        defaultHeaders: p.kind === 'azure' && p.apiKey ? { 'api-key': p.apiKey } : undefined,
      });
      this.clients.set(key, client);
    }
    return client;
  }
}

function* eventsOf(chunk: ChatCompletionChunk, calls: Map<number, ToolCall>): Generator<ChatEvent> {
  if (chunk.usage)
    yield {
      type: 'usage',
      usage: {
        promptTokens: chunk.usage.prompt_tokens ?? 0,
        completionTokens: chunk.usage.completion_tokens ?? 0,
      },
    };
  const delta = chunk.choices?.[0]?.delta;
  if (!delta) return;
  if (delta.content) yield { type: 'delta', text: delta.content };
  for (const part of delta.tool_calls ?? []) {
    const call = calls.get(part.index) ?? { id: '', name: '', arguments: '' };
    if (part.id) call.id = part.id;
    if (part.function?.name) call.name += part.function.name;
    if (part.function?.arguments) call.arguments += part.function.arguments;
    calls.set(part.index, call);
  }
}

function toWire(m: ChatMessage): ChatCompletionMessageParam {
  if (m.role === 'tool') return { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
  if (m.role === 'assistant' && m.toolCalls?.length)
    return {
      role: 'assistant',
      content: m.content || null,
      tool_calls: m.toolCalls.map((c) => ({
        id: c.id,
        type: 'function' as const,
        function: { name: c.name, arguments: c.arguments },
      })),
    };
  return { role: m.role, content: m.content };
}

function toolToWire(t: ToolSpec): ChatCompletionTool {
  return {
    type: 'function',
    function: { name: t.name, description: t.description, parameters: t.parameters },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new AppError('LLM_TIMEOUT', 'The client left'));
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new AppError('LLM_TIMEOUT', 'The client left'));
      },
      { once: true },
    );
  });
}
