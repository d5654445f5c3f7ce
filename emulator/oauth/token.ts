// POST /oauth2/token: authorization_code, refresh_token and DocSpace's personal_access_token grant.
// Access tokens are ES256 JWTs of 60 min; refresh tokens rotate (the previous one, and the previous
// access token, stop working at once); an app authenticated with `none` gets no refresh token.
import { type Context, Hono } from 'hono';
import { type AuthenticatedClient, authenticateClient } from './client-auth.js';
import { type OAuthContext, readCookie } from './context.js';
import {
  bareError,
  ERROR_URI,
  invalidClient,
  invalidGrant,
  NO_STORE,
  OAuthProtocolError,
  parameterError,
} from './errors.js';
import { splitScope } from './scopes.js';
import { type Authorization, LIFETIME } from './state.js';
import { opaqueToken } from './tokens.js';

export async function formBody(c: Context): Promise<URLSearchParams> {
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams(await c.req.text());
  if (type.startsWith('multipart/form-data')) {
    const out = new URLSearchParams();
    for (const [k, v] of Object.entries(await c.req.parseBody({ all: true }))) {
      for (const item of Array.isArray(v) ? v : [v]) if (typeof item === 'string') out.append(k, item);
    }
    return out;
  }
  return new URLSearchParams();
}

export function errorResponse(c: Context, e: unknown): Response {
  if (!(e instanceof OAuthProtocolError)) throw e;
  return c.json(e.body, e.status, NO_STORE);
}

function single(params: URLSearchParams, name: string, required: boolean): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1 || (required && !values[0])) throw parameterError(name, ERROR_URI.token);
  return values[0];
}

interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  scope: string;
  id_token?: string;
  token_type: 'Bearer';
  expires_in: number;
}

export function tokenRoutes(ctx: OAuthContext): Hono {
  const app = new Hono();

  app.post('/token', async (c) => {
    try {
      const params = await formBody(c);
      const client = authenticateClient(ctx, params, c.req.header('authorization'));
      if (!client) throw invalidClient();
      const grantType = single(params, 'grant_type', true);
      let body: TokenResponse;
      if (grantType === 'authorization_code') body = await authorizationCode(params, client);
      else if (grantType === 'refresh_token') body = await refresh(params, client);
      else if (grantType === 'personal_access_token') body = await personalAccessToken(c, params, client);
      else if (grantType === 'client_credentials') throw bareError('unauthorized_client');
      // Spring's own converters take none of them, so the last one in DocSpace's chain,
      // PersonalAccessTokenAuthenticationConverter, refuses the request: invalid_request naming
      // grant_type (ASC.Identity …/security/oauth/converter/PersonalAccessTokenAuthenticationConverter.java).
      else throw parameterError('grant_type', ERROR_URI.token);
      ctx.issued[grantType as string] = (ctx.issued[grantType as string] ?? 0) + 1;
      return c.json(body, 200, NO_STORE);
    } catch (e) {
      return errorResponse(c, e);
    }
  });

  async function authorizationCode(
    params: URLSearchParams,
    client: AuthenticatedClient,
  ): Promise<TokenResponse> {
    const code = single(params, 'code', true) as string;
    const redirectUri = single(params, 'redirect_uri', false);
    const auth = ctx.state.findBy('code', code);
    if (!auth?.code) throw invalidGrant();
    if (auth.clientId !== client.app.clientId) {
      auth.code.invalidated = true;
      throw invalidGrant();
    }
    if (auth.request.redirectUri !== undefined && auth.request.redirectUri !== redirectUri)
      throw invalidGrant();
    if (auth.code.invalidated) {
      // A code used twice: Spring invalidates every token it produced.
      if (auth.access) auth.access.invalidated = true;
      if (auth.refresh) auth.refresh.invalidated = true;
      throw invalidGrant();
    }
    if (auth.code.expiresAt <= ctx.now()) throw invalidGrant();
    auth.code.invalidated = true;
    const withRefresh = client.method !== 'none';
    return issue(auth, auth.scopes, withRefresh);
  }

  async function refresh(params: URLSearchParams, client: AuthenticatedClient): Promise<TokenResponse> {
    const value = single(params, 'refresh_token', true) as string;
    const scopeParam = single(params, 'scope', false);
    const auth = ctx.state.findBy('refresh', value);
    if (!auth || auth.clientId !== client.app.clientId || !ctx.state.isActive(auth.refresh))
      throw invalidGrant();
    let scopes = auth.scopes;
    if (scopeParam) {
      const asked = splitScope(scopeParam);
      if (!asked.every((s) => auth.scopes.includes(s))) throw bareError('invalid_scope');
      scopes = asked;
    }
    return issue(auth, scopes, true);
  }

  /** DocSpace's "developer token": the signed-in user (x-signature) gets a token for the app directly. */
  async function personalAccessToken(
    c: Context,
    params: URLSearchParams,
    client: AuthenticatedClient,
  ): Promise<TokenResponse> {
    if (client.method !== 'client_secret_post') throw invalidClient();
    const scopeParam = single(params, 'scope', true) as string;
    const signature = c.req.header('x-signature') ?? readCookie(c, 'x-signature');
    const session = signature ? ctx.state.sessions.get(signature) : undefined;
    const portalToken = readCookie(c, 'asc_auth_key');
    const user =
      (session && session.expiresAt > ctx.now() ? ctx.directory.userById(session.userId) : undefined) ??
      (portalToken ? ctx.directory.userByToken?.(portalToken) : undefined);
    if (!user) throw invalidGrant();
    const scopes = splitScope(scopeParam);
    if (!scopes.every((s) => client.app.scopes.includes(s))) throw bareError('invalid_scope');
    const now = ctx.now();
    const auth: Authorization = {
      id: ctx.state.newId(),
      clientId: client.app.clientId,
      userId: user.id,
      grantType: 'personal_access_token',
      scopes,
      request: {
        clientId: client.app.clientId,
        redirectUri: undefined,
        effectiveRedirectUri: '',
        scopes,
        state: undefined,
        codeChallenge: undefined,
        nonce: undefined,
      },
      authTime: now,
    };
    return issue(auth, scopes, false);
  }

  async function issue(auth: Authorization, scopes: string[], withRefresh: boolean): Promise<TokenResponse> {
    const now = ctx.now();
    const iat = Math.floor(now / 1000);
    const jti = ctx.signer.newJti();
    const accessExpires = now + ctx.accessLifetimeMs();
    const accessToken = await ctx.signer.sign({
      sub: auth.userId,
      aud: [ctx.portalUrl()],
      nbf: iat,
      scope: scopes,
      iss: ctx.issuer(),
      exp: Math.floor(accessExpires / 1000),
      iat,
      jti,
      tid: ctx.tenantId,
      cid: auth.clientId,
    });
    if (auth.access) ctx.state.forget('access', auth.access.value);
    auth.access = {
      value: accessToken,
      issuedAt: now,
      expiresAt: Math.floor(accessExpires / 1000) * 1000,
      invalidated: false,
      jti,
      scopes,
    };
    let refreshToken: string | undefined;
    if (withRefresh) {
      if (auth.refresh) ctx.state.forget('refresh', auth.refresh.value);
      refreshToken = opaqueToken();
      auth.refresh = {
        value: refreshToken,
        issuedAt: now,
        expiresAt: now + LIFETIME.refresh,
        invalidated: false,
      };
    }
    ctx.state.save(auth);

    let idToken: string | undefined;
    if (scopes.includes('openid')) {
      idToken = await ctx.signer.sign({
        iss: ctx.issuer(),
        sub: auth.userId,
        // DocSpace's JWT customizer (KeyPairRepositoryJWKSource.customize) runs for every token
        // it signs, ID tokens included, and sets the audience to the portal.
        aud: [ctx.portalUrl()],
        azp: auth.clientId,
        iat,
        exp: Math.floor((now + LIFETIME.idToken) / 1000),
        auth_time: Math.floor(auth.authTime / 1000),
        jti: ctx.signer.newJti(),
        ...(auth.request.nonce ? { nonce: auth.request.nonce } : {}),
      });
    }
    return {
      access_token: accessToken,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      scope: scopes.join(' '),
      ...(idToken ? { id_token: idToken } : {}),
      token_type: 'Bearer',
      expires_in: Math.max(0, Math.floor((auth.access.expiresAt - ctx.now()) / 1000)),
    };
  }

  return app;
}
