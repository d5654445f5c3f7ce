import { createHash, randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { type Listening, listen } from './listen.js';

/**
 * A small stand-in for DocSpace's OAuth server, for the fault cases the tests need to steer
 * exactly (denial, outage, refusal, short-lived tokens). The full flow also runs against the
 * emulator. Its access tokens are unsigned JWT-shaped strings whose `sub` names the user.
 */
export interface FakeDocSpaceOptions {
  apps: { clientId: string; clientSecret?: string }[];
  userId?: string;
  /** Lifetime of access tokens it issues. */
  expiresIn?: number;
}

export interface FakeDocSpace {
  url: string;
  behaviour: { deny: boolean; down: boolean; refuseRefresh: boolean; issueRefreshTokens: boolean };
  counts: { token: number; refresh: number; revoke: number };
  revoked: Set<string>;
  /** Every access token it issued (tests compare hashes, never print them). */
  issued: Set<string>;
  userId: string;
  close(): Promise<void>;
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const rand = () => randomBytes(24).toString('base64url');

export async function startFakeDocSpace(opts: FakeDocSpaceOptions): Promise<FakeDocSpace> {
  const server: Listening = await listen();
  const fake: FakeDocSpace = {
    url: server.url,
    behaviour: { deny: false, down: false, refuseRefresh: false, issueRefreshTokens: true },
    counts: { token: 0, refresh: 0, revoke: 0 },
    revoked: new Set(),
    issued: new Set(),
    userId: opts.userId ?? 'user-1',
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
    if (fake.behaviour.down) return c.text('bad gateway', 502);
    await next();
  });
  app.get('/oauth2/authorize', (c) => {
    const q = c.req.query();
    const known = opts.apps.find((a) => a.clientId === q.client_id);
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
    const app_ = opts.apps.find((a) => a.clientId === form.get('client_id'));
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
  server.setHandler(app.fetch);
  return fake;
}
