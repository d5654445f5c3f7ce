import type { Context, Hono } from 'hono';
import { type AccessLevel, parseAccessLevel, raisesAccess } from './access-level.js';
import { isStoreUnavailable } from '../store/errors.js';
import { type ClientRecord, resolveClient } from './clients.js';
import {
  allConnectionsPage,
  confirmRaisePage,
  connectionsPage,
  type ConnectionView,
  signedOutPage,
} from './connections-page.js';
import { browserError, type Facade } from './context.js';
import { cookieHeader, readCookie } from './cookies.js';
import { createPkcePair, hmac, randomToken, safeEqual, sha256 } from './crypto.js';
import { OAuthError } from './errors.js';
import { PAGE_HEADERS } from './pages.js';
import { raw } from '../pages/html.js';
import { mountPersonalTokens, personalTokensFor } from './personal-tokens-page.js';
import { listConnections } from './person-connections.js';
import { type ConnectionsState, docspaceGrant, state as stateRecord } from './records/index.js';

/**
 * `/connections`: a person signs in with DocSpace (the same upstream leg clients use) and sees
 * the AI clients connected to their account, and revokes them. Our own session: a sealed cookie
 * naming the person, an hour long; every POST carries a CSRF token bound to that cookie.
 *
 * The page's sign-in is a DocSpace authorization like any other, and DocSpace keeps one per
 * person and app: its tokens are installed as the person's DocSpace grant, so the connections
 * listed keep working.
 */

export type { ConnectionsState } from './records/index.js';

interface Session {
  userId: string;
  appId: string;
  exp: number;
  /**
   * The portal's owner or a DocSpace admin (from `people/@self` at sign-in): sees everyone's
   * connections. Held for the session's hour; a role taken away ends with it.
   */
  admin?: boolean;
}

/** People per page of the admins' view (each is one store read). */
const PEOPLE_PER_PAGE = 25;

const SESSION_SECONDS = 3600;
const STATE_SECONDS = 600;

export function isConnectionsState(saved: unknown): saved is ConnectionsState {
  return typeof saved === 'object' && saved !== null && (saved as ConnectionsState).purpose === 'connections';
}

export async function sessionOf(
  f: Facade,
  c: Context,
): Promise<{ session: Session; raw: string } | undefined> {
  const raw = readCookie(f, c, 'dsmcp-session');
  if (!raw) return undefined;
  const session = await f.storageSealer.open<Session>(raw);
  if (!session || session.exp < f.settings.now()) return undefined;
  return { session, raw };
}

const csrfOf = (f: Facade, sessionCookie: string) => hmac(f.macKey, `connections:${sha256(sessionCookie)}`);

/** Proves the confirmation page for raising this connection was shown in this session. */
const raiseToken = (f: Facade, sessionCookie: string, gid: string) =>
  hmac(f.macKey, `connections-raise:${gid}:${sha256(sessionCookie)}`);

/** The level requests of this connection get now (the copy in the person's DocSpace grant). */
async function connectionAccess(f: Facade, session: Session, gid: string): Promise<AccessLevel | undefined> {
  const record = await f.docspace.get(docspaceGrant.key(session.userId, session.appId));
  const ref = record?.connections.find((r) => r.gid === gid);
  return ref ? (ref.access ?? 'write') : undefined;
}

function page(html: string, status = 200, extra: Record<string, string> = {}): Response {
  return new Response(html, { status, headers: { ...PAGE_HEADERS, ...extra } });
}

async function describe(f: Facade, userId: string): Promise<ConnectionView[]> {
  const views: ConnectionView[] = [];
  for (const { grant, ...ref } of await listConnections(f, userId)) {
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
      // What requests check (the copy in this record), so the page shows what is enforced.
      access: ref.access ?? grant.access ?? 'write',
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
      const connections = await describe(f, signedIn.session.userId);
      const notice = new URL(c.req.url).searchParams.get('done') ?? undefined;
      const csrf = csrfOf(f, signedIn.raw);
      const tokens = await personalTokensFor(f, c, signedIn.session, csrf);
      return page(
        connectionsPage({
          portalUrl: f.settings.portalUrl,
          connections,
          csrf,
          // The tokens section escapes every value itself (escapeHtml; test/unit/oauth/personal-tokens*).
          sections: [raw(tokens.html)],
          notice:
            notice === 'revoked'
              ? 'The connection was revoked.'
              : notice === 'all'
                ? 'Every connection was revoked.'
                : notice === 'read'
                  ? 'The connection can now only read. Its next request already follows this.'
                  : notice === 'write'
                    ? 'The connection can now read and write.'
                    : undefined,
          writeAllowed: f.settings.writeAllowed,
          admin: signedIn.session.admin === true,
        }),
        200,
        tokens.headers,
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
      await f.records.set(stateRecord, stateRecord.key(state), saved, STATE_SECONDS);
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

  mountPersonalTokens(app, f, post);

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

  /**
   * Changes one connection's access level. Lowering takes effect at the connection's next
   * request; raising shows a page to confirm first, whose form carries a token bound to this
   * session, connection and level (the list's own button cannot raise by itself).
   */
  app.post('/connections/access', async (c) => {
    try {
      const checked = await post(c);
      if (checked instanceof Response) return checked;
      const { session, form } = checked;
      const gid = form.get('connection') ?? '';
      const level = parseAccessLevel(form.get('access'));
      if (!level) throw new OAuthError('invalid_request', 'choose Read only or Read and write');
      const grant = gid ? await f.grants.describe(gid) : undefined;
      if (!grant || grant.userId !== session.userId)
        throw new OAuthError('invalid_request', 'there is no such connection on your account', 404);
      if (level === 'write' && !f.settings.writeAllowed)
        throw new OAuthError(
          'access_denied',
          'this server allows reading only (its operator’s setting), so no connection can write',
          403,
        );
      const current: AccessLevel = (await connectionAccess(f, session, gid)) ?? grant.access ?? 'write';
      const raw = readCookie(f, c, 'dsmcp-session') ?? '';
      if (raisesAccess(current, level) && !safeEqual(form.get('confirm') ?? '', raiseToken(f, raw, gid))) {
        const client = await resolveClient(f.store, f.settings, grant.clientId).catch((error: unknown) => {
          if (isStoreUnavailable(error)) throw error;
          return undefined;
        });
        return page(
          confirmRaisePage({
            name: client?.clientName ?? 'this app',
            connection: gid,
            csrf: csrfOf(f, raw),
            confirm: raiseToken(f, raw, gid),
          }),
        );
      }
      if (!(await f.grants.setAccess(gid, session.userId, level)))
        throw new OAuthError('invalid_request', 'there is no such connection on your account', 404);
      return new Response(null, { status: 303, headers: { location: `/connections?done=${level}` } });
    } catch (error) {
      return browserError(f, error);
    }
  });

  /** The portal admins' view: everyone's connections, paged by person, with Revoke. */
  app.get('/connections/all', async (c) => {
    try {
      const signedIn = await sessionOf(f, c);
      if (!signedIn?.session.admin || !appId)
        throw new OAuthError('invalid_request', 'there is no such page', 404);
      const pageNo = Math.max(1, Math.floor(Number(new URL(c.req.url).searchParams.get('page')) || 1));
      const { people, total } = await f.people.page((pageNo - 1) * PEOPLE_PER_PAGE, PEOPLE_PER_PAGE);
      const groups: { userId: string; person?: string; connections: ConnectionView[] }[] = [];
      const empty: { id: string; at: number }[] = [];
      for (const person of people) {
        const connections = await describe(f, person.id);
        if (connections.length > 0) groups.push({ userId: person.id, connections });
        else empty.push(person);
      }
      await f.people.remove(empty);
      // Names from DocSpace with the admin's own sign-in (best effort: the id shows otherwise).
      const token = await f.docspace.currentToken(docspaceGrant.key(signedIn.session.userId, appId));
      if (token)
        await Promise.all(
          groups.map(async (g) => {
            const found = await f.upstream.person(token, g.userId);
            const label = [found?.name, found?.email && `<${found.email}>`].filter(Boolean).join(' ');
            if (label) g.person = label;
          }),
        );
      const notice = new URL(c.req.url).searchParams.get('done');
      return page(
        allConnectionsPage({
          portalUrl: f.settings.portalUrl,
          groups,
          csrf: csrfOf(f, signedIn.raw),
          page: pageNo,
          pages: Math.max(1, Math.ceil(total / PEOPLE_PER_PAGE)),
          notice: notice === 'revoked' ? 'The connection was revoked.' : undefined,
        }),
      );
    } catch (error) {
      return browserError(f, error);
    }
  });

  app.post('/connections/all/revoke', async (c) => {
    try {
      const checked = await post(c);
      if (checked instanceof Response) return checked;
      if (!checked.session.admin) throw new OAuthError('invalid_request', 'there is no such page', 404);
      const gid = checked.form.get('connection') ?? '';
      const grant = gid ? await f.grants.describe(gid) : undefined;
      if (!grant) throw new OAuthError('invalid_request', 'there is no such connection', 404);
      await f.grants.revokeGrant(gid, `revoked by portal admin ${checked.session.userId}`);
      return new Response(null, { status: 303, headers: { location: '/connections/all?done=revoked' } });
    } catch (error) {
      return browserError(f, error);
    }
  });

  app.post('/connections/revoke-all', async (c) => {
    try {
      const checked = await post(c);
      if (checked instanceof Response) return checked;
      const { userId } = checked.session;
      for (const view of appId ? await describe(f, userId) : [])
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
    const admin = await f.upstream.isPortalAdmin(tokens.accessToken);
    const session: Session = {
      userId,
      appId: app.clientId,
      exp: f.settings.now() + SESSION_SECONDS * 1000,
      ...(admin ? { admin } : {}),
    };
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
