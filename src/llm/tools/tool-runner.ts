import { Injectable, Logger } from '@nestjs/common';
import { z } from 'zod';
import { roleSatisfies } from '../../common/roles';
import { AppError } from '../../common/app-error';
import { ConfigProvider } from '../../config/config.provider';
import { checkClusterAccess, View } from '../../common/access-check';
import { ClusterDirectory } from '../../cluster-registry/cluster-directory';
import { LlmMetrics } from '../llm-metrics';
import { capJson, Redactor } from '../redactor';
import type { ToolSpec } from '../chat-types';
import { ToolContext, ToolDeps, ToolDescriptor } from './tool-descriptor';

export interface ToolOutcome {
  ok: boolean;
  /** Redacted, size-capped JSON: what the model (and the database) gets. */
  content: string;
  /** A short redacted digest for the SSE client. */
  summary: string;
  errorCode?: string;
  /** Set when the tool drafted a change. */
  proposal?: unknown;
}

const SUMMARY_CHARS = 300;

/**
 * Runs one tool call: role check, argument validation, deadline, redaction and size cap.
 * Whatever goes wrong comes back as data the model can read, never as an exception.
 */
@Injectable()
export class ToolRunner {
  private readonly logger = new Logger(ToolRunner.name);
  readonly redactor: Redactor;

  constructor(
    private readonly configProvider: ConfigProvider,
    private readonly metrics: LlmMetrics,
    private readonly clusters: ClusterDirectory,
  ) {
    const { llm, auth } = configProvider.config;
    const literals = [
      llm.apiKey,
      auth.adminToken,
      ...Object.values(llm.providers ?? {}).map((p) => p.apiKey),
    ];
    this.redactor = new Redactor(
      llm.redactPatterns,
      literals.filter((s): s is string => !!s),
    );
  }

  /** The tools a role may use, in the shape models are offered. */
  specs(table: readonly ToolDescriptor[], role: ToolContext['role']): ToolSpec[] {
    return table
      .filter((d) => roleSatisfies(role, d.role))
      .map((d) => ({ name: d.name, description: d.description, parameters: jsonSchemaOf(d) }));
  }

  async run(
    table: readonly ToolDescriptor[],
    name: string,
    rawArgs: string,
    ctx: ToolContext,
    deps: ToolDeps,
  ): Promise<ToolOutcome> {
    const d = table.find((t) => t.name === name);
    try {
      if (!d) throw new AppError('NOT_FOUND', `No tool named ${JSON.stringify(name).slice(0, 80)}`);
      if (!roleSatisfies(ctx.role, d.role))
        throw new AppError('FORBIDDEN', `${d.name} needs the ${d.role} role`);
      const args = parseArgs(d, rawArgs);
      const view = await this.viewFor(d, ctx, args);
      const result = await withDeadline(
        d.handler(args as never, ctx, deps),
        d.deadlineMs,
        ctx.signal,
      );
      const shown = view ? view(result) : result;
      if (shown === undefined)
        throw new AppError('OUT_OF_SCOPE', "The object is outside the caller's grants");
      this.metrics.tool(d.name, 'ok', ctx.via);
      return this.outcome(true, shown, d.proposes ? shown : undefined);
    } catch (error) {
      const code = error instanceof AppError ? error.code : 'INTERNAL_ERROR';
      if (!(error instanceof AppError))
        this.logger.error({ err: error, tool: name }, 'tool failed');
      this.metrics.tool(d?.name ?? 'unknown', code, ctx.via);
      const message = error instanceof AppError ? error.message : 'The tool failed unexpectedly';
      const details = error instanceof AppError ? error.details : undefined;
      return { ...this.outcome(false, { error: { code, message, details } }), errorCode: code };
    }
  }

  /**
   * The same access decision as the tool's route: the model reads nothing, and drafts nothing,
   * outside the grants of whoever it works for.
   */
  private async viewFor(
    d: ToolDescriptor,
    ctx: ToolContext,
    args: unknown,
  ): Promise<View | undefined> {
    if (ctx.scope.unrestricted) return undefined;
    const found = await this.clusters.get(ctx.clusterId);
    const namespace = (args as { namespace?: unknown }).namespace;
    return checkClusterAccess(
      d.access,
      ctx.scope,
      { id: found.id, name: found.name, labels: found.labels },
      typeof namespace === 'string' ? namespace : undefined,
      d.role,
    );
  }

  private outcome(ok: boolean, value: unknown, proposal?: unknown): ToolOutcome {
    const content = capJson(
      this.redactor.value(value),
      this.configProvider.config.llm.toolResultMaxBytes,
    );
    const summary =
      content.length > SUMMARY_CHARS ? `${content.slice(0, SUMMARY_CHARS)}…` : content;
    return { ok, content, summary, proposal: proposal && this.redactor.value(proposal) };
  }
}

function jsonSchemaOf(d: ToolDescriptor): Record<string, unknown> {
  const { $schema: _s, ...schema } = z.toJSONSchema(d.input, { io: 'input' }) as Record<
    string,
    unknown
  >;
  return schema;
}

function parseArgs(d: ToolDescriptor, raw: string): unknown {
  let value: unknown;
  try {
    value = raw.trim() ? JSON.parse(raw) : {};
  } catch {
    throw new AppError('VALIDATION_FAILED', 'The arguments are not valid JSON');
  }
  const parsed = d.input.safeParse(value);
  if (!parsed.success)
    throw new AppError(
      'VALIDATION_FAILED',
      'The arguments do not match the tool schema',
      parsed.error.issues.map((i) => ({ field: i.path.join('.'), errors: [i.message] })),
    );
  return parsed.data;
}

/** The services have their own API deadlines; this bounds the whole tool, waits included. */
function withDeadline<T>(work: Promise<T>, ms: number, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const fail = (message: string) => reject(new AppError('CLUSTER_TIMEOUT', message));
    const timer = setTimeout(() => fail(`The tool did not finish within ${ms} ms`), ms);
    const onAbort = () => fail('The request ended before the tool finished');
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    });
  });
}
