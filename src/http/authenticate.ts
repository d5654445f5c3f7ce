import { createHash } from 'node:crypto';
import type { AuthOutcome } from '../auth/index.js';
import type { Credential } from '../docspace/credential.js';
import { errorResponse } from './errors.js';

export type { AuthOutcome } from '../auth/index.js';
export type Principal = Extract<AuthOutcome, { ok: true }>['principal'];
export type Authenticate = (req: Request) => Promise<AuthOutcome>;

/** A stable, non-reversible label for a credential, for rate limits and logs. */
export function credentialLabel(c: Credential): string {
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
  return `${c.kind}:${createHash('sha256').update(secret).digest('base64url').slice(0, 16)}`;
}

export interface EdgeAuthOptions {
  /** `createAuthenticator` from src/auth: OAuth tokens, DocSpace bearer, the shared credential. */
  inner: Authenticate;
  /** The configured shared credential; requests using it share no per-principal limit. */
  shared?: Credential;
}

/**
 * Credential headers (`X-Mcp-Api-Key`, …, parsed by `readRequestOptions`) first, then the auth
 * module. Every principal gets a key for per-principal rate limits: the user (OAuth) or a hash
 * of the credential a request brought; requests on the shared credential get none.
 */
export function createEdgeAuthenticator(opts: EdgeAuthOptions) {
  return async (req: Request, headerCredential: Credential | undefined): Promise<AuthOutcome> => {
    if (headerCredential) {
      if (req.headers.get('authorization')) {
        return {
          ok: false,
          response: errorResponse(
            'jsonrpc',
            400,
            'Send either an Authorization header or credential headers, not both.',
          ),
        };
      }
      return {
        ok: true,
        credential: headerCredential,
        principal: { kind: 'header', userId: credentialLabel(headerCredential) },
      };
    }
    const outcome = await opts.inner(req);
    if (!outcome.ok) return outcome;
    if (outcome.credential === opts.shared)
      return { ...outcome, principal: { ...outcome.principal, kind: 'shared' } };
    if (!outcome.principal.userId && !outcome.principal.clientId) {
      return { ...outcome, principal: { ...outcome.principal, userId: credentialLabel(outcome.credential) } };
    }
    return outcome;
  };
}
