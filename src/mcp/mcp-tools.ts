import { z } from 'zod';
import { READ_TOOLS } from '../llm/tools/read-tools';
import { clusterRef } from '../llm/tools/schemas';
import { tool, ToolDescriptor } from '../llm/tools/tool-descriptor';

const CLUSTER_ID = clusterRef.describe(
  'Cluster id or name, as in the cloudpilot://clusters resource',
);

/**
 * A read tool as MCP serves it: the cluster is an argument, checked by the tool runner with the
 * others (and the same rule as a route's `:clusterId`), then handed to the tool as its context.
 */
function withClusterArgument(d: ToolDescriptor): ToolDescriptor {
  return tool({
    ...d,
    input: d.input.extend({ clusterId: CLUSTER_ID }),
    handler: ({ clusterId: _cluster, ...args }, ctx, deps) => d.handler(args, ctx, deps),
  });
}

/** Only read tools: nothing that drafts or makes a change is ever exposed over MCP. */
export const MCP_TOOLS: readonly ToolDescriptor[] = READ_TOOLS.filter((d) => !d.proposes).map(
  withClusterArgument,
);

/**
 * The schema an MCP client is shown: each argument's JSON Schema as the tool states it, but
 * accepting any value. The SDK validates arguments against what it is given and answers with its
 * own JSON-RPC error; handing it this leaves the check to the tool runner, so a bad argument is
 * refused over MCP with the same VALIDATION_FAILED, field and words as by the assistant and the
 * route.
 */
export function documentedOnly(input: z.ZodObject): z.ZodObject {
  const json = z.toJSONSchema(input, { io: 'input' }) as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  const required = new Set(json.required ?? []);
  const shape = Object.fromEntries(
    Object.entries(json.properties ?? {}).map(([key, schema]) => [
      key,
      (required.has(key) ? z.unknown() : z.unknown().optional()).meta(schema),
    ]),
  );
  return z.object(shape);
}
