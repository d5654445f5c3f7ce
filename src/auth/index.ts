import type { Logger } from 'pino';
import type { Audit } from '../audit/index.js';
import type { Credential } from '../docspace/credential.js';
import { type AccessTokenClaims, checkAccessToken, createAccessTokenSealer } from '../oauth/access-token.js';
import { OAuthError } from '../oauth/errors.js';

/**
 * Turns an MCP HTTP request into a DocSpace credential. Our own access tokens are opened and
 * checked locally — integrity, expiry, audience — then the person's current DocSpace token is
 * read from the store (which is also the revocation check), renewed first when it is about to
 * expire. When the operator allows it, a DocSpace API key (`sk-…`) or personal token sent as
 * `Authorization: Bearer …` is used as is; our tokens are recognised by their sealed shape and
 * never passed on. Everything else is a 401 pointing the client to our metadata.
 */
export type AuthOutcome =
  | { ok: true; credential: Credential; principal: { userId?: string; clientId?: string; kind: string } }
  | { ok: false; response: Response };

export interface AuthenticatorDeps {
  publicBaseUrl: string;
  /** Path of the MCP endpoint; default `/mcp`. */
  mcpPath?: string;
  /** Present when OAuth is on: our tokens are accepted and 401s point to our metadata. */
  oauth?: {
    secret: string;
    previousSecrets?: string[];
    /** From `createOAuth`: the DocSpace token behind our token, undefined once revoked. */
    docspaceAccessToken(claims: { gid: string; dsg: string }, refused?: string): Promise<string | undefined>;
  };
  /** `DOCSPACE_REQUEST_AUTHORIZATION_HEADER`: accept DocSpace API keys / tokens as Bearer. */
  acceptDocSpaceBearer?: boolean;
  /** The configured credential, used when a request brings none (single-user deployments). */
  fallback?: Credential;
  logger?: Logger;
  audit?: Audit;
  now?: () => number;
}

export function createAuthenticator(deps: AuthenticatorDeps): (req: Request) => Promise<AuthOutcome> {
  const base = deps.publicBaseUrl.replace(/\/+$/, '');
  const mcpPath = deps.mcpPath ?? '/mcp';
  const audience = `${base}${mcpPath}`;
  const resourceMetadata = `${base}/.well-known/oauth-protected-resource${mcpPath}`;
  const sealer = deps.oauth
    ? createAccessTokenSealer(deps.oauth.secret, deps.oauth.previousSecrets)
    : undefined;
  const now = deps.now ?? Date.now;

  const challenge = (error?: { code: string; description: string }): AuthOutcome => {
    const params = [`resource_metadata="${resourceMetadata}"`];
    if (error)
      params.push(`error="${error.code}"`, `error_description="${error.description.replace(/["\\]/g, '')}"`);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (deps.oauth) headers['www-authenticate'] = `Bearer ${params.join(', ')}`;
    const body = error
      ? { error: error.code, error_description: error.description }
      : {
          error: 'unauthorized',
          error_description: deps.oauth ? 'sign in with OAuth' : 'this server needs DocSpace credentials',
        };
    return { ok: false, response: new Response(JSON.stringify(body), { status: 401, headers }) };
  };

  /** DocSpace could not renew the person's sign-in just now: retry, not sign in again. */
  const unavailable = (description: string): AuthOutcome => ({
    ok: false,
    response: new Response(
      JSON.stringify({ error: 'temporarily_unavailable', error_description: description }),
      {
        status: 503,
        headers: { 'content-type': 'application/json', 'retry-after': '1' },
      },
    ),
  });

  const reject = (reason: string, description: string, claims?: AccessTokenClaims): AuthOutcome => {
    deps.audit?.record({
      event: 'token.rejected',
      outcome: 'failure',
      reason,
      userId: claims?.sub,
      clientId: claims?.cid,
    });
    return challenge({ code: 'invalid_token', description });
  };

  return async (req) => {
    // Preflight carries no credentials by design; CORS answers it before this, never a 401.
    if (req.method === 'OPTIONS') return { ok: false, response: new Response(null, { status: 204 }) };
    const header = req.headers.get('authorization')?.trim();
    if (!header) {
      if (deps.fallback)
        return { ok: true, credential: deps.fallback, principal: { kind: deps.fallback.kind } };
      return challenge();
    }
    const bearer = /^bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    if (!bearer) {
      if (deps.acceptDocSpaceBearer)
        return {
          ok: true,
          credential: { kind: 'authorization', value: header },
          principal: { kind: 'authorization' },
        };
      return challenge({ code: 'invalid_request', description: 'send a Bearer token' });
    }
    if (isSealedShape(bearer)) {
      if (!sealer) return reject('foreign', 'this token was not issued by this server');
      const check = await checkAccessToken(sealer, bearer, audience, now());
      if (!check.ok) {
        const description = {
          malformed: 'the token is invalid or was not issued by this server',
          expired: 'the token expired; refresh it',
          audience: 'the token was issued for another resource',
        }[check.reason];
        return reject(check.reason, description);
      }
      const { claims } = check;
      let docspaceToken: string | undefined;
      try {
        docspaceToken = await deps.oauth?.docspaceAccessToken(claims);
      } catch (error) {
        if (!(error instanceof OAuthError)) throw error;
        if (error.code !== 'invalid_grant') return unavailable(error.message);
        return reject('ended', error.message, claims);
      }
      if (!docspaceToken) return reject('revoked', 'the token was revoked', claims);
      return {
        ok: true,
        credential: {
          kind: 'oauth',
          accessToken: docspaceToken,
          // Another request may renew the person's DocSpace grant while this one runs.
          current: (refused) =>
            deps.oauth?.docspaceAccessToken(claims, refused) ?? Promise.resolve(undefined),
        },
        principal: { userId: claims.sub, clientId: claims.cid, kind: 'oauth' },
      };
    }
    if (deps.acceptDocSpaceBearer) {
      const credential: Credential = bearer.startsWith('sk-')
        ? { kind: 'apiKey', apiKey: bearer }
        : { kind: 'personalToken', token: bearer };
      return { ok: true, credential, principal: { kind: credential.kind } };
    }
    return reject('unknown', 'this server accepts only tokens it issued');
  };
}

/** A JWE compact serialisation (five parts, a header naming `dir`): our tokens, or forgeries of them. */
function isSealedShape(token: string): boolean {
  const parts = token.split('.');
  if (parts.length !== 5) return false;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as { alg?: unknown };
    return typeof header === 'object' && header !== null && 'alg' in header;
  } catch {
    return false;
  }
}
