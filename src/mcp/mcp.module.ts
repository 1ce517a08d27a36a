import { Module } from '@nestjs/common';
import { LlmModule } from '../llm/llm.module';
import { McpController } from './mcp.controller';
import { McpService } from './mcp.service';
import { McpToolServer } from './mcp-tool-server';

/** MCP: CloudPilot's read tools for external agents, from the LLM module's descriptor table. */
@Module({
  imports: [LlmModule],
  controllers: [McpController],
  providers: [McpService, McpToolServer],
})
export class McpModule {}
