// A real loopback server running only the emulator's OAuth server, with a tiny directory and a
// clock the tests move by hand. Shared by the oauth-*.test.ts files.
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import {
  createMemoryDirectory,
  createOAuthServer,
  type OAuthApp,
  type OAuthDirectory,
  type OAuthServer,
} from '../../../emulator/oauth/index.js';

export const ALICE = {
  id: '66faa6e4-f133-11ea-b126-00ffeec8b4ef',
  email: 'alice@example.com',
  password: 'alice-pw',
  role: 'admin',
};
export const BOB = {
  id: '0c5b1e2a-2f3d-4e5f-8a9b-1c2d3e4f5a6b',
  email: 'bob@example.com',
  password: 'bob-pw',
  role: 'user',
};

const BASE_APP = {
  description: '',
  allowedOrigins: ['https://app.example.com'],
  logoutRedirectUri: 'https://app.example.com/logout',
  allowPkce: false,
  isPublic: true,
  enabled: true,
  websiteUrl: 'https://app.example.com',
  termsUrl: 'https://app.example.com/terms',
  policyUrl: 'https://app.example.com/privacy',
  logo: 'data:image/png;base64,iVBORw0KGgo=',
  createdBy: ALICE.id,
  created: new Date('2025-01-01T00:00:00Z'),
};

function app(over: Partial<OAuthApp> & Pick<OAuthApp, 'clientId' | 'name'>): OAuthApp {
  return {
    ...BASE_APP,
    clientSecret: `${over.clientId}-secret`,
    redirectUris: ['https://app.example.com/callback'],
    scopes: ['openid', 'files:read', 'files:write', 'rooms:read'],
    ...over,
  };
}

export const APPS = {
  web: app({
    clientId: 'web-app',
    name: 'Web App',
    redirectUris: ['https://app.example.com/callback', 'http://127.0.0.1/cb'],
  }),
  native: app({
    clientId: 'native-app',
    name: 'Native App',
    allowPkce: true,
    redirectUris: ['http://127.0.0.1:9999/callback'],
  }),
  other: app({ clientId: 'other-app', name: 'Other App' }),
  disabled: app({ clientId: 'disabled-app', name: 'Disabled App', enabled: false }),
  private: app({ clientId: 'private-app', name: 'Private App', isPublic: false }),
};

export interface Harness {
  url: string;
  oauth: OAuthServer;
  directory: OAuthDirectory;
  clock: { now: number; advance(ms: number): void };
  faults: { oauthDown?: boolean };
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  let url = '';
  const clock = {
    now: Date.now(),
    advance(ms: number) {
      clock.now += ms;
    },
  };
  const faults: { oauthDown?: boolean } = {};
  const directory = createMemoryDirectory({
    baseUrl: () => url,
    users: [ALICE, BOB],
    apps: Object.values(APPS).map((a) => ({
      ...a,
      redirectUris: [...a.redirectUris],
      scopes: [...a.scopes],
    })),
  });
  const oauth = createOAuthServer({
    directory,
    clock: () => clock.now,
    faults: () => faults,
    // The portal resolves its own credentials; here `Authorization: Test <userId>` names the caller.
    resolveCaller: (req) => {
      const m = /^Test (.+)$/.exec(req.headers.get('authorization') ?? '');
      return m ? directory.userById(m[1] as string) : undefined;
    },
  });
  const root = new Hono();
  root.route('/', oauth.app);
  root.route('/', oauth.clientsApp);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: root.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    oauth,
    directory,
    clock,
    faults,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authorizeUrl(h: Harness, params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, v);
  return `${h.url}/oauth2/authorize?${q}`;
}

export function form(fields: Record<string, string | string[]>): {
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  redirect: 'manual';
} {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields))
    for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
    redirect: 'manual',
  };
}

export function hidden(html: string, formId: string, name: string): string[] {
  const start = html.indexOf(`id="${formId}"`);
  const end = html.indexOf('</form>', start);
  const section = start < 0 ? '' : html.slice(start, end);
  return [...section.matchAll(new RegExp(`name="${name}" value="([^"]*)"`, 'g'))].map((m) =>
    (m[1] as string).replace(/&amp;/g, '&'),
  );
}

export function sessionCookie(res: Response): string {
  const m = /x-signature=([^;]+)/.exec(res.headers.get('set-cookie') ?? '');
  if (!m) throw new Error('no session cookie was set');
  return `x-signature=${m[1]}`;
}

/** GET authorize → sign in → consent page. Returns the consent page and the session cookie. */
export async function signIn(
  url: string,
  user: { email: string; password: string } = ALICE,
): Promise<{ res: Response; html: string; cookie: string }> {
  const first = await fetch(url, { redirect: 'manual' });
  if (first.status !== 200)
    throw new Error(`authorize answered ${first.status} ${first.headers.get('location')}`);
  await first.text();
  const res = await fetch(url, form({ email: user.email, password: user.password }));
  return { res, html: res.status === 200 ? await res.text() : '', cookie: sessionCookie(res) };
}

/** Posts the consent page's allow (or deny) form; returns the redirect location. */
export async function consent(
  h: Harness,
  html: string,
  choice: 'allow' | 'deny' = 'allow',
  extra: Record<string, string> = {},
): Promise<Response> {
  const formId = choice === 'allow' ? 'consent-allow' : 'consent-deny';
  const fields: Record<string, string | string[]> = {
    client_id: hidden(html, formId, 'client_id')[0] ?? '',
    state: hidden(html, formId, 'state')[0] ?? '',
  };
  const scopes = hidden(html, formId, 'scope');
  if (scopes.length) fields.scope = scopes;
  const init = form(fields);
  return fetch(`${h.url}/oauth2/authorize`, { ...init, headers: { ...init.headers, ...extra } });
}

/** The whole browser part: returns the code and state from the redirect. */
export async function authorize(
  h: Harness,
  params: Record<string, string | undefined>,
  user: { email: string; password: string } = ALICE,
): Promise<{ code: string; state: string | null; location: URL; cookie: string }> {
  const { html, cookie, res } = await signIn(authorizeUrl(h, { response_type: 'code', ...params }), user);
  const done = res.status === 302 ? res : await consent(h, html);
  const location = new URL(done.headers.get('location') ?? '');
  const code = location.searchParams.get('code');
  if (!code) throw new Error(`no code in ${location}`);
  return { code, state: location.searchParams.get('state'), location, cookie };
}

export async function token(
  h: Harness,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const init = form(fields);
  const res = await fetch(`${h.url}/oauth2/token`, { ...init, headers: { ...init.headers, ...headers } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Code → tokens for a confidential app (the web app unless told), signed in as Alice unless told. */
export async function webTokens(
  h: Harness,
  params: Record<string, string> = {},
  user: { email: string; password: string } = ALICE,
  app: OAuthApp = APPS.web,
): Promise<Record<string, unknown>> {
  const redirectUri = 'https://app.example.com/callback';
  const { code } = await authorize(
    h,
    { client_id: app.clientId, redirect_uri: redirectUri, state: 's', ...params },
    user,
  );
  const res = await token(h, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: params.redirect_uri ?? redirectUri,
    client_id: app.clientId,
    client_secret: app.clientSecret,
  });
  if (res.status !== 200) throw new Error(`token exchange failed: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function introspect(h: Harness, tokenValue: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${h.url}/oauth2/introspect`, form({ token: tokenValue }));
  return (await res.json()) as Record<string, unknown>;
}
