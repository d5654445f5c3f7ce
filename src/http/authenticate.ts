import { createHmac, randomBytes } from 'node:crypto';
import type { Authenticated } from '../auth/index.js';
import type { Credential } from '../docspace/credential.js';
import { HttpError } from './errors.js';

export type { Authenticated } from '../auth/index.js';
export type Principal = Authenticated['principal'];
/** Who the request is from; throws `AuthError` (or `HttpError`) when it is refused. */
export type Authenticate = (req: Request, headerCredential?: Credential) => Promise<Authenticated>;

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
 * brought; requests on the shared credential get none. A refusal is thrown (`AuthError` from the
 * auth module, `HttpError` here) and answered once, by the app's error handler.
 */
export function createEdgeAuthenticator(opts: EdgeAuthOptions) {
  const labelKey = opts.labelKey ? `credential-label:${opts.labelKey}` : randomBytes(32).toString('hex');
  return async (req: Request, headerCredential: Credential | undefined): Promise<Authenticated> => {
    if (headerCredential && req.headers.get('authorization')) {
      throw new HttpError(
        400,
        'conflicting_credentials',
        'Send either an Authorization header or credential headers, not both.',
      );
    }
    const outcome = await opts.inner(req, headerCredential);
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
