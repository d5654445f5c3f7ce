import { z } from 'zod';
import { TOOLSETS, type ToolHints } from './types.js';

/**
 * The five meta tools of dynamic mode (names and meaning as in the reference server): a small,
 * fixed `tools/list` through which a model discovers and calls the selected tools. Handlers
 * live in `mcp/meta-server.ts` because they dispatch through the tool runner.
 */
export interface MetaToolDef {
  name: 'list_toolsets' | 'list_tools' | 'get_tool_input_schema' | 'get_tool_output_schema' | 'call_tool';
  title: string;
  description: string;
  input: z.ZodObject;
  output?: z.ZodType;
  hints: ToolHints;
}

const LOOKUP: ToolHints = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};
const toolArg = z.string().describe('Tool name, as listed by list_tools');
const schemaOut = z.object({ tool: z.string(), schema: z.looseObject({}).optional() });

export const META_TOOLS: readonly MetaToolDef[] = [
  {
    name: 'list_toolsets',
    title: 'List toolsets',
    description: 'Start here in dynamic mode: lists the DocSpace toolsets available, with what each is for.',
    input: z.object({}),
    output: z.object({
      toolsets: z.array(z.object({ name: z.string(), description: z.string(), tools: z.number() })),
    }),
    hints: LOOKUP,
  },
  {
    name: 'list_tools',
    title: 'List tools in a toolset',
    description: 'Lists the tools of one toolset with their descriptions. Then call one with call_tool.',
    input: z.object({ toolset: z.enum(Object.keys(TOOLSETS) as [string, ...string[]]) }),
    output: z.object({
      tools: z.array(
        z.object({ name: z.string(), title: z.string(), description: z.string(), readOnly: z.boolean() }),
      ),
    }),
    hints: LOOKUP,
  },
  {
    name: 'get_tool_input_schema',
    title: 'Get a tool’s input schema',
    description: 'Returns the JSON Schema of a tool’s arguments, to build the input for call_tool.',
    input: z.object({ tool: toolArg }),
    output: schemaOut,
    hints: LOOKUP,
  },
  {
    name: 'get_tool_output_schema',
    title: 'Get a tool’s output schema',
    description: 'Returns the JSON Schema of a tool’s structured result (absent if it has none).',
    input: z.object({ tool: toolArg }),
    output: schemaOut,
    hints: LOOKUP,
  },
  {
    name: 'call_tool',
    title: 'Call a tool',
    description:
      'Calls a tool listed by list_tools with arguments matching get_tool_input_schema. Returns that tool’s result. Destructive tools may ask the person to confirm.',
    input: z.object({
      tool: toolArg,
      input: z.record(z.string(), z.unknown()).default({}).describe('Arguments for the tool'),
    }),
    hints: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  },
];
