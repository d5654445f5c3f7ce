import { createHmac, randomBytes } from 'node:crypto';
import type { AuthOutcome } from '../auth/index.js';
import type { Credential } from '../docspace/credential.js';
import { errorResponse } from './errors.js';

export type { AuthOutcome } from '../auth/index.js';
export type Principal = Extract<AuthOutcome, { ok: true }>['principal'];
export type Authenticate = (req: Request, headerCredential?: Credential) => Promise<AuthOutcome>;

/**
 * A stable, non-reversible label for a credential, for rate limits and logs: an HMAC under a
 * server key, so a log reader cannot test guesses (a password, a key) against it offline.
 */
export function credentialLabel(c: Credential, key: string): string {
  const secret =
    c.kind === 'apiKey'
      ? c.apiKey
      : c.kind === 'personalToken'
        ? c.token
        : c.kind === 'oauth'
          ? c.accessToken
          : c.kind === 'authorization'
            ? c.value
            : `${c.username}:${c.password}`;
  return `${c.kind}:${createHmac('sha256', key).update(secret).digest('base64url').slice(0, 16)}`;
}

/**
 * The auth module answers in RFC 6750's shape; on MCP routes the body becomes a JSON-RPC error
 * (status and `WWW-Authenticate`, which clients act on, unchanged).
 */
async function asJsonRpc(res: Response): Promise<Response> {
  let body: { error?: unknown; error_description?: unknown } = {};
  try {
    body = (await res.clone().json()) as typeof body;
  } catch {
    // not JSON: keep the generic message
  }
  const message =
    typeof body.error_description === 'string' ? body.error_description : 'Authentication required.';
  const error = typeof body.error === 'string' ? body.error : undefined;
  const headers = new Headers(res.headers);
  headers.set('content-type', 'application/json');
  headers.delete('content-length');
  return new Response(
    JSON.stringify({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32001, message, ...(error ? { data: { error } } : {}) },
    }),
    { status: res.status, headers },
  );
}

export interface EdgeAuthOptions {
  /** `createAuthenticator` from src/auth: OAuth tokens, DocSpace bearer, the shared credential. */
  inner: Authenticate;
  /** The configured shared credential; requests using it share no per-principal limit. */
  shared?: Credential;
  /**
   * Key of the credential labels (derived from `DOCSPACE_SECRET` when set, so instances sharing
   * a store agree on them); random per process without one.
   */
  labelKey?: string;
}

/**
 * The auth module decides (credential headers `X-Mcp-Api-Key`, …, parsed by
 * `readRequestOptions`, go through the same switch as `Authorization`). Every principal gets a
 * key for per-principal rate limits: the user (OAuth) or a hash of the credential a request
 * brought; requests on the shared credential get none.
 */
export function createEdgeAuthenticator(opts: EdgeAuthOptions) {
  const labelKey = opts.labelKey ? `credential-label:${opts.labelKey}` : randomBytes(32).toString('hex');
  return async (req: Request, headerCredential: Credential | undefined): Promise<AuthOutcome> => {
    if (headerCredential && req.headers.get('authorization')) {
      return {
        ok: false,
        response: errorResponse(
          'jsonrpc',
          400,
          'Send either an Authorization header or credential headers, not both.',
        ),
      };
    }
    const outcome = await opts.inner(req, headerCredential);
    if (!outcome.ok) return { ok: false, response: await asJsonRpc(outcome.response) };
    if (outcome.credential === opts.shared)
      return { ...outcome, principal: { ...outcome.principal, kind: 'shared' } };
    if (!outcome.principal.userId && !outcome.principal.clientId) {
      return {
        ...outcome,
        principal: { ...outcome.principal, userId: credentialLabel(outcome.credential, labelKey) },
      };
    }
    return outcome;
  };
}
