import type { Context, Hono } from 'hono';
import { type AccessLevel, parseAccessLevel } from './access-level.js';
import { clientAllowed, policySentence } from './client-policy.js';
import { type ClientRecord, resolveClient } from './clients.js';
import { finishConnectionsSignIn, isConnectionsState } from './connections.js';
import { readSignedCookie, signedCookieHeader } from './cookies.js';
import { clientRedirect, type Facade, pageRoute } from './context.js';
import { createPkcePair, hmac, isValidChallenge, randomToken, safeEqual } from './crypto.js';
import { OAuthError, type OAuthErrorCode } from './errors.js';
import { consentPage, notAllowedPage, PAGE_HEADERS } from './pages.js';
import {
  code as codeRecord,
  type CodeRecord,
  pending as pendingRecord,
  type PendingAuthorization,
  remember,
  state as stateRecord,
  type UpstreamState,
} from './records/index.js';
import {
  checkRedirectUri,
  isLoopbackUri,
  parseScope,
  redirectUriMatches,
  resolveResource,
} from './redirect.js';
import type { UpstreamApp, UpstreamTokens } from './upstream.js';

/**
 * The browser leg: `/oauth/authorize` validates the request and shows our consent page,
 * `/oauth/consent` takes the decision and sends the person to DocSpace with our own state and
 * PKCE pair, `/oauth/callback` comes back from DocSpace and hands the client our own code.
 * Until the client and its redirect URI are validated every error is a page, never a redirect.
 */

const BROWSER_TTL = 365 * 86_400;

const BROWSER_COOKIE = 'dsmcp-browser';

/** True when `mac` is the MAC of `text` under the current key or a previous one (rotation). */
function macMatches(f: Facade, text: string, mac: string): boolean {
  return [f.macKey, ...f.previousMacKeys].some((key) => safeEqual(mac, hmac(key, text)));
}

/** The browser id from its signed cookie, when valid (signed before a key rotation too). */
function browserOf(f: Facade, c: Context): string | undefined {
  return readSignedCookie(f, c, BROWSER_COOKIE, 'browser')?.value;
}

const csrfFor = (f: Facade, requestId: string, browser: string) =>
  hmac(f.macKey, `csrf:${requestId}:${browser}`);

export function mountAuthorize(app: Hono, f: Facade): void {
  app.get(
    '/oauth/authorize',
    pageRoute(f, async (c) => {
      const q = new URL(c.req.url).searchParams;
      const client = await resolveClient(f.store, f.settings, q.get('client_id') ?? undefined);
      const { redirectUri, redirectUriGiven } = pickRedirectUri(client, q.get('redirect_uri'));
      if (!clientAllowed(f.settings, client, redirectUri)) {
        f.audit.record({
          event: 'client.refused',
          outcome: 'failure',
          clientId: client.clientId,
          reason: 'not on the allowed clients list',
        });
        return new Response(
          notAllowedPage({
            policy: policySentence(f.settings),
            clientName: client.kind === 'cimd' ? client.clientName : undefined,
            documentHost: client.kind === 'cimd' ? client.documentHost : undefined,
            redirectUri,
          }),
          { status: 403, headers: PAGE_HEADERS },
        );
      }
      // A registered (or metadata-document) client's redirect URI matched its registration: from
      // here on its errors go back to the client. A DocSpace app id typed into a client has no
      // registration with us, so its URI is unvalidated: errors stay on our page (no open redirect).
      const state = q.get('state') ?? undefined;
      const validated = redirectValidated(client.kind);
      const fail = (error: OAuthErrorCode, description: string) => {
        if (!validated) throw new OAuthError(error, description, 400);
        return clientRedirect(f, redirectUri, { error, error_description: description, state });
      };
      if (q.get('response_type') !== 'code')
        return fail('unsupported_response_type', 'only response_type=code is supported');
      const challenge = q.get('code_challenge');
      if (!challenge)
        return fail(
          'invalid_request',
          'PKCE is required: send code_challenge with code_challenge_method=S256',
        );
      if (q.get('code_challenge_method') !== 'S256')
        return fail('invalid_request', 'code_challenge_method must be S256');
      if (!isValidChallenge(challenge)) return fail('invalid_request', 'code_challenge is malformed');
      const resource = resolveResource(q.get('resource'), f.settings.resource, f.settings.issuer);
      if (!resource)
        return fail('invalid_target', `this server only issues tokens for ${f.settings.resource}`);
      if (client.kind === 'docspace' && !f.settings.upstreamBase)
        return fail('server_error', 'DocSpace OAuth is not configured');

      const signed = readSignedCookie(f, c, BROWSER_COOKIE, 'browser');
      const browser = signed?.value ?? randomToken(16);
      const headers = new Headers(PAGE_HEADERS);
      // A new browser, or a cookie signed before a key rotation: (re)sign it with the current key.
      if (!signed || signed.stale)
        headers.append('set-cookie', signedCookieHeader(f, BROWSER_COOKIE, 'browser', browser, BROWSER_TTL));
      const pending: PendingAuthorization = {
        clientId: client.clientId,
        clientKind: client.kind,
        redirectUri,
        redirectUriGiven,
        state,
        codeChallenge: challenge,
        resource,
        scope: parseScope(q.get('scope')),
        browser,
      };
      // "Remember" only skips the page when the request did not come from another site, so a
      // link on an attacker's page still shows it (confused deputy).
      const fetchSite = c.req.header('sec-fetch-site');
      const remembered =
        fetchSite !== 'cross-site'
          ? await f.store.get(remember.key(browser, client.clientId, redirectUri))
          : undefined;
      if (remembered) {
        // The level remembered with the choice (older entries hold `1`: the default).
        pending.access = ceiling(f, parseAccessLevel(remembered) ?? f.settings.defaultAccess);
        const res = await startUpstream(f, pending, client);
        f.audit.record({
          event: 'consent.allowed',
          outcome: 'success',
          clientId: client.clientId,
          reason: 'remembered',
        });
        return res;
      }
      const requestId = randomToken(18);
      await f.records.set(pendingRecord, pendingRecord.key(requestId), pending, pendingRecord.ttl());
      const html = consentPage({
        clientName:
          client.clientName ??
          (client.kind === 'docspace' ? 'An app using your DocSpace OAuth app' : 'Unnamed app'),
        clientId: client.clientId,
        identity:
          client.kind === 'cimd'
            ? client.trusted
              ? 'trusted'
              : 'verified'
            : client.kind === 'docspace'
              ? 'docspace-app'
              : 'unverified',
        documentHost: client.documentHost,
        redirectUri,
        redirectIsLoopback: isLoopbackUri(new URL(redirectUri)),
        portalUrl: f.settings.portalUrl,
        requestId,
        csrf: csrfFor(f, requestId, browser),
        action: `${f.settings.issuer}/oauth/consent`,
        defaultAccess: f.settings.defaultAccess,
        writeAllowed: f.settings.writeAllowed,
      });
      return new Response(html, { status: 200, headers });
    }),
  );

  app.post(
    '/oauth/consent',
    pageRoute(f, async (c) => {
      const origin = c.req.header('origin');
      if (origin && origin !== 'null' && origin !== new URL(f.settings.issuer).origin) {
        throw new OAuthError('access_denied', 'the consent form was submitted from another site', 403);
      }
      const form = new URLSearchParams(await c.req.text());
      const requestId = form.get('request') ?? '';
      const browser = browserOf(f, c);
      const csrf = form.get('csrf') ?? '';
      if (!browser || !requestId || !macMatches(f, `csrf:${requestId}:${browser}`, csrf)) {
        throw new OAuthError(
          'access_denied',
          'the consent form is invalid or was not sent from this browser; start again from your app',
          403,
        );
      }
      const pending = await f.records.take(pendingRecord, pendingRecord.key(requestId));
      if (!pending)
        throw new OAuthError(
          'invalid_request',
          'this consent page expired or was already used; start again from your app',
        );
      if (pending.browser !== browser)
        throw new OAuthError('access_denied', 'the consent was started in another browser', 403);
      if (form.get('decision') !== 'allow') {
        f.audit.record({ event: 'consent.denied', outcome: 'success', clientId: pending.clientId });
        if (!redirectValidated(pending.clientKind))
          throw new OAuthError('access_denied', 'you denied access; you can close this window', 403);
        return clientRedirect(f, pending.redirectUri, {
          error: 'access_denied',
          error_description: 'the user denied access',
          state: pending.state,
        });
      }
      const client = await resolveClient(f.store, f.settings, pending.clientId);
      pending.access = ceiling(f, parseAccessLevel(form.get('access')) ?? f.settings.defaultAccess);
      if (form.get('remember') === '1') {
        await f.store.set(
          remember.key(browser, pending.clientId, pending.redirectUri),
          pending.access,
          remember.ttl(),
        );
      }
      f.audit.record({
        event: 'consent.allowed',
        outcome: 'success',
        clientId: pending.clientId,
        reason: `access ${pending.access}`,
      });
      return await startUpstream(f, pending, client);
    }),
  );

  app.get(
    '/oauth/callback',
    pageRoute(f, async (c) => {
      const q = new URL(c.req.url).searchParams;
      const state = q.get('state');
      if (!state)
        throw new OAuthError(
          'invalid_request',
          'DocSpace returned without a state; start again from your app',
        );
      const parsed = await f.records.take(stateRecord, stateRecord.key(state));
      if (!parsed)
        throw new OAuthError(
          'invalid_request',
          'this sign-in expired or was already completed; start again from your app',
        );
      // A sign-in to the person's connections page comes back here too (one redirect URI).
      if (isConnectionsState(parsed)) return finishConnectionsSignIn(f, c, parsed);
      const saved: UpstreamState = parsed;
      if (browserOf(f, c) !== saved.pending.browser) {
        throw new OAuthError('access_denied', 'this sign-in was started in another browser', 403);
      }
      const { pending } = saved;
      const upstreamError = q.get('error');
      if (upstreamError) {
        const denied = upstreamError === 'access_denied';
        f.audit.record({
          event: 'consent.denied',
          outcome: denied ? 'success' : 'failure',
          clientId: pending.clientId,
          reason: `docspace:${upstreamError}`,
        });
        if (!redirectValidated(pending.clientKind))
          throw new OAuthError(
            denied ? 'access_denied' : 'server_error',
            denied ? 'access was denied at DocSpace' : 'DocSpace could not complete the sign-in',
            denied ? 403 : 502,
          );
        return clientRedirect(f, pending.redirectUri, {
          error: denied ? 'access_denied' : 'server_error',
          error_description: denied
            ? 'access was denied at DocSpace'
            : 'DocSpace could not complete the sign-in',
          state: pending.state,
        });
      }
      const upstreamCode = q.get('code');
      if (!upstreamCode) throw new OAuthError('invalid_request', 'DocSpace returned without a code');
      const record: CodeRecord = {
        clientId: pending.clientId,
        redirectUri: pending.redirectUri,
        redirectUriGiven: pending.redirectUriGiven,
        codeChallenge: pending.codeChallenge,
        resource: pending.resource,
        scope: pending.scope,
        access: pending.access,
      };
      if (saved.app) {
        // The user's own DocSpace app: its secret only reaches us at the token endpoint.
        record.dsCode = await f.storageSealer.seal({
          code: upstreamCode,
          verifier: saved.verifier,
          app: saved.app,
        });
      } else {
        const app = f.settings.sharedApp;
        if (!app) throw new OAuthError('server_error', 'no DocSpace OAuth app is configured');
        const tokens: UpstreamTokens = await f.upstream.exchangeCode(app, upstreamCode, saved.verifier);
        record.userId = await f.upstream.userId(tokens.accessToken);
        // DocSpace replaced the person's earlier authorization for this app as it issued the
        // code: install the new tokens now, so the person's other connections use them at once.
        record.dsg = await f.docspace.install({ userId: record.userId, app, tokens, typedIn: false });
      }
      const code = randomToken(32);
      await f.records.set(codeRecord, codeRecord.key(code), record, codeRecord.ttl());
      return clientRedirect(f, pending.redirectUri, { code, state: pending.state });
    }),
  );
}

/** A level the operator's tool settings allow: `read` when they leave nothing that writes. */
function ceiling(f: Facade, level: AccessLevel): AccessLevel {
  return f.settings.writeAllowed ? level : 'read';
}

/**
 * Whether a client's redirect URI was checked against a registration (DCR, metadata document).
 * A DocSpace app id has none: only its success redirect, which the person allowed on the consent
 * page that showed the URI, goes there.
 */
function redirectValidated(kind: ClientRecord['kind']): boolean {
  return kind !== 'docspace';
}

function pickRedirectUri(
  client: ClientRecord,
  given: string | null,
): { redirectUri: string; redirectUriGiven: boolean } {
  if (!given) {
    if (client.redirectUris.length === 1)
      return { redirectUri: client.redirectUris[0], redirectUriGiven: false };
    throw new OAuthError('invalid_request', 'redirect_uri is missing');
  }
  if (client.kind === 'docspace') {
    // No registration to match against: any safe URI, shown prominently on the consent page.
    const why = checkRedirectUri(given, 'native');
    if (why) throw new OAuthError('invalid_request', `the redirect URI ${why}`);
    return { redirectUri: given, redirectUriGiven: true };
  }
  if (!redirectUriMatches(client.redirectUris, given)) {
    throw new OAuthError('invalid_request', 'the redirect URI is not registered for this app');
  }
  return { redirectUri: given, redirectUriGiven: true };
}

async function startUpstream(
  f: Facade,
  pending: PendingAuthorization,
  client: ClientRecord,
): Promise<Response> {
  const { verifier, challenge } = createPkcePair();
  const state = randomToken(32);
  let app: UpstreamApp | undefined = f.settings.sharedApp;
  let sealedApp: string | undefined;
  if (client.kind === 'docspace') {
    app = { clientId: client.clientId };
    sealedApp = await f.storageSealer.seal(app);
  }
  if (!app) throw new OAuthError('server_error', 'no DocSpace OAuth app is configured');
  const saved: UpstreamState = { pending, verifier, app: sealedApp };
  await f.records.set(stateRecord, stateRecord.key(state), saved, stateRecord.ttl());
  return new Response(null, {
    status: 302,
    headers: { location: f.upstream.authorizeUrl(app, state, challenge), 'cache-control': 'no-store' },
  });
}
