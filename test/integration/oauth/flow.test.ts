import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  authorizeUrl,
  browserLeg,
  type Facade,
  pkcePair,
  register,
  startFacade,
  tokenHash,
} from './helpers/facade.js';
import { type FakeDocSpace, startFakeDocSpace } from '../../helpers/fake-docspace.js';

const APP = { clientId: 'docspace-app-1', clientSecret: 'docspace-app-secret' };

async function token(url: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

describe('OAuth flow with a registered client (DCR) against a DocSpace OAuth server', () => {
  let upstream: FakeDocSpace;
  let facade: Facade;
  before(async () => {
    upstream = await startFakeDocSpace({ apps: [APP] });
    facade = await startFacade({
      docspaceBaseUrl: upstream.url,
      clientId: APP.clientId,
      clientSecret: APP.clientSecret,
    });
  });
  after(async () => {
    await facade.close();
    await upstream.close();
  });

  it('registers, authorizes with PKCE, uses, refreshes and revokes; the client never sees a DocSpace token', async () => {
    const started = performance.now();
    const redirectUri = 'http://127.0.0.1:5555/client-callback?from=test';
    const client = await register(facade.url, {
      client_name: 'Flow Test',
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'none',
    });
    assert.match(client.client_id, /^mcp_/);
    assert.notEqual(client.client_id, APP.clientId, 'each client gets its own id, never the DocSpace app id');
    assert.equal(client.client_secret, undefined);

    const { verifier, challenge } = pkcePair();
    const leg = await browserLeg(
      facade.url,
      authorizeUrl(facade.url, {
        response_type: 'code',
        client_id: client.client_id,
        redirect_uri: redirectUri,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state: 'client-state-1',
        scope: ' offline_access  mcp ',
      }),
    );
    assert.equal(leg.consentStatus, 200);
    assert.match(leg.consentHtml, /Flow Test/);
    assert.match(leg.consentHtml, /unverified/);
    const back = new URL(leg.location);
    assert.equal(`${back.origin}${back.pathname}`, 'http://127.0.0.1:5555/client-callback');
    assert.equal(back.searchParams.get('from'), 'test', "the client's own query parameters survive");
    assert.equal(back.searchParams.get('state'), 'client-state-1');
    assert.equal(back.searchParams.get('iss'), facade.url, 'RFC 9207 iss');
    const code = back.searchParams.get('code') ?? '';
    assert.ok(code.length > 20);

    const issued = await token(facade.url, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
      client_id: client.client_id,
      resource: `${facade.url}/mcp`,
    });
    const elapsed = performance.now() - started;
    console.log(`[oauth] one whole flow (register → token) on loopback: ${elapsed.toFixed(1)} ms`);
    assert.equal(issued.status, 200, JSON.stringify(issued.body.error));
    assert.equal(issued.headers.get('cache-control'), 'no-store');
    assert.equal(issued.body.token_type, 'Bearer');
    assert.equal(issued.body.scope, undefined, 'no scope by default');
    const accessToken = String(issued.body.access_token);
    const refreshToken = String(issued.body.refresh_token);
    assert.equal(accessToken.split('.').length, 5, 'a sealed JWE');
    for (const dsToken of upstream.issued) {
      assert.ok(!JSON.stringify(issued.body).includes(dsToken), 'no DocSpace token in the response');
    }
    assert.ok(Number(issued.body.expires_in) > 3000 && Number(issued.body.expires_in) <= 3600);

    const use = await fetch(`${facade.url}/mcp`, { headers: { authorization: `Bearer ${accessToken}` } });
    assert.equal(use.status, 200);
    const echoed = (await use.json()) as {
      principal: { userId: string; clientId: string };
      kind: string;
      tokenHash: string;
    };
    assert.equal(echoed.kind, 'oauth');
    assert.equal(echoed.principal.userId, upstream.userId);
    assert.equal(echoed.principal.clientId, client.client_id);
    assert.ok(
      [...upstream.issued].some((t) => tokenHash(t) === echoed.tokenHash),
      'the DocSpace token reaches the DocSpace client',
    );

    const refreshed = await token(facade.url, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: client.client_id,
    });
    assert.equal(refreshed.status, 200);
    assert.notEqual(refreshed.body.refresh_token, refreshToken, 'rotated');
    const newAccess = String(refreshed.body.access_token);
    assert.equal(
      (await fetch(`${facade.url}/mcp`, { headers: { authorization: `Bearer ${newAccess}` } })).status,
      200,
    );

    const revoke = await fetch(`${facade.url}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: String(refreshed.body.refresh_token), client_id: client.client_id }),
    });
    assert.equal(revoke.status, 200);
    assert.ok(upstream.counts.revoke >= 1, 'revoked at DocSpace too');
    const after = await fetch(`${facade.url}/mcp`, { headers: { authorization: `Bearer ${newAccess}` } });
    assert.equal(after.status, 401);
    assert.match(after.headers.get('www-authenticate') ?? '', /error="invalid_token"/);

    const names = facade.events.map((e) => e.event);
    for (const e of [
      'client.registered',
      'consent.allowed',
      'grant.issued',
      'token.refreshed',
      'token.revoked',
      'token.rejected',
    ] as const) {
      assert.ok(names.includes(e), `audit event ${e}`);
    }
    assert.ok(!JSON.stringify(facade.events).includes(refreshToken), 'no token in audit events');
  });

  it('a confidential client must authenticate at the token endpoint (Basic or post)', async () => {
    const redirectUri = 'https://app.example.com/client-callback';
    const client = await register(facade.url, {
      client_name: 'Confidential',
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'client_secret_basic',
    });
    assert.ok(client.client_secret);
    const { verifier, challenge } = pkcePair();
    const leg = await browserLeg(
      facade.url,
      authorizeUrl(facade.url, {
        response_type: 'code',
        client_id: client.client_id,
        redirect_uri: redirectUri,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
    );
    const code = new URL(leg.location).searchParams.get('code') ?? '';
    const fields = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    };
    const wrong = await token(facade.url, fields, {
      authorization: `Basic ${Buffer.from(`${client.client_id}:nope`).toString('base64')}`,
    });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error, 'invalid_client');
    // The failed attempt did not spend the code: client authentication comes first.
    const right = await token(facade.url, fields, {
      authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`,
    });
    assert.equal(right.status, 200, JSON.stringify(right.body));
  });

  it('introspection answers for the asking client only', async () => {
    const redirectUri = 'http://localhost:4444/client-callback';
    const client = await register(facade.url, {
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'none',
    });
    const other = await register(facade.url, {
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'none',
    });
    const { verifier, challenge } = pkcePair();
    const leg = await browserLeg(
      facade.url,
      authorizeUrl(facade.url, {
        response_type: 'code',
        client_id: client.client_id,
        redirect_uri: 'http://localhost:4999/client-callback',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
    );
    const code = new URL(leg.location).searchParams.get('code') ?? '';
    const issued = await token(facade.url, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'http://localhost:4999/client-callback',
      code_verifier: verifier,
      client_id: client.client_id,
    });
    assert.equal(issued.status, 200, 'loopback redirect on another port is accepted (RFC 8252)');
    const ask = async (clientId: string) =>
      (await (
        await fetch(`${facade.url}/oauth/introspect`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token: String(issued.body.access_token), client_id: clientId }),
        })
      ).json()) as Record<string, unknown>;
    const mine = await ask(client.client_id);
    assert.equal(mine.active, true);
    assert.equal(mine.aud, `${facade.url}/mcp`);
    assert.equal((await ask(other.client_id)).active, false);
  });
});
