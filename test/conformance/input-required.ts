import {
  CLIENT_CAPABILITIES_META_KEY,
  inputRequired,
  type McpServer,
  type RequestStateCodec,
  type ServerContext,
} from '@modelcontextprotocol/server';

/**
 * Multi-round-trip (input_required, SEP-2322) fixtures the 2026-07-28 conformance scenarios call
 * by name. Request state is HMAC-signed, as the spec requires of state a server relies on.
 */

/** The production codec (src/mcp/request-state.ts); the server verifies before handlers run. */
let codec: RequestStateCodec<unknown> | undefined;

function sign(payload: string): Promise<string> {
  if (!codec) throw new Error('addInputRequiredFixtures needs the request-state codec');
  return codec.mint(payload);
}

function responses(ctx: ServerContext): Record<string, unknown> {
  return ctx.mcpReq.inputResponses ?? {};
}

/** The verified payload: altered state never reaches a handler (a -32602 error instead). */
function state(ctx: ServerContext): string | undefined {
  const payload = ctx.mcpReq.requestState<unknown>();
  return typeof payload === 'string' ? payload : undefined;
}

const askName = (message = 'What is your name?') =>
  inputRequired.elicit({
    message,
    requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
  });

function nameFrom(value: unknown): string {
  const content = (value as { content?: { name?: unknown } } | undefined)?.content;
  return typeof content?.name === 'string' ? content.name : 'unknown';
}

const text = (t: string) => ({ content: [{ type: 'text' as const, text: t }] });

export function addInputRequiredFixtures(server: McpServer, requestState: RequestStateCodec<unknown>): void {
  codec = requestState;
  server.registerTool(
    'test_input_required_result_elicitation',
    { description: 'Asks for a name, then greets.' },
    async (ctx) => {
      const got = responses(ctx).user_name;
      if (!got) return inputRequired({ inputRequests: { user_name: askName() } });
      return text(`Hello, ${nameFrom(got)}!`);
    },
  );

  server.registerTool(
    'test_input_required_result_sampling',
    { description: 'Asks the client model a question.' },
    async (ctx) => {
      const got = responses(ctx).capital_question as { content?: { text?: string } } | undefined;
      if (!got) {
        return inputRequired({
          inputRequests: {
            capital_question: inputRequired.createMessage({
              messages: [{ role: 'user', content: { type: 'text', text: 'What is the capital of France?' } }],
              maxTokens: 100,
            }),
          },
        });
      }
      return text(`The model answered: ${got.content?.text ?? ''}`);
    },
  );

  server.registerTool(
    'test_input_required_result_list_roots',
    { description: 'Asks for the client roots.' },
    async (ctx) => {
      const got = responses(ctx).client_roots as { roots?: { uri: string }[] } | undefined;
      if (!got) return inputRequired({ inputRequests: { client_roots: inputRequired.listRoots() } });
      return text(`Roots: ${(got.roots ?? []).map((r) => r.uri).join(', ')}`);
    },
  );

  server.registerTool(
    'test_input_required_result_request_state',
    { description: 'Round-trips signed state.' },
    async (ctx) => {
      const got = responses(ctx).confirm;
      if (!got) {
        return inputRequired({
          inputRequests: {
            confirm: inputRequired.elicit({
              message: 'Please confirm',
              requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
            }),
          },
          requestState: await sign('request-state-round-1'),
        });
      }
      return state(ctx) === 'request-state-round-1' ? text('state-ok') : text('state-missing');
    },
  );

  server.registerTool(
    'test_input_required_result_multiple_inputs',
    { description: 'Asks three things at once.' },
    async (ctx) => {
      const r = responses(ctx);
      if (!r.user_name || !r.greeting || !r.client_roots) {
        return inputRequired({
          inputRequests: {
            user_name: askName(),
            greeting: inputRequired.createMessage({
              messages: [{ role: 'user', content: { type: 'text', text: 'Generate a greeting' } }],
              maxTokens: 50,
            }),
            client_roots: inputRequired.listRoots(),
          },
          requestState: await sign('multiple'),
        });
      }
      state(ctx);
      return text(`Got all inputs for ${nameFrom(r.user_name)}.`);
    },
  );

  server.registerTool(
    'test_input_required_result_multi_round',
    { description: 'Asks two questions in turn.' },
    async (ctx) => {
      const r = responses(ctx);
      const round = state(ctx);
      if (round === 'round-1' && r.step1) {
        return inputRequired({
          inputRequests: {
            step2: inputRequired.elicit({
              message: 'Step 2: What is your favorite color?',
              requestedSchema: {
                type: 'object',
                properties: { color: { type: 'string' } },
                required: ['color'],
              },
            }),
          },
          requestState: await sign(`round-2:${nameFrom(r.step1)}`),
        });
      }
      if (round?.startsWith('round-2:') && r.step2) {
        const color = (r.step2 as { content?: { color?: string } }).content?.color ?? 'unknown';
        return text(`${round.slice('round-2:'.length)} likes ${color}.`);
      }
      return inputRequired({
        inputRequests: { step1: askName('Step 1: What is your name?') },
        requestState: await sign('round-1'),
      });
    },
  );

  server.registerTool(
    'test_input_required_result_tampered_state',
    { description: 'Rejects altered state.' },
    async (ctx) => {
      const given = state(ctx);
      if (given === undefined) {
        return inputRequired({
          inputRequests: { user_name: askName() },
          requestState: await sign('tamper-check'),
        });
      }
      return text('state-ok');
    },
  );

  server.registerTool(
    'test_input_required_result_capabilities',
    { description: 'Asks only what the client can answer.' },
    async (ctx) => {
      // The envelope keeps the wire keys (`io.modelcontextprotocol/clientCapabilities`).
      const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
      const caps = (envelope?.[CLIENT_CAPABILITIES_META_KEY] ?? {}) as Record<string, unknown>;
      const requests: Parameters<typeof inputRequired>[0]['inputRequests'] = {};
      if (caps.elicitation) requests.user_name = askName();
      if (caps.sampling) {
        requests.greeting = inputRequired.createMessage({
          messages: [{ role: 'user', content: { type: 'text', text: 'Generate a greeting' } }],
          maxTokens: 50,
        });
      }
      if (caps.roots) requests.client_roots = inputRequired.listRoots();
      if (Object.keys(responses(ctx)).length > 0 || Object.keys(requests).length === 0) return text('done');
      return inputRequired({ inputRequests: requests });
    },
  );

  // Diagnostics of the server-stateless scenario. Asking for input the client cannot give makes the
  // SDK answer -32021; a response stream carries notifications and the result, never a request.
  server.registerTool(
    'test_missing_capability',
    { description: 'Needs sampling from the client.' },
    async () =>
      inputRequired({
        inputRequests: {
          answer: inputRequired.createMessage({
            messages: [{ role: 'user', content: { type: 'text', text: 'Say yes' } }],
            maxTokens: 10,
          }),
        },
      }),
  );
  server.registerTool(
    'test_streaming_elicitation',
    { description: 'Streams progress, then asks.' },
    async (ctx) => {
      const progressToken = ctx.mcpReq._meta?.progressToken;
      if (progressToken !== undefined) {
        await ctx.mcpReq.notify({
          method: 'notifications/progress',
          params: { progressToken, progress: 1, total: 2 },
        });
      }
      if (responses(ctx).user_name) return text('done');
      return inputRequired({ inputRequests: { user_name: askName() } });
    },
  );
  server.registerTool(
    'test_logging_tool',
    { description: 'Logs only when the request asks for a level.' },
    async (ctx) => {
      await ctx.mcpReq.log('info', 'test_logging_tool ran');
      return text('logged');
    },
  );

  server.registerPrompt(
    'test_input_required_result_prompt',
    { description: 'Asks for context first.' },
    async (ctx) => {
      const got = responses(ctx).user_context as { content?: { context?: string } } | undefined;
      if (!got) {
        return inputRequired({
          inputRequests: {
            user_context: inputRequired.elicit({
              message: 'What context should the prompt use?',
              requestedSchema: {
                type: 'object',
                properties: { context: { type: 'string' } },
                required: ['context'],
              },
            }),
          },
        });
      }
      return {
        messages: [
          { role: 'user', content: { type: 'text', text: `Context: ${got.content?.context ?? ''}` } },
        ],
      };
    },
  );
}
