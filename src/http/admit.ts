import type { Context } from 'hono';
import type { ServerRequest } from '../mcp/server.js';
import { narrowSelection, type ToolSelection } from '../tools/selection.js';
import type { Authenticated } from './authenticate.js';
import type { HttpEnv } from './env.js';
import { HttpError, RPC } from './errors.js';
import { type RequestOptions, type RequestOptionsConfig, readRequestOptions } from './request-options.js';

/** What both HTTP transports need to let an MCP request in. */
export interface AdmitDeps {
  /** The server's own tool selection; requests can only narrow it. */
  selection: ToolSelection;
  /** Throws `AuthError` (or `HttpError`) when the request is refused. */
  authenticate: (req: Request, headerCredential: ServerRequest['credential']) => Promise<Authenticated>;
  options: RequestOptionsConfig;
}

export type Admitted = Authenticated & { options: RequestOptions };

const isJson = (req: Request) => /^application\/json\s*(;|$)/i.test(req.headers.get('content-type') ?? '');

/** 415 unless the body is declared JSON. */
export function requireJson(req: Request): void {
  if (!isJson(req))
    throw new HttpError(415, 'unsupported_media_type', 'Content-Type must be application/json.', {
      rpcCode: RPC.invalidRequest,
    });
}

/**
 * Reads the per-request options (credential headers, tool narrowing) and authenticates the
 * request; records the principal for the request log. A refusal is thrown (`RequestOptionsError`,
 * `AuthError`) and answered by the app's error handler.
 */
export async function admit(
  c: Context<HttpEnv>,
  deps: AdmitDeps,
  overrides: Partial<RequestOptionsConfig> = {},
): Promise<Admitted> {
  const raw = c.req.raw;
  const options = readRequestOptions(raw, { ...deps.options, ...overrides });
  const auth = await deps.authenticate(raw, options.credential);
  c.set('principal', auth.principal);
  return { ...auth, options };
}

/** The server's selection narrowed by the request's options; throws `SelectionError` (a 400). */
export function selectionFor(deps: Pick<AdmitDeps, 'selection'>, options: RequestOptions): ToolSelection {
  if (Object.keys(options.selection).length === 0) return deps.selection;
  return narrowSelection(deps.selection, options.selection);
}

/** What the MCP layer gets of an admitted request: who it acts as, under which tools (one shape for /mcp, sessions and SSE). */
export function serverRequestFor(
  c: Context<HttpEnv>,
  auth: Authenticated,
  selection: ToolSelection,
  userAgent: string | undefined,
): ServerRequest {
  return {
    credential: auth.credential,
    selection,
    requestId: c.get('requestId'),
    userAgent,
    principal: auth.principal,
    access: auth.access,
  };
}
