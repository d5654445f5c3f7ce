import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  ALICE,
  APPS,
  form,
  type Harness,
  introspect,
  startHarness,
  token,
  webTokens,
} from './oauth-harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());
beforeEach(() => {
  h.oauth.reset();
  h.faults.oauthDown = false;
});

const web = { client_id: APPS.web.clientId, client_secret: APPS.web.clientSecret };

async function revoke(fields: Record<string, string>): Promise<{ status: number; text: string }> {
  const res = await fetch(`${h.url}/oauth2/revoke`, form(fields));
  return { status: res.status, text: await res.text() };
}

describe('discovery', () => {
  test('OpenID configuration advertises DocSpace endpoints, client_secret_post only, S256 only, no registration', async () => {
    const res = await fetch(`${h.url}/.well-known/openid-configuration`);
    assert.equal(res.status, 200);
    const doc = (await res.json()) as Record<string, unknown>;
    assert.equal(doc.issuer, h.url);
    assert.equal(doc.authorization_endpoint, `${h.url}/oauth2/authorize`);
    assert.equal(doc.token_endpoint, `${h.url}/oauth2/token`);
    assert.equal(doc.jwks_uri, `${h.url}/oauth2/jwks`);
    assert.equal(doc.userinfo_endpoint, `${h.url}/oauth2/userinfo`);
    assert.deepEqual(doc.token_endpoint_auth_methods_supported, ['client_secret_post']);
    assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(doc.grant_types_supported, [
      'authorization_code',
      'refresh_token',
      'personal_access_token',
    ]);
    assert.ok((doc.scopes_supported as string[]).includes('files:read'));
    assert.equal(doc.registration_endpoint, undefined);
    assert.equal((await fetch(`${h.url}/oauth2/register`, { method: 'POST' })).status, 404);
  });

  test('RFC 8414 metadata is served at the root and under /oauth2, not at the path-suffixed form', async () => {
    const root = (await (await fetch(`${h.url}/.well-known/oauth-authorization-server`)).json()) as Record<
      string,
      unknown
    >;
    assert.equal(root.userinfo_endpoint, undefined);
    assert.equal(root.introspection_endpoint, `${h.url}/oauth2/introspect`);
    assert.equal((await fetch(`${h.url}/oauth2/.well-known/oauth-authorization-server`)).status, 200);
    assert.equal((await fetch(`${h.url}/.well-known/oauth-authorization-server/oauth2`)).status, 404);
    assert.equal(
      (await fetch(`${h.url}/.well-known/oauth-authorization-server`, { method: 'OPTIONS' })).status,
      200,
    );
  });

  test('browsers from any origin may call the token endpoint', async () => {
    const res = await fetch(`${h.url}/oauth2/token`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://spa.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    assert.ok(res.status === 200 || res.status === 204);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.equal(res.headers.get('access-control-max-age'), '3600');
  });
});

describe('introspection', () => {
  test('an access token introspects active with its claims, without client credentials', async () => {
    const tokens = await webTokens(h, { scope: 'files:read rooms:read' });
    const info = await introspect(h, String(tokens.access_token));
    assert.equal(info.active, true);
    assert.equal(info.sub, ALICE.id);
    assert.equal(info.client_id, APPS.web.clientId);
    assert.equal(info.scope, 'files:read rooms:read');
    assert.equal(info.token_type, 'Bearer');
    assert.deepEqual(info.aud, [h.url]);
    assert.equal(info.iss, `${h.url}/oauth2`);
    assert.equal(typeof info.exp, 'number');
    const refresh = await introspect(h, String(tokens.refresh_token));
    assert.equal(refresh.active, true);
    assert.equal(refresh.client_id, APPS.web.clientId);
  });

  test('unknown tokens are inactive; a missing token is invalid_request', async () => {
    assert.deepEqual(await introspect(h, 'garbage'), { active: false });
    assert.deepEqual(await introspect(h, 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'), { active: false });
    const res = await fetch(`${h.url}/oauth2/introspect`, form({}));
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), {
      error: 'invalid_request',
      error_description: 'OAuth 2.0 Token Introspection Parameter: token',
      error_uri: 'https://datatracker.ietf.org/doc/html/rfc7662#section-2.1',
    });
  });
});

describe('revocation', () => {
  test('revoking the access token ends it but keeps the refresh token', async () => {
    const tokens = await webTokens(h);
    assert.deepEqual(await revoke({ token: String(tokens.access_token), ...web }), { status: 200, text: '' });
    assert.deepEqual(await introspect(h, String(tokens.access_token)), { active: false });
    assert.equal(await h.oauth.verifyAccessToken(String(tokens.access_token)), undefined);
    assert.equal(
      (await token(h, { grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token), ...web }))
        .status,
      200,
    );
  });

  test('revoking the refresh token ends the whole grant', async () => {
    const tokens = await webTokens(h);
    assert.equal(
      (await revoke({ token: String(tokens.refresh_token), token_type_hint: 'refresh_token', ...web }))
        .status,
      200,
    );
    assert.deepEqual(await introspect(h, String(tokens.access_token)), { active: false });
    assert.deepEqual(
      await token(h, { grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token), ...web }),
      { status: 400, body: { error: 'invalid_grant' } },
    );
  });

  test('revocation needs the owning app’s credentials; unknown tokens are accepted silently', async () => {
    const tokens = await webTokens(h);
    const noAuth = await fetch(`${h.url}/oauth2/revoke`, form({ token: String(tokens.access_token) }));
    assert.equal(noAuth.status, 401);
    assert.deepEqual(await noAuth.json(), { error: 'invalid_client' });
    const other = await fetch(
      `${h.url}/oauth2/revoke`,
      form({
        token: String(tokens.access_token),
        client_id: APPS.other.clientId,
        client_secret: APPS.other.clientSecret,
      }),
    );
    assert.equal(other.status, 400);
    assert.deepEqual(await other.json(), { error: 'invalid_client' });
    assert.equal((await introspect(h, String(tokens.access_token))).active, true);
    assert.deepEqual(await revoke({ token: 'unknown', ...web }), { status: 200, text: '' });
  });
});

describe('userinfo', () => {
  test('returns the access token claims when openid was granted, also at /api/2.0/oauth2/userinfo', async () => {
    const tokens = await webTokens(h, { scope: 'openid files:read' });
    for (const path of ['/oauth2/userinfo', '/api/2.0/oauth2/userinfo']) {
      const res = await fetch(`${h.url}${path}`, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
      assert.equal(res.status, 200, path);
      const claims = (await res.json()) as Record<string, unknown>;
      assert.equal(claims.sub, ALICE.id);
      assert.equal(claims.cid, APPS.web.clientId);
      assert.deepEqual(claims.scope, ['openid', 'files:read']);
    }
  });

  test('without openid it is 403 insufficient_scope; without a valid token 401 with a Bearer challenge', async () => {
    const tokens = await webTokens(h, { scope: 'files:read' });
    const forbidden = await fetch(`${h.url}/oauth2/userinfo`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    assert.equal(forbidden.status, 403);
    assert.deepEqual(await forbidden.json(), { error: 'insufficient_scope' });
    const anonymous = await fetch(`${h.url}/oauth2/userinfo`);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer');
    const bad = await fetch(`${h.url}/oauth2/userinfo`, { headers: { authorization: 'Bearer a.b.c' } });
    assert.equal(bad.status, 401);
    assert.match(bad.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  });
});

describe('faults', () => {
  test('oauthDown makes every OAuth route answer 503 until it is lifted', async () => {
    const tokens = await webTokens(h);
    h.faults.oauthDown = true;
    for (const [path, init] of [
      [
        '/oauth2/token',
        form({ grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token), ...web }),
      ],
      ['/oauth2/authorize?client_id=web-app', {}],
      ['/.well-known/openid-configuration', {}],
      ['/oauth2/jwks', {}],
    ] as const) {
      const res = await fetch(`${h.url}${path}`, init);
      assert.equal(res.status, 503, path);
      await res.body?.cancel();
    }
    h.faults.oauthDown = false;
    assert.equal(
      (await token(h, { grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token), ...web }))
        .status,
      200,
    );
  });
});
