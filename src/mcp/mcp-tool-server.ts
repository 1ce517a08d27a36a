import { Injectable, Logger } from '@nestjs/common';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import type { Principal } from '../common/request-context';
import { ownerOf } from '../llm/sessions/owner';
import { ToolDepsSource } from '../llm/tools/tool-deps';
import type { ToolDescriptor } from '../llm/tools/tool-descriptor';
import { ToolRunner } from '../llm/tools/tool-runner';
import { APP_VERSION } from '../common/app-version';
import { documentedOnly, MCP_TOOLS } from './mcp-tools';

/**
 * Builds the MCP server a caller talks to: the LLM module's read tools (same descriptors, runner,
 * redaction, deadlines and size caps) with `clusterId` as an argument, and the cluster list as a
 * resource. Built per request, for one principal, so its role bounds every call.
 */
@Injectable()
export class McpToolServer {
  private readonly logger = new Logger(McpToolServer.name);

  constructor(
    private readonly runner: ToolRunner,
    private readonly tools: ToolDepsSource,
    private readonly clusters: ClusterDirectory,
  ) {}

  build(principal: Principal): McpServer {
    const server = new McpServer({ name: 'cloudpilot', version: APP_VERSION });
    for (const d of MCP_TOOLS) this.register(server, d, principal);
    server.registerResource(
      'clusters',
      'cloudpilot://clusters',
      {
        description: 'The clusters CloudPilot knows, with their status',
        mimeType: 'application/json',
      },
      async (uri) => ({
        contents: [
          {
            uri: uri.href,
            mimeType: 'application/json',
            text: JSON.stringify(this.runner.redactor.value(await this.visibleClusters(principal))),
          },
        ],
      }),
    );
    return server;
  }

  /** The clusters the caller has a grant on: the resource lists no other. */
  private async visibleClusters(principal: Principal) {
    const all = await this.clusters.list();
    return all.filter((c) => principal.scope.clusterRank(c) >= 0);
  }

  private register(server: McpServer, d: ToolDescriptor, principal: Principal): void {
    server.registerTool(
      d.name,
      {
        description: `${d.description}. Read-only.`,
        inputSchema: documentedOnly(d.input),
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
      async (args: Record<string, unknown>, extra: { signal: AbortSignal }) => {
        const clusterId = String(args.clusterId);
        const started = Date.now();
        const outcome = await this.runner.run(
          MCP_TOOLS,
          d.name,
          JSON.stringify(args),
          {
            clusterId,
            role: principal.role,
            scope: principal.scope,
            signal: extra.signal,
            sessionId: null,
            owner: ownerOf(principal),
            via: 'mcp',
          },
          this.tools.deps,
        );
        this.logger.log(
          {
            tool: d.name,
            clusterId,
            outcome: outcome.errorCode ?? 'ok',
            ms: Date.now() - started,
            actor: principal.name,
          },
          'mcp tool call',
        );
        return {
          content: [{ type: 'text' as const, text: outcome.content }],
          isError: !outcome.ok,
        };
      },
    );
  }
}
