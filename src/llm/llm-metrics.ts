import { Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
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
    this.tokens = metrics.counter(
      'cloudpilot_llm_tokens_total',
      'Tokens used by the assistant, by provider, model and type (prompt, completion)',
      ['provider', 'model', 'type'],
    );
    this.cost = metrics.counter(
      'cloudpilot_llm_cost_usd_total',
      'Estimated USD spent, at the configured prices per million tokens',
      ['provider', 'model'],
    );
    this.calls = metrics.counter(
      'cloudpilot_llm_requests_total',
      'Questions answered by the assistant, by outcome (ok or an error code)',
      ['provider', 'model', 'outcome'],
    );
    this.tools = metrics.counter(
      'cloudpilot_llm_tool_calls_total',
      'Tool calls by tool, outcome (ok or an error code) and caller (assistant or mcp)',
      ['tool', 'outcome', 'via'],
    );
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
