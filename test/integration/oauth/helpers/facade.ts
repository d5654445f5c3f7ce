import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { pino } from 'pino';
import { type AuditEvent, createAudit, createMemoryAuditSink } from '../../../../src/audit/index.js';
import { createAuthenticator } from '../../../../src/auth/index.js';
import { createOAuth, type OAuthDeps } from '../../../../src/oauth/index.js';
import { createMemoryStore } from '../../../../src/store/memory.js';
import type { Store } from '../../../../src/store/store.js';
import { type Listening, listen } from './listen.js';

export { authorizeUrl, pkcePair } from '../../../helpers/pkce.js';

export const SECRET = 'test-secret-that-is-long-enough-0123456789';

export interface Facade {
  url: string;
  store: Store;
  events: (AuditEvent & { at: number })[];
  close(): Promise<void>;
}

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Our OAuth app plus a tiny `/mcp` that runs the authenticator and echoes the principal (and a
 * hash of the DocSpace token it would use), served on loopback.
 */
export async function startFacade(
  overrides: Partial<OAuthDeps> & {
    docspaceBaseUrl: string;
    acceptDocSpaceCredentials?: boolean;
    probeDocSpace?: boolean;
  },
): Promise<Facade> {
  const server: Listening = await listen();
  const store = overrides.store ?? createMemoryStore();
  const { events, sink } = createMemoryAuditSink();
  const logger = pino({ level: 'silent' });
  const audit = createAudit(logger, sink);
  const { acceptDocSpaceCredentials: _a, probeDocSpace: _p, ...deps } = overrides;
  const oauthServer = createOAuth({
    publicBaseUrl: server.url,
    secret: SECRET,
    store,
    logger,
    audit,
    ...deps,
  });
  const oauth = oauthServer.app;
  const authenticate = createAuthenticator({
    publicBaseUrl: overrides.publicBaseUrl ?? server.url,
    oauth: {
      secret: overrides.secret ?? SECRET,
      previousSecrets: overrides.previousSecrets,
      docspaceAccessToken: oauthServer.docspaceAccessToken,
    },
    acceptDocSpaceCredentials: overrides.acceptDocSpaceCredentials,
    audit,
    now: overrides.now,
  });
  const app = new Hono();
  app.all('/mcp', async (c) => {
    const outcome = await authenticate(c.req.raw);
    if (!outcome.ok) return outcome.response;
    const cred = outcome.credential;
    const secret =
      cred.kind === 'oauth'
        ? cred.accessToken
        : cred.kind === 'apiKey'
          ? cred.apiKey
          : cred.kind === 'personalToken'
            ? cred.token
            : '';
    let self: unknown;
    if (cred.kind === 'oauth' && overrides.probeDocSpace) {
      // Proves the credential works at DocSpace: who does the portal think this is?
      const res = await fetch(`${overrides.docspaceBaseUrl}/api/2.0/people/@self`, {
        headers: { authorization: `Bearer ${cred.accessToken}` },
      });
      const json = (await res.json().catch(() => ({}))) as { response?: { id?: string; email?: string } };
      self = { status: res.status, id: json.response?.id, email: json.response?.email };
    }
    return c.json({ principal: outcome.principal, kind: cred.kind, tokenHash: tokenHash(secret), self });
  });
  app.route('/', oauth);
  server.setHandler(app.fetch);
  return { url: server.url, store, events, close: () => server.close() };
}

/** Minimal cookie jar for a fetch-driven browser: name → value, one origin at a time is enough here. */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  absorb(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const i = pair.indexOf('=');
      this.cookies.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export async function register(
  url: string,
  body: Record<string, unknown>,
): Promise<Record<string, unknown> & { client_id: string; client_secret?: string }> {
  const res = await fetch(`${url}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown> & { client_id: string };
}

export function hiddenInputs(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) out[m[1]] = m[2];
  return out;
}

/**
 * Drives the browser leg with fetch and manual redirects: our authorize → consent page →
 * decision → DocSpace (a `upstream` callback handles sign-in pages) → our callback → the client's
 * redirect URI, which is returned without being fetched.
 */
export async function browserLeg(
  facadeUrl: string,
  authorize: string,
  opts: {
    decision?: 'allow' | 'deny';
    jar?: CookieJar;
    upstream?: (location: string) => Promise<string>;
    remember?: boolean;
  } = {},
): Promise<{ location: string; consentStatus: number; consentHtml: string }> {
  const jar = opts.jar ?? new CookieJar();
  const first = await fetch(authorize, { redirect: 'manual', headers: { cookie: jar.header() } });
  jar.absorb(first);
  const consentHtml = first.status === 200 ? await first.text() : '';
  let location: string;
  if (first.status === 200) {
    const fields = hiddenInputs(consentHtml);
    const form = new URLSearchParams({
      ...fields,
      decision: opts.decision ?? 'allow',
      ...(opts.remember ? { remember: '1' } : {}),
    });
    const post = await fetch(`${facadeUrl}/oauth/consent`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: jar.header(),
        origin: facadeUrl,
      },
      body: form,
    });
    jar.absorb(post);
    if (post.status !== 302)
      return {
        location: `status:${post.status}`,
        consentStatus: first.status,
        consentHtml: await post.text(),
      };
    location = post.headers.get('location') ?? '';
  } else if (first.status === 302) {
    location = first.headers.get('location') ?? '';
  } else {
    return {
      location: `status:${first.status}`,
      consentStatus: first.status,
      consentHtml: await first.text(),
    };
  }
  // Follow redirects through DocSpace until the client's redirect URI comes up (not fetched).
  for (let hop = 0; hop < 10 && !isClientRedirect(location); hop++) {
    if (!location.startsWith(facadeUrl) && opts.upstream) {
      location = await opts.upstream(location);
      continue;
    }
    const ours = location.startsWith(facadeUrl);
    const res = await fetch(location, { redirect: 'manual', headers: ours ? { cookie: jar.header() } : {} });
    if (ours) jar.absorb(res);
    if (res.status !== 302)
      return { location: `status:${res.status}`, consentStatus: first.status, consentHtml: await res.text() };
    location = res.headers.get('location') ?? '';
  }
  return { location, consentStatus: first.status, consentHtml };
}

/** Client redirect URIs in tests live under the `/client-callback` path (never served). */
export function isClientRedirect(location: string): boolean {
  try {
    const u = new URL(location);
    return u.pathname.endsWith('/client-callback') || u.protocol === 'cursor:';
  } catch {
    return false;
  }
}
