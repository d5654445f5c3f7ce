import type { Logger } from 'pino';
import type { Audit } from '../audit/index.js';
import type { Credential } from '../docspace/credential.js';
import type { Verdict } from './credential-check.js';
import { type AccessTokenClaims, checkAccessToken, createAccessTokenSealer } from '../oauth/access-token.js';
import { OAuthError } from '../oauth/errors.js';
import { isSealedShape } from '../oauth/seal.js';

/**
 * Turns an MCP HTTP request into a DocSpace credential. Our own access tokens are opened and
 * checked locally — integrity, expiry, audience — then the person's current DocSpace token is
 * read from the store (which is also the revocation check), renewed first when it is about to
 * expire; no call to DocSpace otherwise. Only when the operator allows it
 * (`acceptDocSpaceCredentials`, one switch for every path) is a DocSpace credential a client
 * brings used: an API key (`sk-…`) or token as `Authorization: Bearer …`, another
 * `Authorization` value, or the `X-Mcp-*` credential headers. Our tokens are recognised by their
 * sealed shape and never passed on, with or without the Bearer scheme. Everything else is a 401
 * pointing the client to our metadata.
 */
/** Who is calling, for logs and limits (never a token). */
type Principal = { userId?: string; clientId?: string; kind: string };

export type AuthOutcome =
  { ok: true; credential: Credential; principal: Principal } | { ok: false; response: Response };

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
  /**
   * `DOCSPACE_REQUEST_AUTHORIZATION_HEADER`: accept DocSpace credentials from clients (API keys
   * and tokens as Bearer, raw `Authorization` values, `X-Mcp-*` credential headers).
   */
  acceptDocSpaceCredentials?: boolean;
  /** The configured credential, used when a request brings none (single-user deployments). */
  fallback?: Credential;
  /**
   * Asks DocSpace (once, remembered briefly) whether it accepts a credential a client brought;
   * a refused one is a 401 here instead of a connection whose every call fails.
   */
  checkCredential?: (credential: Credential) => Promise<Verdict>;
  logger?: Logger;
  audit?: Audit;
  now?: () => number;
}

/**
 * `headerCredential`: a DocSpace credential the request brought in `X-Mcp-*` headers (parsed by
 * the HTTP layer), governed by the same switch as DocSpace credentials in `Authorization`.
 */
export type Authenticator = (req: Request, headerCredential?: Credential) => Promise<AuthOutcome>;

export function createAuthenticator(deps: AuthenticatorDeps): Authenticator {
  const base = deps.publicBaseUrl.replace(/\/+$/, '');
  const mcpPath = deps.mcpPath ?? '/mcp';
  const audience = `${base}${mcpPath}`;
  const resourceMetadata = `${base}/.well-known/oauth-protected-resource${mcpPath}`;
  const sealer = deps.oauth
    ? createAccessTokenSealer(deps.oauth.secret, deps.oauth.previousSecrets)
    : undefined;
  const now = deps.now ?? Date.now;

  // Not the SDK's bearerAuthChallengeResponse: it always names an error (RFC 6750 §3.1: none without credentials) and puts resource_metadata last, as tests pin ours.
  const challenge = (error?: { code: string; description: string }): AuthOutcome => {
    const params = deps.oauth ? [`resource_metadata="${resourceMetadata}"`] : [];
    if (error)
      params.push(`error="${error.code}"`, `error_description="${error.description.replace(/["\\]/g, '')}"`);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (params.length > 0) headers['www-authenticate'] = `Bearer ${params.join(', ')}`;
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

  const onlyOurs = 'this server accepts only tokens it issued';

  /** A DocSpace credential a client brought, unless DocSpace itself refuses it. */
  const fromClient = async (credential: Credential, principal: Principal): Promise<AuthOutcome> => {
    if (deps.checkCredential && (await deps.checkCredential(credential)) === 'refused')
      return reject(
        'docspace-refused',
        'DocSpace does not accept this credential (a wrong or revoked API key or token)',
      );
    return { ok: true, credential, principal };
  };

  return async (req, headerCredential) => {
    // Preflight carries no credentials by design; CORS answers it before this, never a 401.
    if (req.method === 'OPTIONS') return { ok: false, response: new Response(null, { status: 204 }) };
    const header = req.headers.get('authorization')?.trim();
    if (headerCredential) {
      if (!deps.acceptDocSpaceCredentials) return reject('docspace-credential', onlyOurs);
      return fromClient(headerCredential, { kind: 'header' });
    }
    if (!header) {
      if (deps.fallback)
        return { ok: true, credential: deps.fallback, principal: { kind: deps.fallback.kind } };
      return challenge();
    }
    const bearer = /^bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    if (!bearer) {
      // Our token under another scheme (or none) is still ours: never a DocSpace credential.
      if (header.split(/\s+/).some(isSealedShape))
        return reject('scheme', "send this server's token as Authorization: Bearer <token>");
      if (deps.acceptDocSpaceCredentials)
        return fromClient({ kind: 'authorization', value: header }, { kind: 'authorization' });
      if (deps.oauth) return reject('docspace-credential', onlyOurs);
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
    if (deps.acceptDocSpaceCredentials) {
      const credential: Credential = bearer.startsWith('sk-')
        ? { kind: 'apiKey', apiKey: bearer }
        : { kind: 'personalToken', token: bearer };
      return fromClient(credential, { kind: credential.kind });
    }
    return reject('docspace-credential', onlyOurs);
  };
}
