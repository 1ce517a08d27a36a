import { Injectable } from '@nestjs/common';
import type { MetricOf } from '../health/metric-catalogue';
import { MetricsService } from '../health/metrics.service';
import type { ResolvedProvider } from './llm-providers';
import { costOf } from './llm-providers';

/** Token usage, cost, model calls and tool calls of the assistant, in the process's /metrics. */
@Injectable()
export class LlmMetrics {
  private readonly tokens: MetricOf<'cloudpilot_llm_tokens_total'>;
  private readonly cost: MetricOf<'cloudpilot_llm_cost_usd_total'>;
  private readonly calls: MetricOf<'cloudpilot_llm_requests_total'>;
  private readonly tools: MetricOf<'cloudpilot_llm_tool_calls_total'>;

  constructor(metrics: MetricsService) {
    this.tokens = metrics.of('cloudpilot_llm_tokens_total');
    this.cost = metrics.of('cloudpilot_llm_cost_usd_total');
    this.calls = metrics.of('cloudpilot_llm_requests_total');
    this.tools = metrics.of('cloudpilot_llm_tool_calls_total');
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
