import type {
  CallToolResult,
  InputRequiredResult,
  McpServer,
  ServerContext,
} from '@modelcontextprotocol/server';
import { META_TOOLS, type MetaToolDef } from '../tools/meta.js';
import { describeIssues, lenientInput, listedJsonOf, wireSchema } from '../tools/schema.js';
import { type AnyToolRecord, TOOLSETS, type ToolsetName, wireHints } from '../tools/types.js';
import { type CallEnv, errorResult, report, runTool } from './run-tool.js';

function ok(data: Record<string, unknown>, text: string): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: data };
}

/**
 * Dynamic mode: only the five meta tools are listed; `call_tool` reaches exactly the tools
 * the selection allows, through the same runner (so confirmation and error mapping apply).
 */
export function registerMetaTools(
  server: McpServer,
  tools: readonly AnyToolRecord[],
  env: CallEnv,
  /** Why a tool the connection's access level withholds cannot be called (src/mcp/access.ts). */
  withheld?: (name: string) => string | undefined,
): void {
  const byName = new Map(tools.map((t) => [t.name, t]));
  const unknownTool = (name: string) =>
    errorResult(
      withheld?.(name) ??
        `Tool '${name}' is not available. Use list_toolsets and list_tools to see the tools you can call.`,
    );

  type Handler = (
    args: Record<string, unknown>,
    ctx: ServerContext,
  ) => Promise<CallToolResult | InputRequiredResult>;
  const handlers: Record<MetaToolDef['name'], Handler> = {
    list_toolsets: async () => {
      const toolsets = (Object.keys(TOOLSETS) as ToolsetName[])
        .map((name) => ({
          name,
          description: TOOLSETS[name],
          tools: tools.filter((t) => t.toolset === name).length,
        }))
        .filter((t) => t.tools > 0);
      return ok(
        { toolsets },
        toolsets.map((t) => `- ${t.name} (${t.tools} tools): ${t.description}`).join('\n'),
      );
    },
    list_tools: async (args) => {
      const list = tools
        .filter((t) => t.toolset === args.toolset)
        .map((t) => ({
          name: t.name,
          title: t.title,
          description: t.description,
          readOnly: t.hints.readOnlyHint,
        }));
      if (list.length === 0)
        return errorResult(
          `Toolset '${String(args.toolset)}' has no tools available here. Call list_toolsets.`,
        );
      return ok({ tools: list }, list.map((t) => `- ${t.name}: ${t.description}`).join('\n'));
    },
    get_tool_input_schema: async (args) => {
      const tool = byName.get(String(args.tool));
      if (!tool) return unknownTool(String(args.tool));
      const schema = listedJsonOf(tool.input, 'input');
      return ok({ tool: tool.name, schema }, JSON.stringify(schema));
    },
    get_tool_output_schema: async (args) => {
      const tool = byName.get(String(args.tool));
      if (!tool) return unknownTool(String(args.tool));
      const schema = listedJsonOf(tool.output, 'output');
      return ok({ tool: tool.name, schema }, JSON.stringify(schema));
    },
    // The runner validates `input` and reports the call under the inner tool's name.
    call_tool: async (args, ctx) => {
      const tool = byName.get(String(args.tool));
      if (!tool) return unknownTool(String(args.tool));
      return runTool(tool, args.input ?? {}, ctx, env);
    },
  };

  for (const def of META_TOOLS) {
    server.registerTool(
      def.name,
      {
        title: def.title,
        description: def.description,
        inputSchema: lenientInput(def.input),
        ...(def.output ? { outputSchema: wireSchema(def.output) } : {}),
        annotations: wireHints(def.hints),
      },
      async (args: unknown, ctx: ServerContext) => {
        const parsed = def.input.safeParse(args ?? {});
        // A call that reaches a selected tool is run, and reported, under that tool's name.
        if (parsed.success && def.name === 'call_tool' && byName.has(String(parsed.data.tool))) {
          return handlers.call_tool(parsed.data, ctx);
        }
        const started = performance.now();
        let result: CallToolResult | InputRequiredResult;
        let outcome = 'ok';
        if (!parsed.success) {
          result = errorResult(describeIssues(parsed.error));
          outcome = 'invalid_arguments';
        } else {
          result = await handlers[def.name](parsed.data, ctx);
          if ('isError' in result && result.isError)
            outcome = def.name === 'call_tool' ? 'unknown_tool' : 'invalid_arguments';
        }
        report(env, { tool: def.name, outcome, durationMs: performance.now() - started });
        return result;
      },
    );
  }
}
