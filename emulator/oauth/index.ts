// DocSpace's OAuth 2.0 / OIDC authorization server, emulated (reference/docspace-api.md §4).
//
// Mount both apps at the portal's root:
//   const oauth = createOAuthServer({ directory, clock, faults });
//   root.route('/', oauth.app);         // /oauth2/*, /api/2.0/oauth2/*, /.well-known/*, /login
//   root.route('/', oauth.clientsApp);  // /api/2.0/clients*, /api/2.0/scopes
//   apiAuth.setOAuthVerifier(oauth.verifyAccessToken);
import { Hono } from 'hono';
import { authorizeRoutes, loginRoute } from './authorize.js';
import { type CallerResolver, clientRoutes } from './clients.js';
import { type OAuthContext, sessionUser } from './context.js';
import type { OAuthApp, OAuthDirectory } from './directory.js';
import { activeAccessToken, discoveryRoutes, tokenServiceRoutes } from './endpoints.js';
import { SCOPE_NAMES } from './scopes.js';
import { LIFETIME, OAuthState } from './state.js';
import { tokenRoutes } from './token.js';
import { TokenSigner } from './tokens.js';

export type { CallerResolver } from './clients.js';
export type { OAuthApp, OAuthDirectory, OAuthUser } from './directory.js';
export { createMemoryDirectory } from './directory.js';
export { SCOPE_NAMES, SCOPES } from './scopes.js';

export interface OAuthServerOptions {
  directory: OAuthDirectory;
  /** Milliseconds since the epoch; inject to expire codes and tokens without waiting. */
  clock?: () => number;
  /**
   * Read on every request: `oauthDown` makes every OAuth route answer 503;
   * `oauthAccessTokenSeconds` shortens the life of access tokens issued from then on.
   */
  faults?: () => { oauthDown?: boolean; oauthAccessTokenSeconds?: number } | undefined;
  /** The `tid` claim. */
  tenantId?: number;
  /**
   * Who calls /api/2.0/clients (the portal resolves its own credentials). Default: the OAuth
   * sign-in session (`x-signature`) or the portal's `asc_auth_key` cookie.
   */
  resolveCaller?: CallerResolver;
}

export interface VerifiedAccessToken {
  userId: string;
  clientId: string;
  scopes: string[];
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export interface OAuthServer {
  /** The authorization server itself plus discovery and the /login error page. */
  app: Hono;
  /** The registration service: /api/2.0/clients… and /api/2.0/scopes (bodies without DocSpace's envelope). */
  clientsApp: Hono;
  /**
   * What DocSpace's API does with a Bearer JWT: signature, iss, expiry, introspection, and `aud`
   * equal to `requestOrigin` — the address the API request came to (default: the portal's own).
   */
  verifyAccessToken(token: string, requestOrigin?: string): Promise<VerifiedAccessToken | undefined>;
  /** Registers an app (seeding, tests); missing fields get DocSpace-like defaults. */
  registerClient(input: Partial<OAuthApp> & Pick<OAuthApp, 'name' | 'redirectUris'>): OAuthApp;
  /** Successful token requests so far, by grant type (tests count refreshes with it). */
  grantsIssued(): Record<string, number>;
  /** Forgets sessions, codes, tokens and consents (apps live in the directory); counts restart. */
  reset(): void;
}

const OAUTH_PATHS = /^(\/api\/2\.0)?\/oauth2(\/|$)|^\/\.well-known\//;

export function createOAuthServer(options: OAuthServerOptions): OAuthServer {
  const now = options.clock ?? Date.now;
  const directory = options.directory;
  const ctx: OAuthContext = {
    directory,
    state: new OAuthState(now),
    signer: new TokenSigner(),
    now,
    tenantId: options.tenantId ?? 1,
    accessLifetimeMs: () => {
      const seconds = options.faults?.()?.oauthAccessTokenSeconds;
      return seconds && seconds > 0 ? seconds * 1000 : LIFETIME.access;
    },
    issued: {},
    portalUrl: () => directory.baseUrl().replace(/\/+$/, ''),
    issuer: () => `${directory.baseUrl().replace(/\/+$/, '')}/oauth2`,
  };

  const app = new Hono();
  app.use('*', async (c, next) => {
    if (options.faults?.()?.oauthDown && OAUTH_PATHS.test(new URL(c.req.url).pathname)) {
      // What the portal's proxy answers while the identity service is unreachable.
      return c.html(
        '<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>',
        503,
      );
    }
    return next();
  });
  // DocSpace allows any origin on the OAuth endpoints, all methods and headers, max-age 3600;
  // like Spring's CorsFilter, a preflight is answered 200 and a plain OPTIONS reaches the routes.
  app.use('*', async (c, next) => {
    const origin = c.req.header('origin');
    if (!origin || !OAUTH_PATHS.test(new URL(c.req.url).pathname)) return next();
    const preflightMethod = c.req.header('access-control-request-method');
    if (c.req.method === 'OPTIONS' && preflightMethod) {
      const headers: Record<string, string> = {
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Methods': preflightMethod,
        'Access-Control-Max-Age': '3600',
        Vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
      };
      const requested = c.req.header('access-control-request-headers');
      if (requested) headers['Access-Control-Allow-Headers'] = requested;
      return c.body(null, 200, headers);
    }
    await next();
    c.res.headers.set('Access-Control-Allow-Origin', '*');
  });

  const oauth2 = new Hono();
  oauth2.route('/', authorizeRoutes(ctx));
  oauth2.route('/', tokenRoutes(ctx));
  oauth2.route('/', tokenServiceRoutes(ctx));
  app.route('/oauth2', oauth2);
  app.route('/api/2.0/oauth2', oauth2);
  app.route('/', discoveryRoutes());
  app.route('/', loginRoute());

  const resolveCaller: CallerResolver = options.resolveCaller ?? ((req) => sessionUser(ctx, req));
  const clientsApp = new Hono();
  clientsApp.route('/api/2.0', clientRoutes(ctx, resolveCaller));

  return {
    app,
    clientsApp,
    async verifyAccessToken(token, requestOrigin) {
      const found = await activeAccessToken(ctx, token, requestOrigin?.replace(/\/+$/, ''));
      if (!found?.auth.access) return undefined;
      return {
        userId: found.auth.userId,
        clientId: found.auth.clientId,
        scopes: [...found.auth.access.scopes],
        expiresAt: found.auth.access.expiresAt,
      };
    },
    registerClient(input) {
      const created: OAuthApp = {
        clientId: crypto.randomUUID(),
        clientSecret: crypto.randomUUID(),
        description: '',
        allowedOrigins: input.redirectUris.map((u) => {
          try {
            return new URL(u).origin;
          } catch {
            return u;
          }
        }),
        logoutRedirectUri: input.redirectUris[0] ?? '',
        scopes: [...SCOPE_NAMES],
        allowPkce: false,
        isPublic: true,
        enabled: true,
        websiteUrl: 'https://example.com',
        termsUrl: 'https://example.com/terms',
        policyUrl: 'https://example.com/privacy',
        logo: 'data:image/png;base64,iVBORw0KGgo=',
        createdBy: '',
        created: new Date(now()),
        ...input,
      };
      directory.saveOAuthApp(created);
      return created;
    },
    grantsIssued: () => ({ ...ctx.issued }),
    reset() {
      ctx.state.clear();
      for (const key of Object.keys(ctx.issued)) delete ctx.issued[key];
    },
  };
}
