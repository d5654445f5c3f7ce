import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Facade, startFacade } from './helpers/facade.js';
import { type FakeDocSpace, startFakeDocSpace } from '../../helpers/fake-docspace.js';
import { codeFor, postForm, tokensFor } from './helpers/flow.js';

const APP = { clientId: 'docspace-app-1', clientSecret: 'docspace-app-secret' };

describe('token endpoint: nothing is issued for a wrong or replayed request', () => {
  let upstream: FakeDocSpace;
  let facade: Facade;
  let skew = 0;
  const token = (fields: Record<string, string>) => postForm(`${facade.url}/oauth/token`, fields);

  before(async () => {
    upstream = await startFakeDocSpace({ apps: [APP] });
    facade = await startFacade({
      docspaceBaseUrl: upstream.url,
      clientId: APP.clientId,
      clientSecret: APP.clientSecret,
      refreshGraceMs: 30_000,
      now: () => Date.now() + skew,
    });
  });
  after(async () => {
    await facade.close();
    await upstream.close();
  });

  it('a missing or wrong PKCE verifier is invalid_grant, and spends the code', async () => {
    const c = await codeFor(facade.url);
    const fields = {
      grant_type: 'authorization_code',
      code: c.code,
      redirect_uri: c.redirectUri,
      client_id: c.clientId,
    };
    const missing = await token(fields);
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error, 'invalid_grant');
    const c2 = await codeFor(facade.url, { clientId: c.clientId });
    // Another last character (one verifier in 64 already ended with the replacement: a flaky pass).
    const last = c2.verifier.endsWith('X') ? 'Y' : 'X';
    const wrong = await token({
      ...fields,
      code: c2.code,
      code_verifier: `${c2.verifier.slice(0, -1)}${last}`,
    });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error, 'invalid_grant');
    const late = await token({ ...fields, code: c2.code, code_verifier: c2.verifier });
    assert.equal(late.body.error, 'invalid_grant', 'a code is single use even after a failed attempt');
  });

  it('a replayed code is invalid_grant', async () => {
    const c = await codeFor(facade.url);
    const fields = {
      grant_type: 'authorization_code',
      code: c.code,
      redirect_uri: c.redirectUri,
      client_id: c.clientId,
      code_verifier: c.verifier,
    };
    const first = await token(fields);
    assert.equal(first.status, 200);
    const replay = await token(fields);
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, 'invalid_grant');
    assert.equal(replay.body.access_token, undefined);
  });

  it('a replayed code revokes the tokens already issued from it (OAuth 2.1 §4.1.3)', async () => {
    const c = await codeFor(facade.url);
    const fields = {
      grant_type: 'authorization_code',
      code: c.code,
      redirect_uri: c.redirectUri,
      client_id: c.clientId,
      code_verifier: c.verifier,
    };
    const first = await token(fields);
    assert.equal(first.status, 200);
    const access = String(first.body.access_token);
    const mcp = () => fetch(`${facade.url}/mcp`, { headers: { authorization: `Bearer ${access}` } });
    assert.equal((await mcp()).status, 200);
    assert.equal((await token(fields)).body.error, 'invalid_grant');
    assert.equal((await mcp()).status, 401, 'the access token issued from the code is revoked');
    const refreshed = await token({
      grant_type: 'refresh_token',
      refresh_token: String(first.body.refresh_token),
      client_id: c.clientId,
    });
    assert.equal(refreshed.body.error, 'invalid_grant', 'and its refresh token');
    assert.ok(
      facade.events.some(
        (e) => e.event === 'token.revoked' && e.clientId === c.clientId && /code replay/.test(e.reason ?? ''),
      ),
    );
  });

  it('a different redirect URI or another client at the token endpoint is refused', async () => {
    const c = await codeFor(facade.url);
    const other = await codeFor(facade.url);
    const base = {
      grant_type: 'authorization_code',
      code: c.code,
      code_verifier: c.verifier,
      client_id: c.clientId,
    };
    assert.equal(
      (await token({ ...base, redirect_uri: 'http://127.0.0.1:7000/client-callback/x' })).body.error,
      'invalid_grant',
    );
    const stolen = await token({
      grant_type: 'authorization_code',
      code: other.code,
      code_verifier: other.verifier,
      redirect_uri: other.redirectUri,
      client_id: c.clientId,
    });
    assert.equal(stolen.body.error, 'invalid_grant');
  });

  it('an unknown client is 401 invalid_client (clients re-register on it)', async () => {
    const res = await token({ grant_type: 'refresh_token', refresh_token: 'x.y', client_id: 'mcp_unknown' });
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'invalid_client');
    assert.equal(res.headers.get('www-authenticate'), 'Basic realm="oauth"');
  });

  it('unsupported grant types and non-form bodies are refused', async () => {
    const c = await codeFor(facade.url);
    assert.equal(
      (await token({ grant_type: 'client_credentials', client_id: c.clientId })).body.error,
      'unsupported_grant_type',
    );
    const json = await fetch(`${facade.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(json.status, 400);
  });

  it('two refreshes of one token at once both succeed, with the same successor', async () => {
    const t = await tokensFor(facade.url);
    const fields = {
      grant_type: 'refresh_token',
      refresh_token: String(t.body.refresh_token),
      client_id: t.clientId,
    };
    const [a, b] = await Promise.all([token(fields), token(fields)]);
    assert.equal(a.status, 200, JSON.stringify(a.body));
    assert.equal(b.status, 200, JSON.stringify(b.body));
    assert.equal(a.body.refresh_token, b.body.refresh_token);
    const next = await token({ ...fields, refresh_token: String(a.body.refresh_token) });
    assert.equal(next.status, 200, 'the successor works');
  });

  it('a slow racer holding an older token within the grace window converges on the current token', async () => {
    const t = await tokensFor(facade.url);
    const t0 = String(t.body.refresh_token);
    const r1 = await token({ grant_type: 'refresh_token', refresh_token: t0, client_id: t.clientId });
    const r2 = await token({
      grant_type: 'refresh_token',
      refresh_token: String(r1.body.refresh_token),
      client_id: t.clientId,
    });
    assert.equal(r2.status, 200);
    const late = await token({ grant_type: 'refresh_token', refresh_token: t0, client_id: t.clientId });
    assert.equal(late.status, 200, JSON.stringify(late.body));
    assert.equal(late.body.refresh_token, r2.body.refresh_token);
  });

  it('a replayed refresh token after the grace window revokes the whole family', async () => {
    const t = await tokensFor(facade.url);
    const old = String(t.body.refresh_token);
    const first = await token({ grant_type: 'refresh_token', refresh_token: old, client_id: t.clientId });
    assert.equal(first.status, 200);
    const liveAccess = String(first.body.access_token);
    assert.equal(
      (await fetch(`${facade.url}/mcp`, { headers: { authorization: `Bearer ${liveAccess}` } })).status,
      200,
    );
    skew += 60_000;
    const replay = await token({ grant_type: 'refresh_token', refresh_token: old, client_id: t.clientId });
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, 'invalid_grant');
    const successor = await token({
      grant_type: 'refresh_token',
      refresh_token: String(first.body.refresh_token),
      client_id: t.clientId,
    });
    assert.equal(successor.body.error, 'invalid_grant', 'the family is gone');
    assert.equal(
      (await fetch(`${facade.url}/mcp`, { headers: { authorization: `Bearer ${liveAccess}` } })).status,
      401,
      'its access tokens too',
    );
    assert.ok(facade.events.some((e) => e.event === 'refresh.reused' && e.clientId === t.clientId));
  });

  it('a refresh token of another client is refused', async () => {
    const t = await tokensFor(facade.url);
    const other = await tokensFor(facade.url);
    const res = await token({
      grant_type: 'refresh_token',
      refresh_token: String(t.body.refresh_token),
      client_id: other.clientId,
    });
    assert.equal(res.body.error, 'invalid_grant');
  });
});

describe('server-side DocSpace refresh', () => {
  let upstream: FakeDocSpace;
  let facade: Facade;
  const clock = { now: Date.now() };
  const token = (fields: Record<string, string>) => postForm(`${facade.url}/oauth/token`, fields);
  /** Moves the server's clock into the last quarter of a 2-minute DocSpace token's life. */
  const nearDocSpaceExpiry = () => {
    clock.now += 100_000;
  };

  before(async () => {
    upstream = await startFakeDocSpace({ apps: [APP], expiresIn: 120 });
    facade = await startFacade({
      docspaceBaseUrl: upstream.url,
      clientId: APP.clientId,
      clientSecret: APP.clientSecret,
      now: () => clock.now,
    });
  });
  after(async () => {
    await facade.close();
    await upstream.close();
  });

  it('our access token lives its own hour; a refresh near the DocSpace expiry renews DocSpace’s once', async () => {
    const t = await tokensFor(facade.url);
    assert.equal(Number(t.body.expires_in), 3600);
    const before = upstream.counts.refresh;
    const early = await token({
      grant_type: 'refresh_token',
      refresh_token: String(t.body.refresh_token),
      client_id: t.clientId,
    });
    assert.equal(early.status, 200);
    assert.equal(upstream.counts.refresh, before, 'a young DocSpace token is left alone');
    nearDocSpaceExpiry();
    const late = await token({
      grant_type: 'refresh_token',
      refresh_token: String(early.body.refresh_token),
      client_id: t.clientId,
    });
    assert.equal(late.status, 200);
    assert.equal(upstream.counts.refresh, before + 1);
  });

  it('DocSpace down during a refresh: temporarily_unavailable, and the family survives', async () => {
    const t = await tokensFor(facade.url);
    nearDocSpaceExpiry();
    upstream.behaviour.down = true;
    const down = await token({
      grant_type: 'refresh_token',
      refresh_token: String(t.body.refresh_token),
      client_id: t.clientId,
    });
    upstream.behaviour.down = false;
    assert.equal(down.status, 503);
    assert.equal(down.body.error, 'temporarily_unavailable');
    const retry = await token({
      grant_type: 'refresh_token',
      refresh_token: String(t.body.refresh_token),
      client_id: t.clientId,
    });
    assert.equal(retry.status, 200);
  });

  it('DocSpace refusing the refresh: invalid_grant and the grant is revoked', async () => {
    const t = await tokensFor(facade.url);
    nearDocSpaceExpiry();
    upstream.behaviour.refuseRefresh = true;
    try {
      const refused = await token({
        grant_type: 'refresh_token',
        refresh_token: String(t.body.refresh_token),
        client_id: t.clientId,
      });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error, 'invalid_grant');
      assert.equal(
        (
          await fetch(`${facade.url}/mcp`, {
            headers: { authorization: `Bearer ${String(t.body.access_token)}` },
          })
        ).status,
        401,
      );
    } finally {
      upstream.behaviour.refuseRefresh = false;
    }
  });
});
