import { SuspectsService } from '../../changes/suspects.service';
import { FINDING_ID_RULE } from '../../common/input-vocabulary';
import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/app-error';
import { ConfigProvider } from '../../config/config.provider';
import { EventsService } from '../../k8s-resources/events.service';
import { LlmClient } from '../llm-client';
import { LlmMetrics } from '../llm-metrics';
import { resolveProvider, ResolvedProvider } from '../llm-providers';
import { ExplanationDto } from '../llm.dto';
import { capJson } from '../redactor';
import { ToolRunner } from '../tools/tool-runner';
import { ExplainableFinding, FindingSource } from './finding-source';
import { explainPrompt, parseExplanation } from './explain-prompt';

const CACHE_MAX = 500;

/** k8sgpt-style: one finding, its evidence, and the model's cause and fix, cached per finding version. */
@Injectable()
export class ExplainService {
  private readonly cache = new Map<string, ExplanationDto>();

  constructor(
    private readonly findings: FindingSource,
    private readonly events: EventsService,
    private readonly client: LlmClient,
    private readonly runner: ToolRunner,
    private readonly metrics: LlmMetrics,
    private readonly configProvider: ConfigProvider,
    private readonly suspects: SuspectsService,
  ) {}

  async explain(
    clusterId: string,
    findingId: string,
    language: 'zh' | 'en',
    providerName?: string,
  ): Promise<ExplanationDto> {
    const provider = resolveProvider(this.configProvider.config.llm, providerName);
    const found = await this.findings.find(clusterId, findingId);
    if (!found) throw new AppError('NOT_FOUND', `No current finding ${findingId} in this cluster`);
    const key = [clusterId, findingId, found.version, language, provider.name].join('|');
    const cached = this.cache.get(key);
    if (cached) return { ...cached, cached: true };
    const answer = await this.ask(provider, found, clusterId, language);
    const dto: ExplanationDto = {
      clusterId,
      findingId,
      findingVersion: found.version,
      language,
      ...answer,
      cached: false,
    };
    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, dto);
    return dto;
  }

  private async ask(
    provider: ResolvedProvider,
    found: ExplainableFinding,
    clusterId: string,
    language: 'zh' | 'en',
  ) {
    const evidence = capJson(
      this.runner.redactor.value({
        finding: found.finding,
        suspects: await this.suspectsOf(clusterId, found),
        events: await this.eventsOf(clusterId, found),
      }),
      this.configProvider.config.llm.toolResultMaxBytes,
    );
    const deadlineAt = Date.now() + this.configProvider.config.llm.requestDeadlineSeconds * 1000;
    const usage = { promptTokens: 0, completionTokens: 0 };
    let text = '';
    let outcome = 'ok';
    try {
      for await (const e of this.client.stream(provider, {
        messages: explainPrompt(language, evidence),
        deadlineAt,
        signal: new AbortController().signal,
      })) {
        if (e.type === 'delta') text += e.text;
        else if (e.type === 'usage') Object.assign(usage, e.usage);
      }
    } catch (error) {
      outcome = error instanceof AppError ? error.code : 'INTERNAL_ERROR';
      throw error;
    } finally {
      this.metrics.request(provider, outcome);
    }
    const costUsd = this.metrics.usage(provider, usage.promptTokens, usage.completionTokens);
    return { ...parseExplanation(this.runner.redactor.text(text)), usage: { ...usage, costUsd } };
  }

  /**
   * The recent changes ranked as the finding's likely causes (docs/changes.md): the reason
   * sentences and diffs, top five. Mesh validations have no firstSeen, so no suspects.
   */
  private async suspectsOf(clusterId: string, found: ExplainableFinding) {
    if (!FINDING_ID_RULE.pattern.test(found.id)) return [];
    const suspects = await this.suspects.of(clusterId, found.id, 5).catch(() => ({ items: [] }));
    return suspects.items.map((s) => ({
      rank: s.rank,
      reason: s.reason,
      at: s.change.at,
      diff: s.change.diff.slice(0, 5),
    }));
  }

  /** The object's recent events are the usual evidence; a failure to read them is not fatal. */
  private async eventsOf(clusterId: string, found: ExplainableFinding) {
    if (!found.object) return [];
    const list = await this.events
      .list(clusterId, {
        namespace: found.object.namespace ?? undefined,
        involvedName: found.object.name,
      })
      .catch(() => ({ items: [] }));
    return list.items.slice(0, 20);
  }
}
