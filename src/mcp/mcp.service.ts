import { Injectable } from '@nestjs/common';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Request, Response } from 'express';
import { PrincipalResolver } from '../access/principal-resolver';
import { unauthorized } from '../access/protected-resource';
import { AppError } from '../common/app-error';
import { Principal, requestContext } from '../common/request-context';
import { McpToolServer } from './mcp-tool-server';

/**
 * The streamable-HTTP endpoint, stateless: each request gets its own server and transport, so
 * replicas need no shared session state. Authentication is the API's (tokens, OIDC and
 * ServiceAccount JWTs); a missing or bad one is a JSON-RPC error with HTTP 401 whose
 * WWW-Authenticate names the protected-resource metadata, as MCP clients expect.
 */
@Injectable()
export class McpService {
  constructor(
    private readonly principals: PrincipalResolver,
    private readonly toolServer: McpToolServer,
  ) {}

  async handle(req: Request, res: Response): Promise<void> {
    let principal: Principal;
    try {
      principal = await this.principals.resolve(req.headers.authorization);
    } catch (error) {
      return refuse(res, unauthorized(error, req));
    }
    const ctx = requestContext.current();
    if (ctx) ctx.principal = principal;
    const server = this.toolServer.build(principal);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  }
}

function refuse(res: Response, error: unknown): void {
  if (!(error instanceof AppError) || error.status !== 401) throw error;
  res
    .status(401)
    .setHeader(
      'WWW-Authenticate',
      error.headers?.['WWW-Authenticate'] ?? 'Bearer realm="cloudpilot"',
    )
    .json({
      jsonrpc: '2.0',
      error: {
        code: -32001,
        message: `Unauthorized: ${error.message}`,
        data: { code: error.code },
      },
      id: null,
    });
}
