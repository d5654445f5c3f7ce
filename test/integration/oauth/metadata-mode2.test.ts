import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { authorizeUrl, browserLeg, type Facade, pkcePair, register, startFacade } from './helpers/facade.js';
import { type FakeDocSpace, startFakeDocSpace } from '../../helpers/fake-docspace.js';
import { codeFor, postForm } from './helpers/flow.js';

const SHARED = { clientId: 'operator-app', clientSecret: 'operator-secret' };
const OWN = { clientId: 'users-own-app', clientSecret: 'users-own-secret' };

const json = async (url: string) => {
  const res = await fetch(url);
  assert.equal(res.status, 200, url);
  return (await res.json()) as Record<string, unknown>;
};

describe('discovery documents say what works', () => {
  let upstream: FakeDocSpace;
  let withApp: Facade;
  let withoutApp: Facade;
  before(async () => {
    upstream = await startFakeDocSpace({ apps: [SHARED, OWN] });
    withApp = await startFacade({ docspaceBaseUrl: upstream.url, ...SHARED });
    withoutApp = await startFacade({ docspaceBaseUrl: upstream.url });
  });
  after(async () => {
    await withApp.close();
    await withoutApp.close();
    await upstream.close();
  });

  it('protected resource metadata at the root and /mcp names our MCP URL and our issuer', async () => {
    for (const path of [
      '/.well-known/oauth-protected-resource',
      '/.well-known/oauth-protected-resource/mcp',
    ]) {
      const prm = await json(`${withApp.url}${path}`);
      assert.equal(prm.resource, `${withApp.url}/mcp`);
      assert.deepEqual(prm.authorization_servers, [withApp.url]);
    }
  });

  it('with the operator’s app: registration, CIMD, S256, iss; the OIDC alias is identical', async () => {
    const asm = await json(`${withApp.url}/.well-known/oauth-authorization-server`);
    assert.equal(asm.issuer, withApp.url);
    assert.equal(asm.registration_endpoint, `${withApp.url}/oauth/register`);
    assert.equal(asm.client_id_metadata_document_supported, true);
    assert.deepEqual(asm.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(asm.grant_types_supported, ['authorization_code', 'refresh_token']);
    assert.ok((asm.token_endpoint_auth_methods_supported as string[]).includes('none'));
    assert.equal(asm.authorization_response_iss_parameter_supported, true);
    assert.deepEqual(await json(`${withApp.url}/.well-known/openid-configuration`), asm);
  });

  it('without it: no registration endpoint, no CIMD, and /oauth/register answers 404', async () => {
    const asm = await json(`${withoutApp.url}/.well-known/oauth-authorization-server`);
    assert.equal(asm.registration_endpoint, undefined);
    assert.equal(asm.client_id_metadata_document_supported, false);
    const res = await fetch(`${withoutApp.url}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"redirect_uris":["https://a.example.com/cb"]}',
    });
    assert.equal(res.status, 404);
  });

  it('/mcp without a token: 401 with the resource metadata URL', async () => {
    const res = await fetch(`${withApp.url}/mcp`, { method: 'POST' });
    assert.equal(res.status, 401);
    assert.equal(
      res.headers.get('www-authenticate'),
      `Bearer resource_metadata="${withApp.url}/.well-known/oauth-protected-resource/mcp"`,
    );
  });

  it('mode 2: a typed-in DocSpace app works through our consent page, its secret checked by DocSpace', async () => {
    const c = await codeFor(withoutApp.url, {
      clientId: OWN.clientId,
      redirectUri: 'https://claude.ai/api/mcp/client-callback',
    });
    assert.ok(c.code, c.location);
    const fields = {
      grant_type: 'authorization_code',
      code: c.code,
      redirect_uri: c.redirectUri,
      code_verifier: c.verifier,
      client_id: OWN.clientId,
    };
    const wrong = await postForm(`${withoutApp.url}/oauth/token`, { ...fields, client_secret: 'nope' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error, 'invalid_client');
    const c2 = await codeFor(withoutApp.url, { clientId: OWN.clientId, redirectUri: c.redirectUri });
    const basic = `Basic ${Buffer.from(`${OWN.clientId}:${OWN.clientSecret}`).toString('base64')}`;
    const right = await postForm(
      `${withoutApp.url}/oauth/token`,
      {
        grant_type: 'authorization_code',
        code: c2.code,
        redirect_uri: c2.redirectUri,
        code_verifier: c2.verifier,
      },
      { authorization: basic },
    );
    assert.equal(right.status, 200, JSON.stringify(right.body));
    const me = (await (
      await fetch(`${withoutApp.url}/mcp`, {
        headers: { authorization: `Bearer ${String(right.body.access_token)}` },
      })
    ).json()) as {
      principal: { clientId: string };
    };
    assert.equal(me.principal.clientId, OWN.clientId);
    // Refresh needs the same secret again.
    const noSecret = await postForm(`${withoutApp.url}/oauth/token`, {
      grant_type: 'refresh_token',
      refresh_token: String(right.body.refresh_token),
      client_id: OWN.clientId,
    });
    assert.equal(noSecret.status, 401);
    const refreshed = await postForm(
      `${withoutApp.url}/oauth/token`,
      { grant_type: 'refresh_token', refresh_token: String(right.body.refresh_token) },
      { authorization: basic },
    );
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
  });

  it('mode 2 consent page says it is the user’s own DocSpace app and warns about localhost', async () => {
    const res = await fetch(
      `${withoutApp.url}/oauth/authorize?response_type=code&client_id=${OWN.clientId}&redirect_uri=${encodeURIComponent('http://localhost:9999/client-callback')}&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256`,
    );
    const html = await res.text();
    assert.match(html, /signing in with the DocSpace OAuth app <code>users-own-app<\/code>/);
    assert.match(html, /this computer/);
    assert.equal(res.headers.get('content-security-policy')?.includes("frame-ancestors 'none'"), true);
  });

  it('the scope echo setting returns exactly the requested scope', async () => {
    const echo = await startFacade({ docspaceBaseUrl: upstream.url, ...SHARED, echoScope: true });
    try {
      const cb = 'http://127.0.0.1:7000/client-callback';
      const client = await register(echo.url, { redirect_uris: [cb], token_endpoint_auth_method: 'none' });
      const { verifier, challenge } = pkcePair();
      const leg = await browserLeg(
        echo.url,
        authorizeUrl(echo.url, {
          response_type: 'code',
          client_id: client.client_id,
          redirect_uri: cb,
          code_challenge: challenge,
          code_challenge_method: 'S256',
          scope: ' openid  offline_access',
        }),
      );
      const code = new URL(leg.location).searchParams.get('code') ?? '';
      const issued = await postForm(`${echo.url}/oauth/token`, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: cb,
        code_verifier: verifier,
        client_id: client.client_id,
      });
      assert.equal(issued.body.scope, 'openid offline_access');
    } finally {
      await echo.close();
    }
  });
});
