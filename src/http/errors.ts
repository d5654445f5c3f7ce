import { AuthError } from '../auth/errors.js';
import { AppError } from '../errors.js';

/**
 * Error bodies in the shape each protocol expects: JSON-RPC for MCP routes, RFC 6749 for
 * OAuth routes, a small `{error, message}` object elsewhere.
 */

export type ErrorShape = 'jsonrpc' | 'oauth' | 'plain';

/** JSON-RPC codes the HTTP edge uses before any MCP server sees the request. */
export const RPC = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  /** Implementation-defined server error (rate limit, forbidden host, timeout). */
  serverError: -32000,
  /** Authentication required or refused; also "no such session" (the SDK's use of it). */
  unauthorized: -32001,
} as const;

/**
 * A request the HTTP edge refuses (too large, not JSON, no such session, timed out…): thrown
 * where it is found, answered by the app's error handler in the route's shape. `rpcCode` is its
 * JSON-RPC code on MCP routes; `id` the JSON-RPC request it answers, when one was read.
 */
export class HttpError extends AppError {
  readonly rpcCode: number;
  readonly id: unknown;
  constructor(
    status: number,
    code: string,
    message: string,
    opts: { rpcCode?: number; headers?: Record<string, string>; id?: unknown } = {},
  ) {
    super(code, message, { status, headers: opts.headers, expose: true });
    this.rpcCode = opts.rpcCode ?? RPC.serverError;
    this.id = opts.id ?? null;
  }
}

const OAUTH_CODE: Record<number, string> = {
  400: 'invalid_request',
  401: 'invalid_client',
  403: 'access_denied',
  404: 'invalid_request',
  405: 'invalid_request',
  413: 'invalid_request',
  // RFC 6749 §5.2 has no rate-limit code (`slow_down` is the device flow's). invalid_request with
  // Retry-After makes clients wait and keep their tokens (invalid_grant would make them drop them).
  429: 'invalid_request',
  503: 'temporarily_unavailable',
  504: 'temporarily_unavailable',
};

export function shapeForPath(path: string): ErrorShape {
  if (path === '/mcp' || path === '/sse' || path === '/messages') return 'jsonrpc';
  if (path.startsWith('/oauth/') || path.startsWith('/.well-known/')) return 'oauth';
  return 'plain';
}

/** A JSON error response in the shape the route's protocol expects. */
export function errorResponse(
  shape: ErrorShape,
  status: number,
  message: string,
  opts: { code?: number; headers?: Record<string, string> } = {},
): Response {
  let body: unknown;
  if (shape === 'jsonrpc') {
    body = { jsonrpc: '2.0', id: null, error: { code: opts.code ?? RPC.serverError, message } };
  } else if (shape === 'oauth') {
    body = { error: OAUTH_CODE[status] ?? 'server_error', error_description: message };
  } else {
    body = { error: status >= 500 ? 'server_error' : 'request_error', message };
  }
  return json(body, status, opts.headers);
}

function json(body: unknown, status: number, headers: Readonly<Record<string, string>> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/**
 * The answer to an exposed `AppError` in the route's shape. A refused credential keeps its
 * RFC 6750 code: in the JSON-RPC error's `data` on MCP routes, as the OAuth error elsewhere;
 * its status and `WWW-Authenticate`, which clients act on, are the same in every shape.
 */
export function appErrorResponse(shape: ErrorShape, err: AppError): Response {
  if (err instanceof AuthError) {
    const body =
      shape === 'jsonrpc'
        ? {
            jsonrpc: '2.0',
            id: null,
            error: { code: RPC.unauthorized, message: err.message, data: { error: err.code } },
          }
        : { error: err.code, error_description: err.message };
    return json(body, err.httpStatus, err.headers);
  }
  if (shape === 'jsonrpc') {
    // A request the client got wrong is an Invalid Request unless the thrower said otherwise.
    const code =
      err instanceof HttpError ? err.rpcCode : err.httpStatus === 400 ? RPC.invalidRequest : RPC.serverError;
    const id = err instanceof HttpError ? err.id : null;
    return json({ jsonrpc: '2.0', id, error: { code, message: err.message } }, err.httpStatus, err.headers);
  }
  return errorResponse(shape, err.httpStatus, err.message, { headers: { ...err.headers } });
}
