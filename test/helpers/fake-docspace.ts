import { createHash, randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import type { Clock } from '../../src/docspace/transport.js';
import { listen } from './listen.js';

/**
 * The one DocSpace stand-in besides the emulator, for what the emulator is too heavy or too
 * well-behaved for, in two forms:
 * - `fakeFetch(handler)`: a `fetch` that never touches the network, each answer scripted by the
 *   test (unit tests of the DocSpace client: envelopes, retries, aborts, with `fakeClock`);
 * - `startFakeDocSpace()`: a small portal on loopback with DocSpace's OAuth server
 *   (`/oauth2/authorize|token|revoke`, steerable: denial, outage, refused refresh, short-lived
 *   tokens) and `GET /api/2.0/people/@self` (answering after `delayMs`, counting callers that
 *   hung up first), for tests that run the whole server.
 * Both answer with the envelopes below. The full flows also run against the emulator.
 */

/** One request the client made, as the fake portal saw it. */
export interface Call {
  method: string;
  url: URL;
  headers: Headers;
  /** Parsed JSON body, the FormData, or the raw string. */
  body: unknown;
}

export type Handler = (call: Call) => Response | Promise<Response>;

/** A `fetch` that never touches the network: `handler` answers, every call is recorded. */
export function fakeFetch(handler: Handler): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fake = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const headers = new Headers(init.headers);
    let body: unknown = init.body;
    if (typeof init.body === 'string' && headers.get('content-type')?.includes('json'))
      body = JSON.parse(init.body);
    const call: Call = { method: init.method ?? 'GET', url, headers, body };
    calls.push(call);
    const signal = init.signal;
    if (signal?.aborted) throw signal.reason;
    const answer = Promise.resolve().then(() => handler(call));
    if (!signal) return answer;
    return new Promise<Response>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      answer.then(
        (r) => {
          signal.removeEventListener('abort', onAbort);
          resolve(r);
        },
        (e: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  };
  return { fetch: fake as typeof fetch, calls };
}

/** A DocSpace success envelope. */
export function ok(
  response: unknown,
  extra: { count?: number; total?: number; status?: number } = {},
): Response {
  const body: Record<string, unknown> = {
    response,
    count: extra.count ?? (Array.isArray(response) ? response.length : 1),
    links: [{ href: 'http://portal.test/api/2.0/x', action: 'GET' }],
    status: 0,
    statusCode: extra.status ?? 200,
  };
  if (extra.total !== undefined) body.total = extra.total;
  return Response.json(body, { status: extra.status ?? 200 });
}

/** A DocSpace error envelope (`ErrorApiResponse`). */
export function fail(status: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json(
    { error: { message, type: null, stack: null, hresult: 0 }, status: 1, statusCode: status },
    { status, headers },
  );
}

/** A bare status with no body, as DocSpace's auth layer answers. */
export function bare(status: number, headers: Record<string, string> = {}): Response {
  return new Response(null, { status, headers });
}

/** A clock whose sleeps return at once (still honouring abort) and advance `now`. */
export function fakeClock(start = 1_700_000_000_000): Clock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    random: () => 0.5,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      slept.push(ms);
      now += ms;
      await Promise.resolve();
      if (signal?.aborted) throw signal.reason;
    },
  };
}

export const BASE = 'http://portal.test';

export interface FakeDocSpaceOptions {
  /** The OAuth apps its OAuth server knows. */
  apps?: { clientId: string; clientSecret?: string }[];
  /** The person every sign-in and `people/@self` is; default `user-1`. */
  userId?: string;
  /** Lifetime of the access tokens it issues, in seconds; default 3600. */
  expiresIn?: number;
  /** `people/@self` answers after this long; default 0. */
  delayMs?: number;
}

export interface FakeDocSpace {
  url: string;
  behaviour: { deny: boolean; down: boolean; refuseRefresh: boolean; issueRefreshTokens: boolean };
  counts: { token: number; refresh: number; revoke: number };
  revoked: Set<string>;
  /** Every access token it issued (tests compare hashes, never print them). */
  issued: Set<string>;
  userId: string;
  delayMs: number;
  /** Requests to `people/@self`. */
  started: number;
  /** Of those, the ones whose caller hung up before the answer (cancellation reached DocSpace). */
  aborted: number;
  /** Headers of the last request, names in lower case. */
  lastHeaders?: Record<string, string>;
  close(): Promise<void>;
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const rand = () => randomBytes(24).toString('base64url');

/** Starts the fake portal on loopback (its access tokens are unsigned JWT-shaped strings naming the user). */
export async function startFakeDocSpace(opts: FakeDocSpaceOptions = {}): Promise<FakeDocSpace> {
  const server = await listen();
  const apps = opts.apps ?? [];
  const fake: FakeDocSpace = {
    url: server.url,
    behaviour: { deny: false, down: false, refuseRefresh: false, issueRefreshTokens: true },
    counts: { token: 0, refresh: 0, revoke: 0 },
    revoked: new Set(),
    issued: new Set(),
    userId: opts.userId ?? 'user-1',
    delayMs: opts.delayMs ?? 0,
    started: 0,
    aborted: 0,
    close: () => server.close(),
  };
  const codes = new Map<string, { clientId: string; challenge?: string; redirectUri: string }>();
  const refreshTokens = new Map<string, string>();
  const app = new Hono();
  const mint = (clientId: string) => {
    const accessToken = `${b64({ alg: 'none' })}.${b64({ sub: fake.userId, cid: clientId, exp: Math.floor(Date.now() / 1000) + (opts.expiresIn ?? 3600) })}.x`;
    fake.issued.add(accessToken);
    const body: Record<string, unknown> = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: opts.expiresIn ?? 3600,
      scope: 'files:read files:write',
    };
    if (fake.behaviour.issueRefreshTokens) {
      const rt = rand();
      refreshTokens.set(rt, clientId);
      body.refresh_token = rt;
    }
    return body;
  };
  app.use('*', async (c, next) => {
    fake.lastHeaders = Object.fromEntries(c.req.raw.headers);
    if (fake.behaviour.down) return c.text('bad gateway', 502);
    await next();
  });
  app.get('/oauth2/authorize', (c) => {
    const q = c.req.query();
    const known = apps.find((a) => a.clientId === q.client_id);
    if (!known || !q.redirect_uri) return c.text('unknown client', 400);
    if (q.scope) return c.text('the proxy must not send scope', 400);
    const target = new URL(q.redirect_uri);
    if (q.state) target.searchParams.set('state', q.state);
    if (fake.behaviour.deny) target.searchParams.set('error', 'access_denied');
    else {
      const code = rand();
      codes.set(code, { clientId: q.client_id, challenge: q.code_challenge, redirectUri: q.redirect_uri });
      target.searchParams.set('code', code);
    }
    return c.redirect(target.toString(), 302);
  });
  app.post('/oauth2/token', async (c) => {
    fake.counts.token++;
    const form = new URLSearchParams(await c.req.text());
    const app_ = apps.find((a) => a.clientId === form.get('client_id'));
    if (!app_ || (app_.clientSecret && app_.clientSecret !== form.get('client_secret')))
      return c.json({ error: 'invalid_client' }, 401);
    if (form.get('grant_type') === 'authorization_code') {
      const entry = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      if (!entry || entry.clientId !== app_.clientId || entry.redirectUri !== form.get('redirect_uri'))
        return c.json({ error: 'invalid_grant' }, 400);
      if (entry.challenge) {
        const hash = createHash('sha256')
          .update(form.get('code_verifier') ?? '')
          .digest('base64url');
        if (hash !== entry.challenge) return c.json({ error: 'invalid_grant' }, 400);
      }
      return c.json(mint(app_.clientId));
    }
    if (form.get('grant_type') === 'refresh_token') {
      fake.counts.refresh++;
      const rt = form.get('refresh_token') ?? '';
      if (fake.behaviour.refuseRefresh || refreshTokens.get(rt) !== app_.clientId)
        return c.json({ error: 'invalid_grant' }, 400);
      refreshTokens.delete(rt);
      return c.json(mint(app_.clientId));
    }
    return c.json({ error: 'unsupported_grant_type' }, 400);
  });
  app.post('/oauth2/revoke', async (c) => {
    fake.counts.revoke++;
    const form = new URLSearchParams(await c.req.text());
    const token = form.get('token') ?? '';
    fake.revoked.add(token);
    refreshTokens.delete(token);
    return c.body(null, 200);
  });
  app.get('/api/2.0/people/@self', async (c) => {
    fake.started++;
    const signal = c.req.raw.signal;
    const hungUp = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), fake.delayMs);
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve(true);
        },
        { once: true },
      );
    });
    if (hungUp) {
      fake.aborted++;
      return new Response(null, { status: 499 });
    }
    return ok({
      id: fake.userId,
      displayName: 'Test Owner',
      email: 'owner@example.com',
      isOwner: true,
      isAdmin: true,
    });
  });
  app.all('/api/*', () => fail(404, 'not found'));
  server.setHandler(app.fetch);
  return fake;
}
