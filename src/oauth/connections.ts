import type { Context, Hono } from 'hono';
import { isStoreUnavailable } from '../store/errors.js';
import { stateKey } from './authorize.js';
import { type ClientRecord, resolveClient } from './clients.js';
import { connectionsPage, type ConnectionView, signedOutPage } from './connections-page.js';
import { browserError, type Facade } from './context.js';
import { cookieHeader, readCookie } from './cookies.js';
import { createPkcePair, hmac, randomToken, safeEqual, sha256 } from './crypto.js';
import { docspaceGrantKey } from './docspace-grants.js';
import { OAuthError } from './errors.js';
import { PAGE_HEADERS } from './pages.js';

/**
 * `/connections`: a person signs in with DocSpace (the same upstream leg clients use) and sees
 * the AI clients connected to their account, and revokes them. Our own session: a sealed cookie
 * naming the person, an hour long; every POST carries a CSRF token bound to that cookie.
 *
 * The page's sign-in is a DocSpace authorization like any other, and DocSpace keeps one per
 * person and app: its tokens are installed as the person's DocSpace grant, so the connections
 * listed keep working.
 */

/** Our state at DocSpace for a sign-in to this page (beside the clients' `UpstreamState`). */
export interface ConnectionsState {
  purpose: 'connections';
  verifier: string;
  /** Matches the nonce cookie set when the sign-in started: the same browser comes back. */
  nonce: string;
}

interface Session {
  userId: string;
  appId: string;
  exp: number;
}

const SESSION_SECONDS = 3600;
const STATE_SECONDS = 600;

export function isConnectionsState(saved: unknown): saved is ConnectionsState {
  return typeof saved === 'object' && saved !== null && (saved as ConnectionsState).purpose === 'connections';
}

async function sessionOf(f: Facade, c: Context): Promise<{ session: Session; raw: string } | undefined> {
  const raw = readCookie(f, c, 'dsmcp-session');
  if (!raw) return undefined;
  const session = await f.storageSealer.open<Session>(raw);
  if (!session || session.exp < f.settings.now()) return undefined;
  return { session, raw };
}

const csrfOf = (f: Facade, sessionCookie: string) => hmac(f.macKey, `connections:${sha256(sessionCookie)}`);

function page(html: string, status = 200, extra: Record<string, string> = {}): Response {
  return new Response(html, { status, headers: { ...PAGE_HEADERS, ...extra } });
}

async function describe(f: Facade, userId: string, appId: string): Promise<ConnectionView[]> {
  const record = await f.docspace.get(docspaceGrantKey(userId, appId));
  const now = f.settings.now();
  const views: ConnectionView[] = [];
  for (const ref of record?.connections ?? []) {
    if (ref.expiresAt <= now) continue;
    const grant = await f.grants.describe(ref.gid);
    if (!grant || grant.userId !== userId) continue;
    let client: ClientRecord | undefined;
    try {
      client = await resolveClient(f.store, f.settings, ref.clientId);
    } catch (error) {
      if (isStoreUnavailable(error)) throw error;
      client = undefined; // a registration that lapsed: the connection still shows, unnamed
    }
    views.push({
      id: ref.gid,
      name:
        client?.clientName ??
        (client?.kind === 'docspace' ? 'An app using a DocSpace OAuth app' : 'Unnamed app'),
      identity:
        client?.kind === 'cimd'
          ? client.trusted
            ? 'trusted'
            : 'verified'
          : client?.kind === 'docspace'
            ? 'docspace-app'
            : 'unverified',
      documentHost: client?.documentHost,
      redirectHosts: [...new Set((client?.redirectUris ?? []).map(hostOf))],
      connectedAt: grant.createdAt,
      expiresAt: ref.expiresAt,
    });
  }
  return views.sort((a, b) => b.connectedAt - a.connectedAt);
}

function hostOf(uri: string): string {
  try {
    const u = new URL(uri);
    return u.host || u.protocol;
  } catch {
    return uri;
  }
}

export function mountConnections(app: Hono, f: Facade): void {
  const appId = f.settings.sharedApp?.clientId;

  app.get('/connections', async (c) => {
    try {
      const signedIn = await sessionOf(f, c);
      if (!signedIn || !appId)
        return page(signedOutPage({ portalUrl: f.settings.portalUrl, available: Boolean(appId) }));
      const connections = await describe(f, signedIn.session.userId, appId);
      const notice = new URL(c.req.url).searchParams.get('done') ?? undefined;
      return page(
        connectionsPage({
          portalUrl: f.settings.portalUrl,
          connections,
          csrf: csrfOf(f, signedIn.raw),
          notice:
            notice === 'revoked'
              ? 'The connection was revoked.'
              : notice === 'all'
                ? 'Every connection was revoked.'
                : undefined,
        }),
      );
    } catch (error) {
      return browserError(f, error);
    }
  });

  app.get('/connections/sign-in', async () => {
    try {
      const shared = f.settings.sharedApp;
      if (!shared)
        throw new OAuthError('invalid_request', 'this server has no DocSpace OAuth app to sign in with', 404);
      const { verifier, challenge } = createPkcePair();
      const state = randomToken(32);
      const nonce = randomToken(16);
      const saved: ConnectionsState = { purpose: 'connections', verifier, nonce };
      await f.store.set(stateKey(state), JSON.stringify(saved), STATE_SECONDS);
      return new Response(null, {
        status: 302,
        headers: {
          location: f.upstream.authorizeUrl(shared, state, challenge),
          'set-cookie': cookieHeader(f, 'dsmcp-cx', nonce, STATE_SECONDS),
          'cache-control': 'no-store',
        },
      });
    } catch (error) {
      return browserError(f, error);
    }
  });

  /** Checks the session and the CSRF token of a POST; answers the refusal, or the person. */
  async function post(c: Context): Promise<{ session: Session; form: URLSearchParams } | Response> {
    const signedIn = await sessionOf(f, c);
    const form = new URLSearchParams(await c.req.text());
    if (!signedIn) return new Response(null, { status: 303, headers: { location: '/connections' } });
    if (!safeEqual(form.get('csrf') ?? '', csrfOf(f, signedIn.raw)))
      throw new OAuthError(
        'access_denied',
        'this form was not sent from your connections page; open it again',
        403,
      );
    return { session: signedIn.session, form };
  }

  app.post('/connections/revoke', async (c) => {
    try {
      const checked = await post(c);
      if (checked instanceof Response) return checked;
      const gid = checked.form.get('connection') ?? '';
      // Another person's connection, or none: the same answer as an unknown id.
      if (
        !(await f.grants.revokeConnection(
          gid,
          checked.session.userId,
          'revoked by the person on their connections page',
        ))
      )
        throw new OAuthError('invalid_request', 'there is no such connection on your account', 404);
      return new Response(null, { status: 303, headers: { location: '/connections?done=revoked' } });
    } catch (error) {
      return browserError(f, error);
    }
  });

  app.post('/connections/revoke-all', async (c) => {
    try {
      const checked = await post(c);
      if (checked instanceof Response) return checked;
      const { userId } = checked.session;
      for (const view of appId ? await describe(f, userId, appId) : [])
        await f.grants.revokeConnection(view.id, userId, 'revoked by the person (all connections)');
      return new Response(null, { status: 303, headers: { location: '/connections?done=all' } });
    } catch (error) {
      return browserError(f, error);
    }
  });

  app.post('/connections/sign-out', async (c) => {
    try {
      const checked = await post(c);
      if (checked instanceof Response) return checked;
      return new Response(null, {
        status: 303,
        headers: { location: '/connections', 'set-cookie': cookieHeader(f, 'dsmcp-session', '', 0) },
      });
    } catch (error) {
      return browserError(f, error);
    }
  });
}

/**
 * DocSpace came back to `/oauth/callback` for a sign-in to the connections page: exchange the
 * code, install the tokens as the person's DocSpace grant, and open our session.
 */
export async function finishConnectionsSignIn(
  f: Facade,
  c: Context,
  saved: ConnectionsState,
): Promise<Response> {
  try {
    const nonce = readCookie(f, c, 'dsmcp-cx');
    if (!nonce || !safeEqual(nonce, saved.nonce))
      throw new OAuthError('access_denied', 'this sign-in was started in another browser', 403);
    const q = new URL(c.req.url).searchParams;
    if (q.get('error')) throw new OAuthError('access_denied', 'DocSpace did not sign you in; try again');
    const code = q.get('code');
    if (!code) throw new OAuthError('invalid_request', 'DocSpace returned without a code');
    const app = f.settings.sharedApp;
    if (!app) throw new OAuthError('server_error', 'no DocSpace OAuth app is configured');
    const tokens = await f.upstream.exchangeCode(app, code, saved.verifier);
    const userId = await f.upstream.userId(tokens.accessToken);
    // DocSpace replaced the person's authorization for the app: the grant their connections use.
    await f.docspace.install({ userId, app, tokens, typedIn: false });
    const session: Session = { userId, appId: app.clientId, exp: f.settings.now() + SESSION_SECONDS * 1000 };
    const headers = new Headers({ location: '/connections', 'cache-control': 'no-store' });
    headers.append(
      'set-cookie',
      cookieHeader(f, 'dsmcp-session', await f.storageSealer.seal(session), SESSION_SECONDS),
    );
    headers.append('set-cookie', cookieHeader(f, 'dsmcp-cx', '', 0));
    f.audit.record({ event: 'connections.signed_in', outcome: 'success', userId });
    return new Response(null, { status: 302, headers });
  } catch (error) {
    return browserError(f, error);
  }
}
