import { Injectable } from '@nestjs/common';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Request, Response } from 'express';
import { TokenService } from '../auth/token.service';
import { Principal, requestContext } from '../common/request-context';
import { ConfigProvider } from '../config/config.provider';
import { McpToolServer } from './mcp-tool-server';

const DEV_PRINCIPAL: Principal = { name: 'dev-no-auth', role: 'admin', tokenId: null };

/**
 * The streamable-HTTP endpoint, stateless: each request gets its own server and transport, so
 * replicas need no shared session state. Authentication is the API's bearer tokens; a missing
 * or bad token is a JSON-RPC error with HTTP 401, as MCP clients expect.
 */
@Injectable()
export class McpService {
  constructor(
    private readonly tokens: TokenService,
    private readonly configProvider: ConfigProvider,
    private readonly toolServer: McpToolServer,
  ) {}

  async handle(req: Request, res: Response): Promise<void> {
    const principal = await this.authenticate(req);
    if (!principal) return unauthorized(res);
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

  private async authenticate(req: Request): Promise<Principal | null> {
    if (this.configProvider.config.auth.mode === 'none') return DEV_PRINCIPAL;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    return match ? this.tokens.authenticate(match[1]) : null;
  }
}

function unauthorized(res: Response): void {
  res
    .status(401)
    .setHeader('WWW-Authenticate', 'Bearer realm="cloudpilot"')
    .json({
      jsonrpc: '2.0',
      error: {
        code: -32001,
        message: 'Unauthorized: send Authorization: Bearer <CloudPilot API token>',
      },
      id: null,
    });
}
