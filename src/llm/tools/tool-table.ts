import { PROPOSAL_TOOLS } from './proposal-tools';
import { READ_TOOLS } from './read-tools';
import type { ToolDescriptor } from './tool-descriptor';

/** The one descriptor table: the assistant is offered all of it, MCP clients the read tools. */
export const TOOL_TABLE: readonly ToolDescriptor[] = [...READ_TOOLS, ...PROPOSAL_TOOLS];
