import { AppError } from '../common/app-error';
import type { AppConfig } from '../config/config.types';
import type { Usage } from './chat-types';

/** The bounds of one question: tool calls, tokens and wall time. Crossing one ends it clearly. */
export class Budget {
  readonly deadlineAt: number;
  toolCalls = 0;
  readonly usage: Usage = { promptTokens: 0, completionTokens: 0 };

  constructor(
    private readonly llm: AppConfig['llm'],
    now = Date.now(),
  ) {
    this.deadlineAt = now + llm.requestDeadlineSeconds * 1000;
  }

  add(usage: Usage): void {
    this.usage.promptTokens += usage.promptTokens;
    this.usage.completionTokens += usage.completionTokens;
  }

  get tokens(): number {
    return this.usage.promptTokens + this.usage.completionTokens;
  }

  /** Before a model call: time and tokens left. */
  checkModelCall(now = Date.now()): void {
    if (now >= this.deadlineAt)
      throw exceeded(`the request deadline (${this.llm.requestDeadlineSeconds} s) passed`);
    if (this.tokens >= this.llm.maxTokens)
      throw exceeded(`the token budget (${this.llm.maxTokens}) is used up (${this.tokens})`);
  }

  /** Before a tool call: counts it, or refuses when the model has had its share. */
  takeToolCall(): void {
    if (this.toolCalls >= this.llm.maxToolCalls)
      throw exceeded(`the model asked for more than ${this.llm.maxToolCalls} tool calls`);
    this.toolCalls++;
  }

  /** A timeout caused by the request deadline is the budget's doing, not the provider's. */
  explain(error: unknown, now = Date.now()): unknown {
    if (error instanceof AppError && error.code === 'LLM_TIMEOUT' && now >= this.deadlineAt - 100)
      return exceeded(`the request deadline (${this.llm.requestDeadlineSeconds} s) passed`);
    return error;
  }
}

function exceeded(why: string): AppError {
  return new AppError('LLM_BUDGET_EXCEEDED', `The investigation was stopped: ${why}`);
}
