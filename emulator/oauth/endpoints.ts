// Introspection, revocation, JWKS, userinfo and discovery metadata (reference/docspace-api.md §4.3, §4.8).
import { type Context, Hono } from 'hono';
import { authenticateClient } from './client-auth.js';
import { activeClient, type OAuthContext } from './context.js';
import { bareError, ERROR_URI, invalidClient, NO_STORE, parameterError } from './errors.js';
import type { Authorization } from './state.js';
import { errorResponse, formBody } from './token.js';
import type { AccessClaims } from './tokens.js';

/** The order DocSpace's metadata lists its scopes in. */
const SCOPES_SUPPORTED = [
  'openid',
  'accounts:read',
  'accounts:write',
  'rooms:read',
  'rooms:write',
  'accounts.self:read',
  'accounts.self:write',
  'files:read',
  'files:write',
];

/**
 * An access token that would pass DocSpace's checks: our signature, `iss` of this portal, `aud`
 * equal to the address the request came to (the API validates it against its ServerRootPath,
 * which DocSpace derives from the request: ASC.Api.Core/Auth/JwtBearerAuthHandler.cs), not
 * expired, and — like the API's introspection on every call — still the current, unrevoked
 * token of a live authorization whose app is still enabled. A disabled app's tokens stop at once:
 * AuthorizationService.findByToken drops authorizations whose client fails
 * RegisteredClientService.validateClientAccessibility (enabled, ASC.Identity authorization-application).
 */
export async function activeAccessToken(
  ctx: OAuthContext,
  token: string,
  audience: string = ctx.portalUrl(),
): Promise<{ auth: Authorization; claims: AccessClaims } | undefined> {
  const claims = await ctx.signer.verify(token, {
    issuer: ctx.issuer(),
    audience,
    now: ctx.now(),
  });
  if (!claims) return undefined;
  const auth = ctx.state.findBy('access', token);
  if (!auth || !ctx.state.isActive(auth.access) || auth.access.value !== token) return undefined;
  if (!activeClient(ctx, auth.clientId)) return undefined;
  return { auth, claims };
}

function single(params: URLSearchParams, name: string, prefix: string, uri: string): string {
  const values = params.getAll(name);
  if (values.length !== 1 || !values[0]) throw parameterError(name, uri, prefix);
  return values[0];
}

/** The issuer Spring derives from the request (scheme and host, honouring the proxy's forwarded headers). */
function requestOrigin(c: Context): string {
  const url = new URL(c.req.url);
  const host = c.req.header('x-forwarded-host')?.split(',')[0]?.trim() || url.host;
  const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() || url.protocol.replace(':', '');
  return `${proto}://${host}`;
}

export function metadata(origin: string, oidc: boolean): Record<string, unknown> {
  return {
    issuer: origin,
    authorization_endpoint: `${origin}/oauth2/authorize`,
    token_endpoint: `${origin}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post'],
    jwks_uri: `${origin}/oauth2/jwks`,
    ...(oidc ? { userinfo_endpoint: `${origin}/oauth2/userinfo` } : {}),
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'personal_access_token'],
    revocation_endpoint: `${origin}/oauth2/revoke`,
    revocation_endpoint_auth_methods_supported: ['client_secret_post'],
    introspection_endpoint: `${origin}/oauth2/introspect`,
    introspection_endpoint_auth_methods_supported: ['client_secret_post'],
    code_challenge_methods_supported: ['S256'],
    ...(oidc
      ? { subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['ES256'] }
      : {}),
    scopes_supported: SCOPES_SUPPORTED,
  };
}

/** Routes under /oauth2 (also reachable as /api/2.0/oauth2, which DocSpace's proxy rewrites). */
export function tokenServiceRoutes(ctx: OAuthContext): Hono {
  const app = new Hono();

  // DocSpace permits introspection without client authentication; credentials, if sent, must be right.
  app.post('/introspect', async (c) => {
    try {
      const params = await formBody(c);
      if (params.has('client_secret') || c.req.header('authorization')) {
        if (!authenticateClient(ctx, params, c.req.header('authorization'))) throw invalidClient();
      }
      const token = single(params, 'token', 'OAuth 2.0 Token Introspection Parameter', ERROR_URI.introspect);
      const access = await activeAccessToken(ctx, token);
      if (access) {
        const { claims, auth } = access;
        return c.json(
          {
            ...claims,
            active: true,
            scope: (auth.access?.scopes ?? []).join(' '),
            client_id: auth.clientId,
            token_type: 'Bearer',
          },
          200,
          NO_STORE,
        );
      }
      const auth = ctx.state.findBy('refresh', token);
      if (auth?.refresh && ctx.state.isActive(auth.refresh) && activeClient(ctx, auth.clientId)) {
        return c.json(
          {
            active: true,
            client_id: auth.clientId,
            iat: Math.floor(auth.refresh.issuedAt / 1000),
            exp: Math.floor(auth.refresh.expiresAt / 1000),
          },
          200,
          NO_STORE,
        );
      }
      return c.json({ active: false }, 200, NO_STORE);
    } catch (e) {
      return errorResponse(c, e);
    }
  });

  app.post('/revoke', async (c) => {
    try {
      const params = await formBody(c);
      const client = authenticateClient(ctx, params, c.req.header('authorization'));
      if (!client) throw invalidClient();
      const token = single(params, 'token', 'OAuth 2.0 Token Revocation Parameter', ERROR_URI.revoke);
      const asAccess = ctx.state.findBy('access', token);
      const auth = asAccess ?? ctx.state.findBy('refresh', token);
      if (!auth) return c.body(null, 200);
      if (auth.clientId !== client.app.clientId) throw bareError('invalid_client');
      if (asAccess && auth.access) {
        auth.access.invalidated = true;
      } else {
        // Revoking a refresh token ends the whole grant, access token included.
        for (const t of [auth.refresh, auth.access, auth.code]) if (t) t.invalidated = true;
      }
      return c.body(null, 200);
    } catch (e) {
      return errorResponse(c, e);
    }
  });

  app.get('/jwks', (c) => c.json({ keys: [ctx.signer.jwk] }));

  const userinfo = async (c: Context): Promise<Response> => {
    const header = c.req.header('authorization') ?? '';
    const token = /^bearer /i.test(header) ? header.slice(7).trim() : '';
    if (!token) return c.body(null, 401, { 'WWW-Authenticate': 'Bearer' });
    const claims = await ctx.signer.verify(token, {
      issuer: ctx.issuer(),
      audience: ctx.portalUrl(),
      now: ctx.now(),
    });
    if (!claims) {
      return c.body(null, 401, {
        'WWW-Authenticate':
          'Bearer error="invalid_token", error_description="Invalid token", error_uri="https://tools.ietf.org/html/rfc6750#section-3.1"',
      });
    }
    const access = await activeAccessToken(ctx, token);
    if (!access) return c.json({ error: 'invalid_token' }, 401);
    if (!(access.auth.access?.scopes ?? []).includes('openid'))
      return c.json({ error: 'insufficient_scope' }, 403);
    return c.json(claims);
  };
  app.get('/userinfo', userinfo);
  app.post('/userinfo', userinfo);

  return app;
}

/** Discovery documents at the root (and under /oauth2, as DocSpace's proxy routes them). */
export function discoveryRoutes(): Hono {
  const app = new Hono();
  for (const prefix of ['', '/oauth2']) {
    app.get(`${prefix}/.well-known/openid-configuration`, (c) => c.json(metadata(requestOrigin(c), true)));
    app.get(`${prefix}/.well-known/oauth-authorization-server`, (c) =>
      c.json(metadata(requestOrigin(c), false)),
    );
    app.options(`${prefix}/.well-known/oauth-authorization-server`, (c) => c.body(null, 200));
  }
  return app;
}
