import { All, Controller, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../common/roles';
import { RawResponse } from '../common/envelope.interceptor';
import { McpService } from './mcp.service';

/**
 * `/mcp`: the Model Context Protocol over streamable HTTP (JSON-RPC, not the envelope). Public to
 * the guard because MCP clients need a JSON-RPC 401; McpService authenticates every request.
 */
@ApiExcludeController()
@Public()
@Controller('mcp')
export class McpController {
  constructor(private readonly mcp: McpService) {}

  @All()
  @RawResponse()
  handle(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.mcp.handle(req, res);
  }
}
