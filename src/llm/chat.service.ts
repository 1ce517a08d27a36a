import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '../common/app-error';
import type { Principal } from '../common/request-context';
import { ConfigProvider } from '../config/config.provider';
import { Budget } from './budget';
import type { ChatMessage, ToolCall } from './chat-types';
import { LlmClient } from './llm-client';
import { LlmMetrics } from './llm-metrics';
import { costOf, resolveProvider, ResolvedProvider } from './llm-providers';
import { SendMessageDto } from './llm.dto';
import { repairHistory, systemPrompt } from './prompts';
import { LlmSession } from './sessions/llm-session.entity';
import { ownerOf } from './sessions/owner';
import { SessionService } from './sessions/session.service';
import type { SseWriter } from './sse-writer';
import { ToolDepsSource } from './tools/tool-deps';
import { ToolContext } from './tools/tool-descriptor';
import { ToolRunner } from './tools/tool-runner';
import { TOOL_TABLE } from './tools/tool-table';

/** A question checked and ready to stream: everything that can fail as a plain 4xx/503 already has. */
export interface Turn {
  session: LlmSession;
  provider: ResolvedProvider;
  principal: Principal;
  content: string;
}

/**
 * The investigation loop (HolmesGPT-style): the model reads through tools until it can answer,
 * within the question's budget; every step is streamed and stored, tool results redacted.
 */
@Injectable()
export class ChatService {
  private readonly logger = new Logger(ChatService.name);

  constructor(
    private readonly sessions: SessionService,
    private readonly client: LlmClient,
    private readonly runner: ToolRunner,
    private readonly tools: ToolDepsSource,
    private readonly metrics: LlmMetrics,
    private readonly configProvider: ConfigProvider,
  ) {}

  async prepare(id: string, dto: SendMessageDto, principal: Principal): Promise<Turn> {
    const session = await this.sessions.load(id, principal);
    const provider = resolveProvider(this.configProvider.config.llm, session.provider);
    return { session, provider, principal, content: dto.content };
  }

  async run(turn: Turn, sse: SseWriter): Promise<void> {
    const budget = new Budget(this.configProvider.config.llm);
    let outcome = 'ok';
    try {
      const question = this.runner.redactor.text(turn.content);
      await this.sessions.append(turn.session.id, { role: 'user', content: question });
      const history = repairHistory(await this.sessions.history(turn.session.id));
      const system: ChatMessage = {
        role: 'system',
        content: systemPrompt(turn.session.language, turn.session.clusterId),
      };
      await this.loop(turn, [system, ...history], budget, sse);
      sse.send('done', { usage: this.usageOf(turn, budget), toolCalls: budget.toolCalls });
    } catch (caught) {
      outcome = this.report(budget.explain(caught), sse);
    } finally {
      await this.record(turn, budget, outcome);
      sse.end();
    }
  }

  private async loop(turn: Turn, messages: ChatMessage[], budget: Budget, sse: SseWriter) {
    const specs = this.runner.specs(TOOL_TABLE, turn.principal.role);
    for (;;) {
      budget.checkModelCall();
      let text = '';
      let calls: ToolCall[] = [];
      const stream = this.client.stream(turn.provider, {
        messages,
        tools: specs,
        deadlineAt: budget.deadlineAt,
        signal: sse.signal,
      });
      for await (const event of stream) {
        if (event.type === 'delta') {
          text += event.text;
          sse.send('delta', { text: event.text });
        } else if (event.type === 'usage') budget.add(event.usage);
        else calls = event.calls;
      }
      const assistant: ChatMessage = { role: 'assistant', content: text, toolCalls: calls };
      messages.push(assistant);
      await this.sessions.append(turn.session.id, assistant);
      if (!calls.length) return;
      for (const call of calls) messages.push(await this.callTool(turn, call, budget, sse));
    }
  }

  private async callTool(turn: Turn, call: ToolCall, budget: Budget, sse: SseWriter) {
    const redactedArgs = this.runner.redactor.text(call.arguments);
    try {
      budget.takeToolCall();
    } catch (error) {
      // The history stays valid for a follow-up: the refused call gets its answer too.
      await this.store(turn, call, JSON.stringify({ error: { code: 'LLM_BUDGET_EXCEEDED' } }));
      throw error;
    }
    sse.send('tool_call', { id: call.id, name: call.name, arguments: redactedArgs });
    const outcome = await this.runner.run(
      TOOL_TABLE,
      call.name,
      call.arguments,
      this.ctx(turn, budget, sse),
      this.tools.deps,
    );
    const content = outcome.content;
    await this.store(turn, call, content);
    sse.send('tool_result', {
      id: call.id,
      name: call.name,
      ok: outcome.ok,
      errorCode: outcome.errorCode ?? null,
      summary: outcome.summary,
    });
    if (outcome.proposal) sse.send('proposal', outcome.proposal);
    return { role: 'tool' as const, toolCallId: call.id, content };
  }

  private async store(turn: Turn, call: ToolCall, content: string): Promise<void> {
    await this.sessions.append(
      turn.session.id,
      { role: 'tool', toolCallId: call.id, content },
      call.name,
    );
  }

  private ctx(turn: Turn, budget: Budget, sse: SseWriter): ToolContext {
    const left = Math.max(1, budget.deadlineAt - Date.now());
    return {
      clusterId: turn.session.clusterId,
      role: turn.principal.role,
      scope: turn.principal.scope,
      signal: AbortSignal.any([sse.signal, AbortSignal.timeout(left)]),
      sessionId: turn.session.id,
      owner: ownerOf(turn.principal),
      via: 'assistant',
    };
  }

  /** The stream's last event; a client that left gets nothing, since nobody is listening. */
  private report(error: unknown, sse: SseWriter): string {
    if (sse.signal.aborted) return 'CLIENT_CLOSED';
    const known = error instanceof AppError;
    if (!known) this.logger.error({ err: error }, 'assistant turn failed');
    const code = known ? error.code : 'INTERNAL_ERROR';
    const message = known
      ? error.message
      : 'Internal error; quote the request id when reporting it';
    sse.send('error', { code, message });
    return code;
  }

  private usageOf(turn: Turn, budget: Budget) {
    const { promptTokens, completionTokens } = budget.usage;
    return {
      promptTokens,
      completionTokens,
      costUsd: costOf(turn.provider, promptTokens, completionTokens),
    };
  }

  private async record(turn: Turn, budget: Budget, outcome: string): Promise<void> {
    const cost = this.metrics.usage(
      turn.provider,
      budget.usage.promptTokens,
      budget.usage.completionTokens,
    );
    this.metrics.request(turn.provider, outcome);
    await this.sessions.addUsage(turn.session, budget.usage, cost).catch((err: unknown) => {
      this.logger.error({ err }, 'session usage not recorded');
    });
  }
}
