import { randomUUID } from 'node:crypto';
import {
  type CallToolResult,
  type InputRequiredResult,
  inputRequired,
  inputResponse,
  type ServerContext,
} from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { DocSpaceError } from '../docspace/errors.js';
import type { DocSpaceClient } from '../docspace/index.js';
import { describeIssues } from '../tools/schema.js';
import { type AnyToolRecord, type ToolContext, ToolInputError } from '../tools/types.js';

/** What a tool call needs from the per-request server, besides the MCP context. */
export interface CallEnv {
  /** Set when the server cannot act for this request (missing credential, bad config). */
  configError?: string;
  /** Creates (once per request) the DocSpace client for the caller's credential. */
  client: () => DocSpaceClient;
  baseUrl: string;
  confirmDestructive: boolean;
  maxInlineBytes: number;
  /** Whether the client declared form elicitation (either era). */
  canElicit: (ctx: ServerContext) => boolean;
  logger?: Logger;
  requestId?: string;
}

export function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

const CONFIRM_KEY = 'confirm';
const CONFIRM_SCHEMA = {
  type: 'object' as const,
  properties: {
    confirm: {
      type: 'boolean' as const,
      title: 'Go ahead',
      description: 'Tick to confirm; leave unticked to cancel.',
    },
  },
  required: ['confirm'],
};

/**
 * Destructive tools ask the person first (MRTR `input_required`; the SDK's legacy shim turns it
 * into `elicitation/create` on 2025 sessions). Returns the result to send instead of acting,
 * or undefined to go ahead. A model cannot answer this itself: the answer comes from the client.
 */
function confirmation(record: AnyToolRecord, args: unknown, ctx: ServerContext, env: CallEnv) {
  if (!record.confirm || !env.confirmDestructive || !env.canElicit(ctx)) return undefined;
  const question = record.confirm(args as never);
  if (question === undefined) return undefined;
  const view = inputResponse(ctx.mcpReq.inputResponses, CONFIRM_KEY);
  if (view.kind === 'elicit') {
    if (view.action === 'accept' && view.content?.confirm === true) return undefined;
    return errorResult(`Not done: the person did not confirm. Nothing was changed by ${record.name}.`);
  }
  return inputRequired({
    inputRequests: {
      [CONFIRM_KEY]: inputRequired.elicit({ message: question, requestedSchema: CONFIRM_SCHEMA }),
    },
  });
}

function progressReporter(ctx: ServerContext): ToolContext['progress'] {
  const token = ctx.mcpReq._meta?.progressToken;
  if (token === undefined) return async () => {};
  let last = -1;
  return async (progress, total, message) => {
    if (progress <= last) return;
    last = progress;
    try {
      await ctx.mcpReq.notify({
        method: 'notifications/progress',
        params: { progressToken: token, progress, total, message },
      });
    } catch {
      // A client that went away cannot be told; the operation itself goes on.
    }
  };
}

/** Turns a thrown error into the result the model sees; bugs are logged with a reference id. */
export function failureResult(
  record: { name: string },
  error: unknown,
  env: Pick<CallEnv, 'logger' | 'requestId'>,
): CallToolResult {
  if (error instanceof DocSpaceError) {
    if (error.code === 'aborted') return errorResult('Cancelled before DocSpace answered.');
    return errorResult(error.message);
  }
  if (error instanceof ToolInputError) return errorResult(error.message);
  if (error instanceof ZodError) return errorResult(describeIssues(error));
  if (error instanceof Error && error.name === 'AbortError') return errorResult('Cancelled.');
  const ref = randomUUID().slice(0, 8);
  env.logger?.error(
    { err: error, ref, tool: record.name, requestId: env.requestId },
    'tool failed unexpectedly',
  );
  return errorResult(
    `${record.name} failed unexpectedly (reference ${ref}). This is a fault in docspace-mcp, not in the request; the reference is in the server log.`,
  );
}

/** Runs one tool call: config check, confirmation, handler, result shaping, error mapping. */
export async function runTool(
  record: AnyToolRecord,
  args: unknown,
  ctx: ServerContext,
  env: CallEnv,
): Promise<CallToolResult | InputRequiredResult> {
  if (env.configError) return errorResult(env.configError);
  const gate = confirmation(record, args, ctx, env);
  if (gate) return gate;
  try {
    const toolCtx: ToolContext = {
      client: env.client(),
      signal: ctx.mcpReq.signal,
      baseUrl: env.baseUrl,
      progress: progressReporter(ctx),
      maxInlineBytes: env.maxInlineBytes,
    };
    const out = await record.handler(args as never, toolCtx);
    return {
      content: [{ type: 'text', text: out.text }, ...(out.extra ?? [])],
      structuredContent: out.data as Record<string, unknown>,
    };
  } catch (error) {
    return failureResult(record, error, env);
  }
}
