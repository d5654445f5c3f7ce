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
  internalError: -32603,
  /** Implementation-defined server error (rate limit, forbidden host, timeout). */
  serverError: -32000,
} as const;

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
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...opts.headers },
  });
}
