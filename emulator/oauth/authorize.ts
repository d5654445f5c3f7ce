/**
 * `/oauth2/authorize`: DocSpace's authorization endpoint with the emulator's own sign-in and
 * consent pages (real DocSpace sends the browser to its portal UI at /login for both).
 *
 * Driving it with plain fetch (redirect: 'manual'):
 *  1. GET  /oauth2/authorize?response_type=code&client_id=…&redirect_uri=…&state=…
 *          [&scope=a b][&code_challenge=…&code_challenge_method=S256][&nonce=…]
 *     → 200 sign-in page: <form id="signin" method="post"> without an action (posts back to the
 *       same URL, query included) with fields `email` and `password`.
 *  2. POST that same URL, application/x-www-form-urlencoded `email=…&password=…`
 *     → 401 sign-in page again on bad credentials;
 *     → otherwise Set-Cookie `x-signature=<session>` and either the consent page (200) or, when no
 *       consent is needed (scope=openid alone, or an earlier consent covers every scope), a 302 to
 *       the redirect URI with the code.
 *     A browser already holding the `x-signature` cookie skips step 2 at step 1.
 *  3. The consent page has two forms posting to /oauth2/authorize (urlencoded or multipart):
 *       allow: `client_id`, `state` (the consent state, not the client's), one `scope` per scope;
 *       deny:  `client_id`, `state` — no `scope` field, which DocSpace reads as a refusal.
 *     → 302 `redirect_uri?code=…&state=<client state>` or `redirect_uri?error=access_denied&error_uri=…&state=…`.
 *     With header `X-Disable-Redirect: true` (as DocSpace's UI sends it) the answer is 200 with the
 *     target in `X-Redirect-URI`. The consent state is bound to the user who signed in.
 *
 * Errors that must not go back to the app (unknown client, bad redirect URI, …) redirect to
 * `{portal}/login?type=oauth2&client_id=…&error=<code>`, served by `loginRoute` below.
 */
import { type Context, Hono } from 'hono';
import { activeClient, type OAuthContext, SESSION_COOKIE, sessionUser } from './context.js';
import type { OAuthApp, OAuthUser } from './directory.js';
import { ERROR_URI } from './errors.js';
import { consentPage, loginErrorPage, signInPage } from './pages.js';
import { splitScope } from './scopes.js';
import { type AuthorizationRequest, LIFETIME } from './state.js';
import { opaqueToken } from './tokens.js';

type Outcome =
  | { kind: 'ok'; app: OAuthApp; request: AuthorizationRequest }
  | { kind: 'login-error'; error: string; clientId: string }
  | { kind: 'client-error'; redirectUri: string; error: string; errorUri: string; state: string | undefined };

const SINGLE = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
];

/** Validates an authorization request in the order DocSpace's filters and Spring's validators run. */
export function validateRequest(ctx: OAuthContext, params: URLSearchParams): Outcome {
  const clientId = params.get('client_id') ?? '';
  if (!clientId) return { kind: 'login-error', error: 'missing_client_id_error', clientId: '' };
  const registered = ctx.directory.oauthApp(clientId);
  if (!registered) return { kind: 'login-error', error: 'client_not_found_error', clientId };
  if (!registered.enabled) return { kind: 'login-error', error: 'client_disabled_error', clientId };
  if (!registered.isPublic) return { kind: 'login-error', error: 'client_permission_denied_error', clientId };
  const app = registered;

  if (SINGLE.some((name) => params.getAll(name).length > 1))
    return { kind: 'login-error', error: 'invalid_request', clientId };
  const responseType = params.get('response_type');
  if (!responseType) return { kind: 'login-error', error: 'invalid_request', clientId };
  if (responseType !== 'code') return { kind: 'login-error', error: 'unsupported_response_type', clientId };

  // DocSpace fills an absent or empty scope with every scope the app registered.
  const scopeParam = params.get('scope');
  const scopes = scopeParam ? splitScope(scopeParam) : [...app.scopes];

  const redirectUri = params.get('redirect_uri') ?? undefined;
  let effectiveRedirectUri: string;
  if (redirectUri) {
    if (!redirectUriAllowed(redirectUri, app.redirectUris))
      return { kind: 'login-error', error: 'invalid_request', clientId };
    effectiveRedirectUri = redirectUri;
  } else {
    if (scopes.includes('openid') || app.redirectUris.length !== 1)
      return { kind: 'login-error', error: 'invalid_request', clientId };
    effectiveRedirectUri = app.redirectUris[0] as string;
  }
  const state = params.get('state') ?? undefined;

  if (!scopes.every((s) => app.scopes.includes(s))) {
    return {
      kind: 'client-error',
      redirectUri: effectiveRedirectUri,
      error: 'invalid_scope',
      errorUri: ERROR_URI.authorize,
      state,
    };
  }
  const codeChallenge = params.get('code_challenge') || undefined;
  if (codeChallenge && params.get('code_challenge_method') !== 'S256') {
    return {
      kind: 'client-error',
      redirectUri: effectiveRedirectUri,
      error: 'invalid_request',
      errorUri: ERROR_URI.pkce,
      state,
    };
  }
  return {
    kind: 'ok',
    app,
    request: {
      clientId,
      redirectUri,
      effectiveRedirectUri,
      scopes,
      state,
      codeChallenge,
      nonce: params.get('nonce') ?? undefined,
    },
  };
}

/**
 * Exact string match, except that for IP loopback hosts (127.x.x.x, [::1] — not "localhost") any
 * port is accepted (RFC 8252 §7.3), as Spring Authorization Server does. Fragments are refused.
 */
export function redirectUriAllowed(requested: string, registered: string[]): boolean {
  const parts = splitUri(requested);
  if (!parts || requested.includes('#')) return false;
  if (!isLoopbackIp(parts.host)) return registered.includes(requested);
  return registered.some((r) => {
    const reg = splitUri(r);
    return !!reg && `${reg.prefix}${reg.host}${parts.port}${reg.rest}` === requested;
  });
}

function splitUri(uri: string): { prefix: string; host: string; port: string; rest: string } | undefined {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/(?:[^/?#@]*@)?)(\[[^\]]*\]|[^/?#:]*)(:\d*)?(.*)$/.exec(uri);
  return m
    ? { prefix: m[1] as string, host: m[2] as string, port: m[3] ?? '', rest: m[4] as string }
    : undefined;
}

function isLoopbackIp(host: string): boolean {
  return /^127(\.\d{1,3}){3}$/.test(host) || host === '[::1]' || host === '[0:0:0:0:0:0:0:1]';
}

function withQuery(uri: string, params: Record<string, string | undefined>): string {
  const query = Object.entries(params)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
  const hash = uri.indexOf('#');
  const base = hash < 0 ? uri : uri.slice(0, hash);
  return `${base}${base.includes('?') ? '&' : '?'}${query}`;
}

function loginErrorUrl(ctx: OAuthContext, error: string, clientId: string): string {
  return `${ctx.portalUrl()}/login?type=oauth2&client_id=${encodeURIComponent(clientId)}&error=${encodeURIComponent(error)}`;
}

/** A redirect, or with `X-Disable-Redirect: true` a 200 naming the target in `X-Redirect-URI`. */
function redirect(c: Context, location: string): Response {
  c.header('X-Redirect-URI', location);
  if (c.req.header('x-disable-redirect')?.toLowerCase() === 'true') return c.body(null, 200);
  return c.redirect(location, 302);
}

function answerInvalid(ctx: OAuthContext, c: Context, outcome: Exclude<Outcome, { kind: 'ok' }>): Response {
  if (outcome.kind === 'login-error') return redirect(c, loginErrorUrl(ctx, outcome.error, outcome.clientId));
  return redirect(
    c,
    withQuery(outcome.redirectUri, {
      error: outcome.error,
      error_uri: outcome.errorUri,
      state: outcome.state,
    }),
  );
}

function issueCode(
  ctx: OAuthContext,
  c: Context,
  request: AuthorizationRequest,
  userId: string,
  scopes: string[],
): Response {
  const now = ctx.now();
  const code = { value: opaqueToken(), issuedAt: now, expiresAt: now + LIFETIME.code, invalidated: false };
  ctx.state.save({
    id: ctx.state.newId(),
    clientId: request.clientId,
    userId,
    grantType: 'authorization_code',
    scopes,
    request,
    authTime: now,
    code,
  });
  return redirect(c, withQuery(request.effectiveRedirectUri, { code: code.value, state: request.state }));
}

/** Signed in and the request is valid: consent page, or a code straight away when none is needed. */
function continueAsUser(
  ctx: OAuthContext,
  c: Context,
  app: OAuthApp,
  request: AuthorizationRequest,
  user: OAuthUser,
): Response {
  const granted = ctx.state.consents.get(ctx.state.consentKey(app.clientId, user.id));
  const onlyOpenid = request.scopes.length === 1 && request.scopes[0] === 'openid';
  if (onlyOpenid || (granted && request.scopes.every((s) => granted.has(s)))) {
    return issueCode(ctx, c, request, user.id, request.scopes);
  }
  const consentState = ctx.state.newId();
  ctx.state.pendingConsents.set(consentState, {
    request,
    userId: user.id,
    expiresAt: ctx.now() + LIFETIME.consentRequest,
  });
  // Spring's code-request provider saves an authorization holding the consent `state` before it
  // shows the consent screen, and DocSpace's AuthorizationService.save writes it over the
  // person's authorization for the app: their earlier tokens end here, Allow or Deny.
  ctx.state.save({
    id: ctx.state.newId(),
    clientId: request.clientId,
    userId: user.id,
    grantType: 'authorization_code',
    scopes: [],
    request,
    authTime: ctx.now(),
  });
  const action = new URL(c.req.url).pathname;
  return c.html(consentPage(app, user, { consentState, scopes: request.scopes, action }), 200);
}

async function formParams(c: Context): Promise<URLSearchParams> {
  const out = new URLSearchParams();
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data'))
    return out;
  const body = await c.req.parseBody({ all: true });
  for (const [key, value] of Object.entries(body)) {
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') out.append(key, v);
  }
  return out;
}

export function authorizeRoutes(ctx: OAuthContext): Hono {
  const app = new Hono();

  app.get('/authorize', (c) => {
    const outcome = validateRequest(ctx, new URL(c.req.url).searchParams);
    if (outcome.kind !== 'ok') return answerInvalid(ctx, c, outcome);
    const user = sessionUser(ctx, c);
    if (!user) return c.html(signInPage(outcome.app, {}), 200);
    return continueAsUser(ctx, c, outcome.app, outcome.request, user);
  });

  app.post('/authorize', async (c) => {
    const form = await formParams(c);
    if (form.has('email')) return signIn(c, form);
    return consent(c, form);
  });

  /** The sign-in form posts here with the authorization request still in the query string. */
  function signIn(c: Context, form: URLSearchParams): Response {
    const outcome = validateRequest(ctx, new URL(c.req.url).searchParams);
    if (outcome.kind !== 'ok') return answerInvalid(ctx, c, outcome);
    const email = form.get('email') ?? '';
    const user = ctx.directory.authenticate(email, form.get('password') ?? '');
    if (!user) return c.html(signInPage(outcome.app, { email, error: 'Incorrect email or password.' }), 401);
    const session = ctx.state.newId();
    ctx.state.sessions.set(session, { userId: user.id, expiresAt: ctx.now() + LIFETIME.session });
    c.header('Set-Cookie', `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Lax`);
    return continueAsUser(ctx, c, outcome.app, outcome.request, user);
  }

  /** Spring's consent provider: approved scopes must be a subset of the requested ones. */
  function consent(c: Context, form: URLSearchParams): Response {
    const clientId = form.get('client_id') ?? '';
    const consentState = form.get('state') ?? '';
    const pending = ctx.state.pendingConsents.get(consentState);
    const signedIn = sessionUser(ctx, c);
    if (
      !pending ||
      pending.expiresAt <= ctx.now() ||
      pending.request.clientId !== clientId ||
      (signedIn && signedIn.id !== pending.userId) ||
      !activeClient(ctx, clientId)
    ) {
      return redirect(c, loginErrorUrl(ctx, 'invalid_request', clientId));
    }
    ctx.state.pendingConsents.delete(consentState);
    const { request, userId } = pending;
    const approved = new Set(
      form
        .getAll('scope')
        .flatMap((s) => s.split(' '))
        .filter(Boolean),
    );
    const fail = (error: string): Response =>
      redirect(
        c,
        withQuery(request.effectiveRedirectUri, {
          error,
          error_uri: ERROR_URI.authorize,
          state: request.state,
        }),
      );
    if (![...approved].every((s) => request.scopes.includes(s))) return fail('invalid_scope');

    const key = ctx.state.consentKey(clientId, userId);
    const previous = ctx.state.consents.get(key) ?? new Set<string>();
    for (const s of request.scopes) if (previous.has(s)) approved.add(s);
    // openid needs no consent of its own: it rides along with anything else approved.
    if (approved.size > 0 && request.scopes.includes('openid')) approved.add('openid');
    if (approved.size === 0) {
      ctx.state.consents.delete(key);
      return fail('access_denied');
    }
    ctx.state.consents.set(key, new Set([...previous, ...approved]));
    return issueCode(
      ctx,
      c,
      request,
      userId,
      request.scopes.filter((s) => approved.has(s)),
    );
  }

  return app;
}

/** DocSpace's portal login page as the OAuth server's error redirects reach it. */
export function loginRoute(): Hono {
  const app = new Hono();
  app.get('/login', (c) => c.html(loginErrorPage(c.req.query('error'), c.req.query('client_id')), 200));
  return app;
}
