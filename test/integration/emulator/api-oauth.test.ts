// OAuth access tokens from the emulator's OAuth server, used at the REST API with scopes enforced.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Harness } from './harness.js';

describe('emulator: OAuth tokens at the API', () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start();
  });
  after(() => h.close());

  /** DocSpace's "developer token" grant, signed in through the portal cookie. */
  async function token(scope: string): Promise<string> {
    const login = await h.call<{ token: string }>('POST', 'authentication', {
      json: { userName: 'user@example.com', password: 'demo-password' },
    });
    const app = h.emu.info.oauthApps.find((a) => !a.isPublic);
    assert.ok(app);
    const r = await fetch(`${h.url}/oauth2/token`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Cookie: `asc_auth_key=${encodeURIComponent(login.body.response.token)}`,
      },
      body: new URLSearchParams({
        grant_type: 'personal_access_token',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        scope,
      }),
    });
    assert.equal(r.status, 200, await r.clone().text());
    return ((await r.json()) as { access_token: string }).access_token;
  }

  it('accepts a token for the routes its scopes cover and 403s the rest', async () => {
    const t = await token('files:read rooms:read');
    const auth = { Authorization: `Bearer ${t}` };
    const my = await h.get<{ current: { id: number } }>('files/@my', undefined, auth);
    assert.equal(my.status, 200);
    assert.equal((await h.get('files/rooms', undefined, auth)).status, 200);
    const write = await h.call('POST', `files/folder/${my.body.response.current.id}`, {
      headers: auth,
      json: { title: 'x' },
    });
    assert.equal(write.status, 403);
    assert.equal(write.text, '');
    assert.equal((await h.get('people/@self', undefined, auth)).status, 403);
  });

  it("acts as the token's user", async () => {
    const t = await token('accounts.self:read');
    const me = await h.get<{ email: string }>('people/@self', undefined, { Authorization: `Bearer ${t}` });
    assert.equal(me.status, 200);
    assert.equal(me.body.response.email, 'user@example.com');
  });

  it('answers 401 for a forged or revoked token and while tokens are expired', async () => {
    const t = await token('files:read');
    const [head, body] = t.split('.');
    const forged = `${head}.${body}.AAAA`;
    assert.equal((await h.get('files/@my', undefined, { Authorization: `Bearer ${forged}` })).status, 401);
    h.emu.setFaults({ expiredTokens: true });
    try {
      assert.equal((await h.get('files/@my', undefined, { Authorization: `Bearer ${t}` })).status, 401);
    } finally {
      h.emu.setFaults({});
    }
    const app = h.emu.info.oauthApps.find((a) => !a.isPublic);
    await fetch(`${h.url}/oauth2/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: t,
        client_id: app?.clientId ?? '',
        client_secret: app?.clientSecret ?? '',
      }),
    });
    assert.equal((await h.get('files/@my', undefined, { Authorization: `Bearer ${t}` })).status, 401);
  });

  // DocSpace validates a token's `aud` against ServerRootPath, which it takes from the request
  // (ASC.Api.Core/Auth/JwtBearerAuthHandler.cs, ASC.Core.Common/BaseCommonLinkUtility.cs): a
  // token issued for the portal's address fails at any other name for the same portal.
  it("refuses a token at an address other than the portal's own (aud is checked against the request)", async () => {
    const t = await token('accounts.self:read');
    const auth = { Authorization: `Bearer ${t}`, Accept: 'application/json' };
    const alias = h.url.replace('127.0.0.1', 'localhost');
    assert.notEqual(alias, h.url);
    assert.equal((await fetch(`${h.url}/api/2.0/people/@self`, { headers: auth })).status, 200);
    assert.equal((await fetch(`${alias}/api/2.0/people/@self`, { headers: auth })).status, 401);
  });

  it("serves the OAuth server's discovery next to the API", async () => {
    const r = await fetch(`${h.url}/.well-known/openid-configuration`);
    assert.equal(r.status, 200);
    h.emu.setFaults({ oauthDown: true });
    try {
      assert.equal((await fetch(`${h.url}/oauth2/jwks`)).status, 503);
      assert.equal((await h.get('people/@self', 'user')).status, 200, 'the API stays up');
    } finally {
      h.emu.setFaults({});
    }
  });
});
