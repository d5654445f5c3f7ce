import type { Logger } from 'pino';
import type { Audit } from '../audit/index.js';
import type { Credential } from '../docspace/credential.js';
import type { Verdict } from './credential-check.js';
import type { ConnectionAccess } from '../mcp/access.js';
import type { AccessLevel } from '../oauth/access-level.js';
import { type AccessTokenClaims, checkAccessToken, createAccessTokenSealer } from '../oauth/access-token.js';
import { OAuthError } from '../oauth/errors.js';
import { AuthError } from './errors.js';
import type { PersonalTokens } from '../oauth/personal-tokens.js';
import { isSealedShape } from '../oauth/seal.js';

/**
 * Turns an MCP HTTP request into a DocSpace credential. Our own access tokens are opened and
 * checked locally — integrity, expiry, audience — then the person's current DocSpace token is
 * read from the store (which is also the revocation check), renewed first when it is about to
 * expire; no call to DocSpace otherwise. Only when the operator allows it
 * (`acceptDocSpaceCredentials`, one switch for every path) is a DocSpace credential a client
 * brings used: an API key (`sk-…`) or token as `Authorization: Bearer …`, another
 * `Authorization` value, or the `X-Mcp-*` credential headers. Our tokens are recognised by their
 * sealed shape and never passed on, with or without the Bearer scheme. Everything else is an
 * `AuthError`: a 401 pointing the client to our metadata, which the HTTP edge answers in the
 * route's protocol.
 */
/** Who is calling, for logs and limits (never a token). */
type Principal = { userId?: string; clientId?: string; kind: string; access?: AccessLevel };

export type Authenticated = {
  credential: Credential;
  principal: Principal;
  /** The access level the person gave this connection or token; undefined: no narrowing. */
  access?: ConnectionAccess;
};

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
    /** Personal access tokens (`src/oauth/personal-tokens.ts`), checked like our access tokens. */
    personalTokens?: Pick<PersonalTokens, 'recognises' | 'authenticate'>;
    /**
     * The same, with the connection's current access level from the same store read; when
     * given, requests use it (the level is then checked on every request).
     */
    connection?(claims: {
      gid: string;
      dsg: string;
    }): Promise<{ accessToken: string; access: AccessLevel } | undefined>;
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
 * Throws `AuthError` when the request is refused.
 */
export type Authenticator = (req: Request, headerCredential?: Credential) => Promise<Authenticated>;

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
  /** The 401, its `WWW-Authenticate` pointing to our metadata (RFC 9728) when OAuth is on. */
  const challenge = (error?: {
    code: 'invalid_token' | 'invalid_request';
    description: string;
  }): AuthError => {
    const params = deps.oauth ? [`resource_metadata="${resourceMetadata}"`] : [];
    if (error)
      params.push(`error="${error.code}"`, `error_description="${error.description.replace(/["\\]/g, '')}"`);
    const headers: Record<string, string> = {};
    if (params.length > 0) headers['www-authenticate'] = `Bearer ${params.join(', ')}`;
    if (error) return new AuthError(error.code, error.description, headers);
    const description = deps.oauth ? 'sign in with OAuth' : 'this server needs DocSpace credentials';
    return new AuthError('unauthorized', description, headers);
  };

  /** DocSpace could not renew the person's sign-in just now: retry, not sign in again. */
  const unavailable = (description: string): AuthError =>
    new AuthError('temporarily_unavailable', description, { 'retry-after': '1' });

  const reject = (reason: string, description: string, claims?: AccessTokenClaims): AuthError => {
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
  const fromClient = async (credential: Credential, principal: Principal): Promise<Authenticated> => {
    if (deps.checkCredential && (await deps.checkCredential(credential)) === 'refused')
      throw reject(
        'docspace-refused',
        'DocSpace does not accept this credential (a wrong or revoked API key or token)',
      );
    return { credential, principal };
  };

  return async (req, headerCredential) => {
    const header = req.headers.get('authorization')?.trim();
    if (headerCredential) {
      if (!deps.acceptDocSpaceCredentials) throw reject('docspace-credential', onlyOurs);
      return fromClient(headerCredential, { kind: 'header' });
    }
    if (!header) {
      if (deps.fallback) return { credential: deps.fallback, principal: { kind: deps.fallback.kind } };
      throw challenge();
    }
    const bearer = /^bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    if (!bearer) {
      // Our token under another scheme (or none) is still ours: never a DocSpace credential.
      if (header.split(/\s+/).some(isSealedShape))
        throw reject('scheme', "send this server's token as Authorization: Bearer <token>");
      if (deps.acceptDocSpaceCredentials)
        return fromClient({ kind: 'authorization', value: header }, { kind: 'authorization' });
      if (deps.oauth) throw reject('docspace-credential', onlyOurs);
      throw challenge({ code: 'invalid_request', description: 'send a Bearer token' });
    }
    const personal = deps.oauth?.personalTokens;
    if (personal?.recognises(bearer)) {
      const use = await personal.authenticate(bearer, audience);
      if (!use.ok) {
        if (use.reason === 'unavailable') throw unavailable(use.description);
        throw reject(use.reason === 'off' ? 'personal-token-off' : use.reason, use.description);
      }
      return {
        credential: { kind: 'oauth', accessToken: use.docspaceToken, current: use.current },
        principal: { userId: use.userId, clientId: `pat:${use.tokenId}`, kind: 'pat', access: use.access },
        access: { level: use.access, manageUrl: `${base}/connections`, personalToken: true },
      };
    }
    if (isSealedShape(bearer)) {
      if (!sealer) throw reject('foreign', 'this token was not issued by this server');
      const check = await checkAccessToken(sealer, bearer, audience, now());
      if (!check.ok) {
        const description = {
          malformed: 'the token is invalid or was not issued by this server',
          expired: 'the token expired; refresh it',
          audience: 'the token was issued for another resource',
        }[check.reason];
        throw reject(check.reason, description);
      }
      const { claims } = check;
      let docspaceToken: string | undefined;
      let level: AccessLevel | undefined;
      try {
        if (deps.oauth?.connection) {
          const found = await deps.oauth.connection(claims);
          docspaceToken = found?.accessToken;
          level = found?.access;
        } else docspaceToken = await deps.oauth?.docspaceAccessToken(claims);
      } catch (error) {
        if (!(error instanceof OAuthError)) throw error;
        if (error.code !== 'invalid_grant') throw unavailable(error.message);
        throw reject('ended', error.message, claims);
      }
      if (!docspaceToken) throw reject('revoked', 'the token was revoked', claims);
      return {
        credential: {
          kind: 'oauth',
          accessToken: docspaceToken,
          // Another request may renew the person's DocSpace grant while this one runs.
          current: (refused) =>
            deps.oauth?.docspaceAccessToken(claims, refused) ?? Promise.resolve(undefined),
        },
        principal: { userId: claims.sub, clientId: claims.cid, kind: 'oauth' },
        ...(level ? { access: { level, manageUrl: `${base}/connections` } } : {}),
      };
    }
    if (deps.acceptDocSpaceCredentials) {
      const credential: Credential = bearer.startsWith('sk-')
        ? { kind: 'apiKey', apiKey: bearer }
        : { kind: 'personalToken', token: bearer };
      return fromClient(credential, { kind: credential.kind });
    }
    throw reject('docspace-credential', onlyOurs);
  };
}
