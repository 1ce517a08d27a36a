import type { ChangesService } from '../../changes/changes.service';
import type { SuspectsService } from '../../changes/suspects.service';
import type { z } from 'zod';
import type { AccessScope } from '../../common/access-grants';
import type { AccessRule } from '../../common/access-rule';
import type { Role } from '../../common/request-context';
import type { DiagnosticsService } from '../../diagnostics/diagnostics.service';
import type { EventsService } from '../../k8s-resources/events.service';
import type { LogsService } from '../../k8s-resources/logs.service';
import type { ResourcesService } from '../../k8s-resources/resources.service';
import type { MeshValidationService } from '../../istio-gateway/mesh-validation.service';
import type { OverviewService } from '../../overview/overview.service';
import type { ProposalDraft, ProposalView } from '../proposals/proposal-types';
import type { GraphService } from '../../telemetry/graph.service';
import type { MetricsQueryService } from '../../telemetry/metrics-query.service';
import type { SignalsService } from '../../telemetry/signals.service';

/** The services tools read through; each is the feature's own, so views and limits are theirs. */
export interface ToolDeps {
  overview: OverviewService;
  resources: ResourcesService;
  events: EventsService;
  logs: LogsService;
  mesh: MeshValidationService;
  diagnostics: DiagnosticsService;
  /** The change timeline and the ranked suspects of a finding (docs/changes.md). */
  changes: ChangesService;
  suspects: SuspectsService;
  telemetry: { signals: SignalsService; graphs: GraphService; metrics: MetricsQueryService };
  /** Stores a proposed change after its server-side dry run; never applies it. */
  propose: (ctx: ToolContext, draft: ProposalDraft) => Promise<ProposalView>;
}

export interface ToolContext {
  clusterId: string;
  role: Role;
  /** The grants of whoever the tool runs for (the session owner, the MCP caller): its reach. */
  scope: AccessScope;
  /** Aborted at the tool's deadline or when the client leaves. */
  signal: AbortSignal;
  sessionId: string | null;
  owner: string;
  /** Who asked: the assistant's model or an MCP client (a metrics label). */
  via: 'assistant' | 'mcp';
}

/**
 * One tool, declared once and served to the assistant and, if it only reads, to MCP clients
 * (mcp-tool-server.ts). `role` is the least CloudPilot role of the caller; tools above it are
 * neither offered nor run.
 */
export interface ToolDescriptor<I extends z.ZodObject = z.ZodObject> {
  name: string;
  description: string;
  input: I;
  role: Role;
  /** How the caller's grants scope it, as for routes: its namespace argument, or the whole cluster. */
  access: Exclude<AccessRule, 'global' | 'installation' | 'fleet'>;
  deadlineMs: number;
  /** True when the tool only drafts a change for a person to approve (never for MCP). */
  proposes?: boolean;
  handler: (args: z.infer<I>, ctx: ToolContext, deps: ToolDeps) => Promise<unknown>;
}

/** Keeps each entry's handler typed by its own schema inside one heterogeneous array. */
export function tool<I extends z.ZodObject>(d: ToolDescriptor<I>): ToolDescriptor {
  return d as unknown as ToolDescriptor;
}

/** A tool that only reads: every viewer may run it, as every viewer may read the same over HTTP. */
export function readTool<I extends z.ZodObject>(
  d: Omit<ToolDescriptor<I>, 'role' | 'proposes'>,
): ToolDescriptor {
  return tool({ ...d, role: 'viewer' });
}
