import type { Context } from 'hono';
import type { AuthOutcome } from '../http/authenticate.js';
import type { HttpEnv } from '../http/env.js';
import { errorResponse, RPC } from '../http/errors.js';
import {
  type RequestOptions,
  type RequestOptionsConfig,
  RequestOptionsError,
  readRequestOptions,
} from '../http/request-options.js';
import type { AccessLevel } from '../oauth/access-level.js';
import { narrowSelection, type ToolSelection } from '../tools/selection.js';
import type { ServerRequest } from './server.js';

/** What both HTTP transports need to let an MCP request in. */
export interface AdmitDeps {
  /** The server's own tool selection; requests can only narrow it. */
  selection: ToolSelection;
  authenticate: (req: Request, headerCredential: ServerRequest['credential']) => Promise<AuthOutcome>;
  options: RequestOptionsConfig;
}

export type Admitted = Extract<AuthOutcome, { ok: true }> & { options: RequestOptions };

const isJson = (req: Request) => /^application\/json\s*(;|$)/i.test(req.headers.get('content-type') ?? '');

/** 415 unless the body is declared JSON; undefined when it is. */
export function requireJson(req: Request): Response | undefined {
  if (isJson(req)) return undefined;
  return errorResponse('jsonrpc', 415, 'Content-Type must be application/json.', {
    code: RPC.invalidRequest,
  });
}

/**
 * Reads the per-request options (credential headers, tool narrowing) and authenticates the
 * request; records the principal for the request log. A refusal is a ready JSON-RPC response.
 */
export async function admit(
  c: Context<HttpEnv>,
  deps: AdmitDeps,
  overrides: Partial<RequestOptionsConfig> = {},
): Promise<Admitted | { ok: false; response: Response }> {
  const raw = c.req.raw;
  let options: RequestOptions;
  try {
    options = readRequestOptions(raw, { ...deps.options, ...overrides });
  } catch (err) {
    if (err instanceof RequestOptionsError)
      return {
        ok: false,
        response: errorResponse('jsonrpc', 400, err.message, { code: RPC.invalidRequest }),
      };
    throw err;
  }
  const auth = await deps.authenticate(raw, options.credential);
  if (!auth.ok) return auth;
  c.set('principal', auth.principal);
  return { ...auth, options: withAccessCeiling(options, auth.principal.access) };
}

/**
 * The token's own ceiling (a personal token made Read only): it lists and calls only read-only
 * tools, whatever the request asks; the server's selection stays the outer ceiling.
 */
export function withAccessCeiling(options: RequestOptions, access: AccessLevel | undefined): RequestOptions {
  return access === 'read' ? { ...options, selection: { ...options.selection, readOnly: true } } : options;
}

/** The server's selection narrowed by the request's options, or a 400 saying why not. */
export function selectionFor(
  deps: Pick<AdmitDeps, 'selection'>,
  options: RequestOptions,
): ToolSelection | Response {
  if (Object.keys(options.selection).length === 0) return deps.selection;
  const narrowed = narrowSelection(deps.selection, options.selection);
  if ('error' in narrowed) return errorResponse('jsonrpc', 400, narrowed.error, { code: RPC.invalidRequest });
  return narrowed;
}
