import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import {
  ALICE,
  APPS,
  authorize,
  type Harness,
  introspect,
  pkce,
  startHarness,
  token,
  webTokens,
} from './oauth-harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());
beforeEach(() => h.oauth.reset());

const WEB_CB = 'https://app.example.com/callback';
const NATIVE_CB = 'http://127.0.0.1:9999/callback';
const web = { client_id: APPS.web.clientId, client_secret: APPS.web.clientSecret };

async function webCode(params: Record<string, string> = {}): Promise<string> {
  return (
    await authorize(h, { client_id: APPS.web.clientId, redirect_uri: WEB_CB, scope: 'files:read', ...params })
  ).code;
}

describe('authorization_code grant', () => {
  test('a confidential app gets a 60-minute ES256 JWT with DocSpace claims and a refresh token', async () => {
    const body = await webTokens(h, { scope: 'openid files:read' });
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.scope, 'openid files:read');
    assert.ok(body.expires_in === 3599 || body.expires_in === 3600, String(body.expires_in));
    assert.match(String(body.refresh_token), /^[\w-]{128}$/);
    assert.equal(typeof body.id_token, 'string');

    const jwks = createRemoteJWKSet(new URL(`${h.url}/oauth2/jwks`));
    const accessToken = String(body.access_token);
    assert.equal(decodeProtectedHeader(accessToken).alg, 'ES256');
    const { payload } = await jwtVerify(accessToken, jwks, {
      issuer: `${h.url}/oauth2`,
      audience: h.url,
      currentDate: new Date(h.clock.now),
    });
    assert.equal(payload.sub, ALICE.id);
    assert.deepEqual(payload.aud, [h.url]);
    assert.deepEqual(payload.scope, ['openid', 'files:read']);
    assert.equal(payload.cid, APPS.web.clientId);
    assert.equal(payload.tid, 1);
    assert.equal((payload.exp as number) - (payload.iat as number), 3600);
    assert.equal(payload.nbf, payload.iat);
    assert.ok(payload.jti);

    // The ID token's audience is the portal, not the app: DocSpace's JWT customizer
    // (KeyPairRepositoryJWKSource.customize) sets `aud` on every token it signs.
    const idToken = await jwtVerify(String(body.id_token), jwks, {
      issuer: `${h.url}/oauth2`,
      currentDate: new Date(h.clock.now),
    });
    assert.deepEqual(idToken.payload.aud, [h.url]);
    assert.equal(idToken.payload.azp, APPS.web.clientId);

    const verified = await h.oauth.verifyAccessToken(accessToken);
    assert.deepEqual(
      { ...verified, expiresAt: undefined },
      {
        userId: ALICE.id,
        clientId: APPS.web.clientId,
        scopes: ['openid', 'files:read'],
        expiresAt: undefined,
      },
    );
  });

  test('a public app proves PKCE with no secret and gets no refresh token', async () => {
    const { verifier, challenge } = pkce();
    const { code } = await authorize(h, {
      client_id: APPS.native.clientId,
      redirect_uri: NATIVE_CB,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const res = await token(h, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: NATIVE_CB,
      client_id: APPS.native.clientId,
      code_verifier: verifier,
    });
    assert.equal(res.status, 200);
    assert.equal(typeof res.body.access_token, 'string');
    assert.equal(res.body.refresh_token, undefined);
  });

  test('the same PKCE app authenticating with its secret does get a refresh token', async () => {
    const { verifier, challenge } = pkce();
    const { code } = await authorize(h, {
      client_id: APPS.native.clientId,
      redirect_uri: NATIVE_CB,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const res = await token(h, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: NATIVE_CB,
      client_id: APPS.native.clientId,
      client_secret: APPS.native.clientSecret,
      code_verifier: verifier,
    });
    assert.equal(res.status, 200);
    assert.equal(typeof res.body.refresh_token, 'string');
  });

  test('a public app without a verifier cannot authenticate; a wrong verifier is invalid_grant', async () => {
    const { verifier, challenge } = pkce();
    const { code } = await authorize(h, {
      client_id: APPS.native.clientId,
      redirect_uri: NATIVE_CB,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const missing = await token(h, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: NATIVE_CB,
      client_id: APPS.native.clientId,
    });
    assert.deepEqual(missing, { status: 401, body: { error: 'invalid_client' } });
    const wrong = await token(h, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: NATIVE_CB,
      client_id: APPS.native.clientId,
      code_verifier: `${verifier}x`,
    });
    assert.deepEqual(wrong, { status: 400, body: { error: 'invalid_grant' } });
    const right = await token(h, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: NATIVE_CB,
      client_id: APPS.native.clientId,
      code_verifier: verifier,
    });
    assert.equal(right.status, 200);
  });

  test('a public app must have sent a challenge; a confidential app that sent one must send the verifier', async () => {
    const { code } = await authorize(h, { client_id: APPS.native.clientId, redirect_uri: NATIVE_CB });
    const noChallenge = await token(h, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: NATIVE_CB,
      client_id: APPS.native.clientId,
      code_verifier: pkce().verifier,
    });
    assert.deepEqual(noChallenge, { status: 400, body: { error: 'invalid_grant' } });

    const { challenge } = pkce();
    const webWithPkce = await webCode({ code_challenge: challenge, code_challenge_method: 'S256' });
    const noVerifier = await token(h, {
      grant_type: 'authorization_code',
      code: webWithPkce,
      redirect_uri: WEB_CB,
      ...web,
    });
    assert.deepEqual(noVerifier, { status: 400, body: { error: 'invalid_grant' } });
  });

  test('a code works once; using it again also kills the tokens it gave', async () => {
    const code = await webCode();
    const first = await token(h, { grant_type: 'authorization_code', code, redirect_uri: WEB_CB, ...web });
    assert.equal(first.status, 200);
    assert.equal((await introspect(h, String(first.body.access_token))).active, true);
    const second = await token(h, { grant_type: 'authorization_code', code, redirect_uri: WEB_CB, ...web });
    assert.deepEqual(second, { status: 400, body: { error: 'invalid_grant' } });
    assert.deepEqual(await introspect(h, String(first.body.access_token)), { active: false });
    assert.deepEqual(await introspect(h, String(first.body.refresh_token)), { active: false });
  });

  test('a code expires after one minute', async () => {
    const code = await webCode();
    h.clock.advance(61_000);
    assert.deepEqual(
      await token(h, { grant_type: 'authorization_code', code, redirect_uri: WEB_CB, ...web }),
      { status: 400, body: { error: 'invalid_grant' } },
    );
  });

  test('the redirect URI must repeat the one used at /authorize, and the code belongs to its app', async () => {
    const code = await webCode();
    assert.deepEqual(
      await token(h, { grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1/cb', ...web }),
      { status: 400, body: { error: 'invalid_grant' } },
    );
    assert.deepEqual(await token(h, { grant_type: 'authorization_code', code, ...web }), {
      status: 400,
      body: { error: 'invalid_grant' },
    });
    const other = await token(h, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: WEB_CB,
      client_id: APPS.other.clientId,
      client_secret: APPS.other.clientSecret,
    });
    assert.deepEqual(other, { status: 400, body: { error: 'invalid_grant' } });
    // Presenting it for the wrong app burns the code.
    assert.equal(
      (await token(h, { grant_type: 'authorization_code', code, redirect_uri: WEB_CB, ...web })).status,
      400,
    );
  });
});

describe('client authentication and request errors', () => {
  test('a wrong secret, HTTP Basic or no credentials all give 401 {"error":"invalid_client"} and nothing more', async () => {
    const code = await webCode();
    const base = { grant_type: 'authorization_code', code, redirect_uri: WEB_CB };
    assert.deepEqual(await token(h, { ...base, client_id: APPS.web.clientId, client_secret: 'nope' }), {
      status: 401,
      body: { error: 'invalid_client' },
    });
    const basic = `Basic ${Buffer.from(`${APPS.web.clientId}:${APPS.web.clientSecret}`).toString('base64')}`;
    assert.deepEqual(await token(h, base, { authorization: basic }), {
      status: 401,
      body: { error: 'invalid_client' },
    });
    assert.deepEqual(await token(h, { ...base, client_id: APPS.web.clientId }), {
      status: 401,
      body: { error: 'invalid_client' },
    });
    assert.deepEqual(
      await token(h, {
        ...base,
        client_id: APPS.disabled.clientId,
        client_secret: APPS.disabled.clientSecret,
      }),
      { status: 401, body: { error: 'invalid_client' } },
    );
    // None of that consumed the code.
    assert.equal((await token(h, { ...base, ...web })).status, 200);
  });

  test('grant type errors look like Spring Authorization Server', async () => {
    assert.deepEqual(await token(h, { ...web }), {
      status: 400,
      body: {
        error: 'invalid_request',
        error_description: 'OAuth 2.0 Parameter: grant_type',
        error_uri: 'https://datatracker.ietf.org/doc/html/rfc6749#section-5.2',
      },
    });
    // An unknown grant type reaches DocSpace's last converter, PersonalAccessTokenAuthenticationConverter,
    // which answers invalid_request for anything but its own grant (ASC.Identity authorization-application).
    assert.deepEqual(await token(h, { grant_type: 'password', ...web }), {
      status: 400,
      body: {
        error: 'invalid_request',
        error_description: 'OAuth 2.0 Parameter: grant_type',
        error_uri: 'https://datatracker.ietf.org/doc/html/rfc6749#section-5.2',
      },
    });
    assert.deepEqual(await token(h, { grant_type: 'client_credentials', ...web }), {
      status: 400,
      body: { error: 'unauthorized_client' },
    });
    assert.deepEqual(await token(h, { grant_type: 'authorization_code', ...web }), {
      status: 400,
      body: {
        error: 'invalid_request',
        error_description: 'OAuth 2.0 Parameter: code',
        error_uri: 'https://datatracker.ietf.org/doc/html/rfc6749#section-5.2',
      },
    });
  });
});

describe('refresh_token grant', () => {
  test('refresh tokens rotate: the old refresh token and the old access token stop working', async () => {
    const first = await webTokens(h, { scope: 'files:read files:write' });
    const second = await token(h, {
      grant_type: 'refresh_token',
      refresh_token: String(first.refresh_token),
      ...web,
    });
    assert.equal(second.status, 200);
    assert.notEqual(second.body.refresh_token, first.refresh_token);
    assert.notEqual(second.body.access_token, first.access_token);
    assert.equal(second.body.scope, 'files:read files:write');

    assert.deepEqual(
      await token(h, { grant_type: 'refresh_token', refresh_token: String(first.refresh_token), ...web }),
      { status: 400, body: { error: 'invalid_grant' } },
    );
    assert.equal(await h.oauth.verifyAccessToken(String(first.access_token)), undefined);
    assert.ok(await h.oauth.verifyAccessToken(String(second.body.access_token)));

    const third = await token(h, {
      grant_type: 'refresh_token',
      refresh_token: String(second.body.refresh_token),
      ...web,
    });
    assert.equal(third.status, 200);
  });

  test('a refresh may narrow the scope, never widen it', async () => {
    const first = await webTokens(h, { scope: 'files:read files:write' });
    const narrow = await token(h, {
      grant_type: 'refresh_token',
      refresh_token: String(first.refresh_token),
      scope: 'files:read',
      ...web,
    });
    assert.equal(narrow.status, 200);
    assert.equal(narrow.body.scope, 'files:read');
    assert.deepEqual((await h.oauth.verifyAccessToken(String(narrow.body.access_token)))?.scopes, [
      'files:read',
    ]);
    const wide = await token(h, {
      grant_type: 'refresh_token',
      refresh_token: String(narrow.body.refresh_token),
      scope: 'files:read rooms:read',
      ...web,
    });
    assert.deepEqual(wide, { status: 400, body: { error: 'invalid_scope' } });
  });

  test('a refresh token only works for the app it was issued to', async () => {
    const first = await webTokens(h);
    const other = await token(h, {
      grant_type: 'refresh_token',
      refresh_token: String(first.refresh_token),
      client_id: APPS.other.clientId,
      client_secret: APPS.other.clientSecret,
    });
    assert.deepEqual(other, { status: 400, body: { error: 'invalid_grant' } });
  });

  test('an access token expires after 60 minutes of the injected clock; the refresh token still works', async () => {
    const first = await webTokens(h);
    h.clock.advance(59 * 60_000);
    assert.ok(await h.oauth.verifyAccessToken(String(first.access_token)));
    h.clock.advance(61_000);
    assert.equal(await h.oauth.verifyAccessToken(String(first.access_token)), undefined);
    assert.deepEqual(await introspect(h, String(first.access_token)), { active: false });
    const refreshed = await token(h, {
      grant_type: 'refresh_token',
      refresh_token: String(first.refresh_token),
      ...web,
    });
    assert.equal(refreshed.status, 200);
    assert.ok(await h.oauth.verifyAccessToken(String(refreshed.body.access_token)));
  });
});

describe('personal_access_token grant', () => {
  test('the signed-in user (x-signature) gets an access token for the app directly, with no refresh token', async () => {
    const { cookie } = await authorize(h, {
      client_id: APPS.web.clientId,
      redirect_uri: WEB_CB,
      scope: 'files:read',
    });
    const res = await token(
      h,
      { grant_type: 'personal_access_token', scope: 'files:read rooms:read', ...web },
      { cookie },
    );
    assert.equal(res.status, 200);
    assert.equal(res.body.refresh_token, undefined);
    assert.equal(res.body.scope, 'files:read rooms:read');
    assert.equal((await h.oauth.verifyAccessToken(String(res.body.access_token)))?.userId, ALICE.id);

    assert.deepEqual(await token(h, { grant_type: 'personal_access_token', scope: 'files:read', ...web }), {
      status: 400,
      body: { error: 'invalid_grant' },
    });
    assert.deepEqual(
      await token(h, { grant_type: 'personal_access_token', scope: 'accounts:write', ...web }, { cookie }),
      { status: 400, body: { error: 'invalid_scope' } },
    );
  });
});
