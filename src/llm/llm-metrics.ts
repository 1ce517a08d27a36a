import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsService } from '../health/metrics.service';
import type { ResolvedProvider } from './llm-providers';
import { costOf } from './llm-providers';

/** Token usage, cost, model calls and tool calls of the assistant, in the process's /metrics. */
@Injectable()
export class LlmMetrics {
  private readonly tokens: Counter<'provider' | 'model' | 'type'>;
  private readonly cost: Counter<'provider' | 'model'>;
  private readonly calls: Counter<'provider' | 'model' | 'outcome'>;
  private readonly tools: Counter<'tool' | 'outcome' | 'via'>;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.tokens = new Counter({
      name: 'cloudpilot_llm_tokens_total',
      help: 'Tokens used by the assistant, by provider, model and type (prompt, completion)',
      labelNames: ['provider', 'model', 'type'],
      registers,
    });
    this.cost = new Counter({
      name: 'cloudpilot_llm_cost_usd_total',
      help: 'Estimated USD spent, at the configured prices per million tokens',
      labelNames: ['provider', 'model'],
      registers,
    });
    this.calls = new Counter({
      name: 'cloudpilot_llm_requests_total',
      help: 'Questions answered by the assistant, by outcome (ok or an error code)',
      labelNames: ['provider', 'model', 'outcome'],
      registers,
    });
    this.tools = new Counter({
      name: 'cloudpilot_llm_tool_calls_total',
      help: 'Tool calls by tool, outcome (ok or an error code) and caller (assistant or mcp)',
      labelNames: ['tool', 'outcome', 'via'],
      registers,
    });
  }

  usage(p: ResolvedProvider, promptTokens: number, completionTokens: number): number {
    const labels = { provider: p.name, model: p.model };
    this.tokens.inc({ ...labels, type: 'prompt' }, promptTokens);
    this.tokens.inc({ ...labels, type: 'completion' }, completionTokens);
    const usd = costOf(p, promptTokens, completionTokens);
    this.cost.inc(labels, usd);
    return usd;
  }

  request(p: ResolvedProvider, outcome: string): void {
    this.calls.inc({ provider: p.name, model: p.model, outcome });
  }

  tool(name: string, outcome: string, via: 'assistant' | 'mcp'): void {
    this.tools.inc({ tool: name, outcome, via });
  }
}
