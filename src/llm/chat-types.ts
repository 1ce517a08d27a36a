/** The provider-neutral shapes the LLM module speaks; only llm-client.ts knows the SDK's. */

export interface ToolCall {
  id: string;
  name: string;
  /** JSON text, as the model wrote it (may be invalid: the tool runner answers that as data). */
  arguments: string;
}

export type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; content: string };

export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

/** One streamed piece of a model turn. */
export type ChatEvent =
  | { type: 'delta'; text: string }
  | { type: 'tool_calls'; calls: ToolCall[] }
  | { type: 'usage'; usage: Usage };

export interface ChatRequest {
  messages: ChatMessage[];
  tools?: ToolSpec[];
  /** Absolute time (ms since epoch) after which no call or retry may start or continue. */
  deadlineAt: number;
  /** Aborted when the client leaves: the model call stops with it. */
  signal: AbortSignal;
}
