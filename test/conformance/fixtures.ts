import type { McpServer } from '@modelcontextprotocol/server';
import {
  fromJsonSchema,
  inputRequired,
  type RequestStateCodec,
  ResourceTemplate,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import { addInputRequiredFixtures } from './input-required.js';

/**
 * The surface the MCP conformance scenarios call by name (tools `test_*`, prompts
 * `test_*_prompt`, resources `test://…`). Registered only by the conformance harness through
 * `startHttpServer({ decorateServer })`; the values are what the scenarios check.
 */

// A 1×1 PNG and a tiny WAV header, both valid base64 of real formats.
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const WAV = 'UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=';

type Content =
  | { type: 'text'; text: string }
  | { type: 'image' | 'audio'; data: string; mimeType: string }
  | { type: 'resource'; resource: { uri: string; mimeType: string; text: string } };

const STATIC_TOOLS: Record<string, { description: string; content: Content[] }> = {
  test_simple_text: {
    description: 'Answers with one text block.',
    content: [{ type: 'text', text: 'This is a simple text response for testing.' }],
  },
  test_image_content: {
    description: 'Answers with an image.',
    content: [{ type: 'image', data: PNG, mimeType: 'image/png' }],
  },
  test_audio_content: {
    description: 'Answers with audio.',
    content: [{ type: 'audio', data: WAV, mimeType: 'audio/wav' }],
  },
  test_embedded_resource: {
    description: 'Answers with an embedded resource.',
    content: [
      {
        type: 'resource',
        resource: {
          uri: 'test://embedded-resource',
          mimeType: 'text/plain',
          text: 'This is an embedded resource content.',
        },
      },
    ],
  },
  test_multiple_content_types: {
    description: 'Answers with text, an image and a resource.',
    content: [
      { type: 'text', text: 'Multiple content types test:' },
      { type: 'image', data: PNG, mimeType: 'image/png' },
      {
        type: 'resource',
        resource: {
          uri: 'test://mixed-content-resource',
          mimeType: 'application/json',
          text: JSON.stringify({ test: 'data', value: 123 }),
        },
      },
    ],
  },
};

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function registerTools(server: McpServer): void {
  for (const [name, tool] of Object.entries(STATIC_TOOLS)) {
    server.registerTool(name, { description: tool.description }, async () => ({ content: tool.content }));
  }
  server.registerTool('test_error_handling', { description: 'Always fails.' }, async () => {
    throw new Error('This tool intentionally returns an error for testing');
  });
  server.registerTool(
    'test_tool_with_logging',
    { description: 'Logs three messages while it runs.' },
    async (ctx) => {
      for (const data of ['Tool execution started', 'Tool processing data', 'Tool execution completed']) {
        await ctx.mcpReq.notify({ method: 'notifications/message', params: { level: 'info', data } });
        await pause(20);
      }
      return { content: [{ type: 'text', text: 'Tool with logging executed successfully' }] };
    },
  );
  server.registerTool(
    'test_tool_with_progress',
    { description: 'Reports progress 0, 50, 100.' },
    async (ctx) => {
      const progressToken = ctx.mcpReq._meta?.progressToken ?? 0;
      for (const progress of [0, 50, 100]) {
        await ctx.mcpReq.notify({
          method: 'notifications/progress',
          params: { progressToken, progress, total: 100, message: `Completed step ${progress} of 100` },
        });
        await pause(20);
      }
      return { content: [{ type: 'text', text: String(progressToken) }] };
    },
  );
  // The suite's own document, as JSON Schema (not zod), so $schema, $defs with $anchor,
  // allOf/anyOf, if/then/else and additionalProperties reach tools/list unchanged.
  server.registerTool(
    'json_schema_2020_12_tool',
    {
      description: 'Tool with JSON Schema 2020-12 features',
      inputSchema: fromJsonSchema(JSON_SCHEMA_2020_12),
    },
    async (args) => ({
      content: [{ type: 'text', text: `JSON Schema 2020-12 tool called with: ${JSON.stringify(args)}` }],
    }),
  );
  // SEP-2243: the client mirrors `region` into `Mcp-Param-Region`; the SDK checks they agree.
  server.registerTool(
    'test_custom_header',
    {
      description: 'Echoes a region that the client also sends as a header.',
      inputSchema: fromJsonSchema<{ region: string }>({
        type: 'object',
        properties: { region: { type: 'string', 'x-mcp-header': 'Region' } as { type: 'string' } },
        required: ['region'],
      }),
    },
    async (args) => ({ content: [{ type: 'text', text: `Region: ${(args as { region: string }).region}` }] }),
  );
}

/** The answer the client gave under `key`, once it answered (either era). */
const answer = (ctx: ServerContext, key: string) =>
  (ctx.mcpReq.inputResponses as Record<string, unknown> | undefined)?.[key] as
    { action?: string; content?: unknown; role?: string; model?: string } | undefined;

/**
 * Tools that ask the client something: written once with `input_required`, which the SDK turns
 * into real `elicitation/create` and `sampling/createMessage` requests in a 2025 session.
 */
function registerAskingTools(server: McpServer): void {
  server.registerTool(
    'test_sampling',
    {
      description: 'Asks the client model to answer a prompt.',
      inputSchema: z.object({ prompt: z.string() }),
    },
    async ({ prompt }, ctx) => {
      const got = answer(ctx, 'sampling') as { content?: { text?: string } } | undefined;
      if (!got)
        return inputRequired({
          inputRequests: {
            sampling: inputRequired.createMessage({
              messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
              maxTokens: 100,
            }),
          },
        });
      return { content: [{ type: 'text', text: `LLM response: ${got.content?.text ?? ''}` }] };
    },
  );
  server.registerTool(
    'test_elicitation',
    {
      description: 'Asks the person for a username and e-mail.',
      inputSchema: z.object({ message: z.string() }),
    },
    async ({ message }, ctx) => {
      const got = answer(ctx, 'info');
      if (!got)
        return inputRequired({
          inputRequests: {
            info: inputRequired.elicit({
              message,
              requestedSchema: {
                type: 'object',
                properties: {
                  username: { type: 'string', description: "User's response" },
                  email: { type: 'string', description: "User's email address" },
                },
                required: ['username', 'email'],
              },
            }),
          },
        });
      return {
        content: [
          {
            type: 'text',
            text: `User response: action=${got.action}, content=${JSON.stringify(got.content ?? {})}`,
          },
        ],
      };
    },
  );
  server.registerTool(
    'test_elicitation_sep1034_defaults',
    { description: 'Asks with a default for every primitive type (SEP-1034).' },
    async (ctx) => {
      const got = answer(ctx, 'defaults');
      if (!got)
        return inputRequired({
          inputRequests: {
            defaults: inputRequired.elicit({
              message: 'Please review and update the form fields with defaults',
              requestedSchema: {
                type: 'object',
                properties: {
                  name: { type: 'string', description: 'User name', default: 'John Doe' },
                  age: { type: 'integer', description: 'User age', default: 30 },
                  score: { type: 'number', description: 'User score', default: 95.5 },
                  status: {
                    type: 'string',
                    description: 'User status',
                    enum: ['active', 'inactive', 'pending'],
                    default: 'active',
                  },
                  verified: { type: 'boolean', description: 'Verification status', default: true },
                },
                required: [],
              },
            }),
          },
        });
      return {
        content: [
          {
            type: 'text',
            text: `Elicitation completed: action=${got.action}, content=${JSON.stringify(got.content ?? {})}`,
          },
        ],
      };
    },
  );
  server.registerTool(
    'test_elicitation_sep1330_enums',
    { description: 'Asks with the five enum shapes (SEP-1330).' },
    async (ctx) => {
      const got = answer(ctx, 'enums');
      if (!got)
        return inputRequired({
          inputRequests: {
            enums: inputRequired.elicit({
              message: 'Please select options from the enum fields',
              requestedSchema: {
                type: 'object',
                properties: {
                  untitledSingle: {
                    type: 'string',
                    description: 'Untitled single',
                    enum: ['option1', 'option2', 'option3'],
                  },
                  titledSingle: {
                    type: 'string',
                    description: 'Titled single',
                    oneOf: [
                      { const: 'value1', title: 'First Option' },
                      { const: 'value2', title: 'Second Option' },
                      { const: 'value3', title: 'Third Option' },
                    ],
                  },
                  legacyEnum: {
                    type: 'string',
                    description: 'Legacy titled enum',
                    enum: ['opt1', 'opt2', 'opt3'],
                    enumNames: ['Option One', 'Option Two', 'Option Three'],
                  },
                  untitledMulti: {
                    type: 'array',
                    description: 'Untitled multi',
                    items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
                  },
                  titledMulti: {
                    type: 'array',
                    description: 'Titled multi',
                    items: {
                      anyOf: [
                        { const: 'value1', title: 'First Choice' },
                        { const: 'value2', title: 'Second Choice' },
                        { const: 'value3', title: 'Third Choice' },
                      ],
                    },
                  },
                },
                required: [],
              },
            } as never),
          },
        });
      return {
        content: [
          {
            type: 'text',
            text: `Elicitation completed: action=${got.action}, content=${JSON.stringify(got.content ?? {})}`,
          },
        ],
      };
    },
  );
  server.registerTool(
    'test_reconnection',
    { description: 'Closes its response stream mid-call, then answers (SEP-1699 polling).' },
    async (ctx) => {
      ctx.http?.closeSSE?.();
      await pause(200);
      return { content: [{ type: 'text', text: 'Reconnection test completed' }] };
    },
  );
}

const JSON_SCHEMA_2020_12 = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  $defs: {
    address: {
      $anchor: 'addressDef',
      type: 'object',
      properties: { street: { type: 'string' }, city: { type: 'string' } },
    },
  },
  properties: {
    name: { type: 'string' },
    address: { $ref: '#/$defs/address' },
    contactMethod: { type: 'string', enum: ['phone', 'email'] },
    phone: { type: 'string' },
    email: { type: 'string' },
  },
  allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
  if: { properties: { contactMethod: { const: 'phone' } }, required: ['contactMethod'] },
  then: { required: ['phone'] },
  else: { required: ['email'] },
  additionalProperties: false,
} as const;

function registerResources(server: McpServer): void {
  server.registerResource(
    'static-text',
    'test://static-text',
    { title: 'Static text', mimeType: 'text/plain' },
    async () => ({
      contents: [
        {
          uri: 'test://static-text',
          mimeType: 'text/plain',
          text: 'This is the content of the static text resource.',
        },
      ],
    }),
  );
  server.registerResource(
    'static-binary',
    'test://static-binary',
    { title: 'Static binary', mimeType: 'image/png' },
    async () => ({
      contents: [{ uri: 'test://static-binary', mimeType: 'image/png', blob: PNG }],
    }),
  );
  server.registerResource(
    'template',
    new ResourceTemplate('test://template/{id}/data', { list: undefined }),
    { title: 'Template', mimeType: 'application/json' },
    async (uri, variables) => ({
      contents: [
        {
          uri: uri.toString(),
          mimeType: 'application/json',
          text: JSON.stringify({
            id: variables.id,
            templateTest: true,
            data: `Data for ID: ${variables.id}`,
          }),
        },
      ],
    }),
  );
  server.registerResource(
    'watched-resource',
    'test://watched-resource',
    { title: 'Watched', mimeType: 'text/plain' },
    async () => ({
      contents: [
        { uri: 'test://watched-resource', mimeType: 'text/plain', text: 'Watched resource content' },
      ],
    }),
  );
}

function registerPrompts(server: McpServer): void {
  server.registerPrompt('test_simple_prompt', { description: 'A prompt without arguments.' }, async () => ({
    messages: [{ role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } }],
  }));
  server.registerPrompt(
    'test_prompt_with_arguments',
    {
      description: 'A prompt with two arguments.',
      argsSchema: z.object({ arg1: z.string(), arg2: z.string() }),
    },
    async ({ arg1, arg2 }) => ({
      messages: [
        {
          role: 'user',
          content: { type: 'text', text: `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'` },
        },
      ],
    }),
  );
  server.registerPrompt(
    'test_prompt_with_embedded_resource',
    { description: 'A prompt embedding a resource.', argsSchema: z.object({ resourceUri: z.string() }) },
    async ({ resourceUri }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'resource',
            resource: {
              uri: resourceUri,
              mimeType: 'text/plain',
              text: 'Embedded resource content for testing.',
            },
          },
        },
        { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
      ],
    }),
  );
  server.registerPrompt('test_prompt_with_image', { description: 'A prompt with an image.' }, async () => ({
    messages: [
      { role: 'user', content: { type: 'image', data: PNG, mimeType: 'image/png' } },
      { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
    ],
  }));
}

/** Adds the conformance fixtures to one server instance. */
export function addConformanceFixtures(server: McpServer, requestState: RequestStateCodec<unknown>): void {
  server.server.registerCapabilities({ logging: {}, completions: {}, resources: { subscribe: true } });
  registerTools(server);
  registerAskingTools(server);
  registerResources(server);
  registerPrompts(server);
  addInputRequiredFixtures(server, requestState);
  // Our prompts never change at run time: say so, so no client waits for list_changed.
  server.server.registerCapabilities({ prompts: { listChanged: false } });
  server.server.setRequestHandler('resources/subscribe', async () => ({}));
  server.server.setRequestHandler('resources/unsubscribe', async () => ({}));
  server.server.setRequestHandler('logging/setLevel', async () => ({}));
  server.server.setRequestHandler('completion/complete', async () => ({
    completion: { values: [], total: 0, hasMore: false },
  }));
}
