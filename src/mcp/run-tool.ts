import { randomUUID } from 'node:crypto';
import {
  type CallToolResult,
  type InputRequiredResult,
  inputRequired,
  inputResponse,
  isInputRequiredResult,
  type ServerContext,
} from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { DocSpaceError } from '../docspace/errors.js';
import type { DocSpaceClient } from '../docspace/index.js';
import { fromReference } from '../tools/compat.js';
import { describeIssues } from '../tools/schema.js';
import { type Touched, touchedBy } from '../tools/touched.js';
import { type AnyToolRecord, CONFIRM_ARG, type ToolContext, ToolInputError } from '../tools/types.js';
import { CONFIRM_TTL_SECONDS, type ConfirmCodes } from './confirm-token.js';

/** What a tool call needs from the per-request server, besides the MCP context. */
export interface CallEnv {
  /** Set when the server cannot act for this request (missing credential, bad config). */
  configError?: string;
  /**
   * Asked at every call: the sentence refusing a tool the connection's access level withholds
   * (it can change while a session lives), or undefined to go on.
   */
  withheld?: (tool: AnyToolRecord) => string | undefined;
  /** Creates (once per request) the DocSpace client for the caller's credential. */
  client: () => DocSpaceClient;
  baseUrl: string;
  confirmDestructive: boolean;
  maxInlineBytes: number;
  /** Whether the client declared form elicitation (either era). */
  canElicit: (ctx: ServerContext) => boolean;
  /** Codes for the two-step confirmation of clients that cannot be asked. */
  confirmCodes: ConfirmCodes;
  /** Who is calling (a confirmation code fits only its caller); empty for a shared credential. */
  caller: string;
  logger?: Logger;
  requestId?: string;
  /**
   * Told once per tool call how it ended: `ok`, `cancelled`, `input_required`, or an error code
   * (a DocSpace code such as `forbidden`, a tool's input code, `invalid_arguments`, `internal`…).
   * The set is fixed by the code, so it is safe as a metrics label. `ref` names a logged bug.
   */
  observe?: (call: CallOutcome) => void;
}

export interface CallOutcome {
  tool: string;
  outcome: string;
  durationMs: number;
  ref?: string;
  /** Ids and titles the call touched (never content), once its arguments were valid. */
  touched?: Touched[];
}

/** Tells the observer how a call ended; an observer that throws must not change the result. */
export function report(env: Pick<CallEnv, 'observe' | 'logger'>, call: CallOutcome): void {
  try {
    env.observe?.(call);
  } catch (err) {
    env.logger?.warn({ err, tool: call.tool }, 'tool call observer failed');
  }
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
 *
 * A client that cannot show a question (no form elicitation declared, or a 2025 client over
 * stateless HTTP, where a fresh instance never learns its capabilities) gets two steps instead:
 * the first call changes nothing and returns the question with a code bound to the tool, these
 * exact arguments and the caller, valid for a few minutes; the call goes ahead only when made
 * again with that code in `confirm`. The model is told to ask the person before relaying it.
 */
function confirmation(record: AnyToolRecord, args: unknown, code: unknown, ctx: ServerContext, env: CallEnv) {
  if (!record.confirm || !env.confirmDestructive) return undefined;
  const question = record.confirm(args as never);
  if (question === undefined) return undefined;
  if (!env.canElicit(ctx)) return confirmByCall(record.name, question, args, code, env);
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

function confirmByCall(
  tool: string,
  question: string,
  bound: unknown,
  code: unknown,
  env: CallEnv,
): CallToolResult | undefined {
  if (typeof code === 'string' && env.confirmCodes.check(tool, bound, env.caller, code)) return undefined;
  const fresh = env.confirmCodes.issue(tool, bound, env.caller);
  const minutes = Math.round(CONFIRM_TTL_SECONDS / 60);
  const why =
    code === undefined
      ? 'Not done yet: this needs the person’s confirmation, and this client cannot show them a question.'
      : 'Not done: that confirmation code does not fit this call (it is for the same tool and the exact same arguments, from the same person, and lasts a few minutes).';
  return errorResult(
    `${why} Nothing was changed by ${tool}. Ask the person: "${question}" Only if they say yes, call ${tool} again with the same arguments and "${CONFIRM_ARG}": "${fresh}" (good for ${minutes} minutes, for these arguments only).`,
  );
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

interface Failure {
  result: CallToolResult;
  outcome: string;
  ref?: string;
}

/** Maps a thrown error to the result the model sees and an outcome code; bugs are logged. */
function describeFailure(
  record: { name: string },
  error: unknown,
  env: Pick<CallEnv, 'logger' | 'requestId'>,
): Failure {
  if (error instanceof DocSpaceError) {
    if (error.code === 'aborted')
      return { result: errorResult('Cancelled before DocSpace answered.'), outcome: 'cancelled' };
    return { result: errorResult(error.message), outcome: error.code };
  }
  if (error instanceof ToolInputError) return { result: errorResult(error.message), outcome: error.code };
  if (error instanceof ZodError)
    return { result: errorResult(describeIssues(error)), outcome: 'invalid_arguments' };
  if (error instanceof Error && error.name === 'AbortError')
    return { result: errorResult('Cancelled.'), outcome: 'cancelled' };
  const ref = randomUUID().slice(0, 8);
  env.logger?.error(
    { err: error, ref, tool: record.name, requestId: env.requestId },
    'tool failed unexpectedly',
  );
  return {
    result: errorResult(
      `${record.name} failed unexpectedly (reference ${ref}). This is a fault in docspace-mcp, not in the request; the reference is in the server log.`,
    ),
    outcome: 'internal',
    ref,
  };
}

/** Turns a thrown error into the result the model sees; bugs are logged with a reference id. */
export function failureResult(
  record: { name: string },
  error: unknown,
  env: Pick<CallEnv, 'logger' | 'requestId'>,
): CallToolResult {
  return describeFailure(record, error, env).result;
}

/**
 * Runs one tool call: argument check, config check, confirmation, handler, result shaping,
 * error mapping, and one report to `env.observe`. Arguments arrive unvalidated (the SDK passes
 * them through, see `lenientInput`) so that a bad call is reported and worded like any other.
 */
export async function runTool(
  record: AnyToolRecord,
  rawArgs: unknown,
  ctx: ServerContext,
  env: CallEnv,
): Promise<CallToolResult | InputRequiredResult> {
  const started = performance.now();
  const { result, outcome, ref, args } = await attempt(record, rawArgs, ctx, env);
  const durationMs = performance.now() - started;
  const touched = args === undefined ? undefined : touchedBy(args, result.structuredContent);
  report(env, { tool: record.name, outcome, durationMs, ref, ...(touched?.length ? { touched } : {}) });
  return result;
}

async function attempt(
  record: AnyToolRecord,
  rawArgs: unknown,
  ctx: ServerContext,
  env: CallEnv,
): Promise<{ result: CallToolResult | InputRequiredResult; outcome: string; ref?: string; args?: unknown }> {
  if (env.configError) return { result: errorResult(env.configError), outcome: 'not_configured' };
  const withheld = env.withheld?.(record);
  if (withheld) return { result: errorResult(withheld), outcome: 'access_withheld' };
  // The two-step confirmation code rides beside the tool's own arguments.
  let code: unknown;
  let given = rawArgs ?? {};
  if (record.confirm && typeof given === 'object' && given !== null && CONFIRM_ARG in given) {
    ({ [CONFIRM_ARG]: code, ...given } = given as Record<string, unknown>);
  }
  let input: unknown;
  try {
    input = fromReference(record.name, given);
  } catch (error) {
    return describeFailure(record, error, env);
  }
  const parsed = record.input.safeParse(input);
  if (!parsed.success) {
    const accepted = Object.keys(record.input.shape);
    return { result: errorResult(describeIssues(parsed.error, accepted)), outcome: 'invalid_arguments' };
  }
  const args = parsed.data;
  const gate = confirmation(record, args, code, ctx, env);
  if (gate) {
    return { result: gate, outcome: isInputRequiredResult(gate) ? 'input_required' : 'not_confirmed', args };
  }
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
      result: {
        content: [{ type: 'text', text: out.text }, ...(out.extra ?? [])],
        structuredContent: out.data as Record<string, unknown>,
      },
      outcome: 'ok',
      args,
    };
  } catch (error) {
    return { ...describeFailure(record, error, env), args };
  }
}
