// DocSpace keeps one OAuth authorization per (person, app, grant type), and an app that is
// disabled loses its tokens at once. Facts from DocSpace-server v3.7.2, common/ASC.Identity:
// - identity_authorizations has PRIMARY KEY (principal_id, registered_client_id,
//   authorization_grant_type) (infrastructure-migration-runner …/mysql/common/V1_1__init.sql);
// - AuthorizationService.save finds the row by that key and writes the new authorization over it
//   (AuthorizationMapper.merge returns the update, keeping only the tenant), so the earlier
//   access and refresh tokens are gone the moment the second sign-in's code is issued;
// - AuthorizationService.findByToken drops authorizations whose app fails
//   RegisteredClientService.validateClientAccessibility (the app must be enabled).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  ALICE,
  APPS,
  authorizeUrl,
  BOB,
  type Harness,
  introspect,
  signIn,
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
  h.directory.saveOAuthApp({ ...APPS.web, enabled: true });
});

const web = { client_id: APPS.web.clientId, client_secret: APPS.web.clientSecret };
const refresh = (value: unknown) =>
  token(h, { grant_type: 'refresh_token', refresh_token: String(value), ...web });

describe('one authorization per person and app (identity_authorizations primary key)', () => {
  test("a second sign-in of the same person to the same app ends the first one's tokens", async () => {
    const first = await webTokens(h, { scope: 'files:read' });
    assert.ok(await h.oauth.verifyAccessToken(String(first.access_token)));
    const second = await webTokens(h, { scope: 'files:read' });

    assert.equal(await h.oauth.verifyAccessToken(String(first.access_token)), undefined);
    assert.deepEqual(await refresh(first.refresh_token), { status: 400, body: { error: 'invalid_grant' } });
    assert.equal((await introspect(h, String(first.access_token))).active, false);
    // The newer sign-in is the one that lives.
    assert.ok(await h.oauth.verifyAccessToken(String(second.access_token)));
    assert.equal((await refresh(second.refresh_token)).status, 200);
  });

  test("DocSpace's consent screen alone ends the earlier tokens, before any answer to it", async () => {
    const first = await webTokens(h, { scope: 'files:read' });
    // A scope not consented to yet brings the consent screen back; Spring saves the pending
    // authorization (holding the consent state) over the person's one for this app.
    const { html } = await signIn(
      authorizeUrl(h, {
        response_type: 'code',
        client_id: APPS.web.clientId,
        redirect_uri: 'https://app.example.com/callback',
        scope: 'files:read files:write',
      }),
    );
    assert.match(html, /consent-allow/);
    assert.equal(await h.oauth.verifyAccessToken(String(first.access_token)), undefined);
    assert.deepEqual(await refresh(first.refresh_token), { status: 400, body: { error: 'invalid_grant' } });
  });

  test('another person, or the same person at another app, keeps their own authorization', async () => {
    const alice = await webTokens(h, { scope: 'files:read' });
    const bob = await webTokens(h, { scope: 'files:read' }, BOB);
    const aliceElsewhere = await webTokens(h, { scope: 'files:read' }, ALICE, APPS.other);
    for (const t of [alice, bob, aliceElsewhere])
      assert.ok(await h.oauth.verifyAccessToken(String(t.access_token)));
  });
});

describe('a disabled app loses its tokens at once (validateClientAccessibility)', () => {
  test('access tokens fail at the API and introspection, refresh tokens are refused; enabling restores them', async () => {
    const t = await webTokens(h, { scope: 'files:read' });
    h.directory.saveOAuthApp({ ...APPS.web, enabled: false });
    assert.equal(await h.oauth.verifyAccessToken(String(t.access_token)), undefined);
    assert.equal((await introspect(h, String(t.access_token))).active, false);
    assert.equal((await introspect(h, String(t.refresh_token))).active, false);
    assert.equal((await refresh(t.refresh_token)).status, 401);
    h.directory.saveOAuthApp({ ...APPS.web, enabled: true });
    assert.ok(await h.oauth.verifyAccessToken(String(t.access_token)));
  });
});
