import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  ALICE,
  APPS,
  authorize,
  authorizeUrl,
  BOB,
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
beforeEach(() => h.oauth.reset());

const NEW_APP = {
  name: 'Reports',
  description: 'Builds reports',
  logo: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==',
  scopes: ['files:read', 'rooms:read'],
  allow_pkce: true,
  is_public: true,
  website_url: 'https://reports.example.com',
  terms_url: 'https://reports.example.com/terms',
  policy_url: 'https://reports.example.com/privacy',
  redirect_uris: ['https://reports.example.com/cb'],
  allowed_origins: ['https://reports.example.com'],
  logout_redirect_uri: 'https://reports.example.com/bye',
};

function api(path: string, init: RequestInit & { as?: { id: string } | null } = {}): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.as !== null) headers.authorization = `Test ${(init.as ?? ALICE).id}`;
  return fetch(`${h.url}/api/2.0${path}`, { ...init, headers });
}

async function create(body: Record<string, unknown> = NEW_APP): Promise<Record<string, unknown>> {
  const res = await api('/clients', { method: 'POST', body: JSON.stringify(body) });
  assert.equal(res.status, 201);
  return (await res.json()) as Record<string, unknown>;
}

describe('client registration service', () => {
  test('an admin creates an app and gets DocSpace’s ClientResponse, without the API envelope', async () => {
    const created = await create();
    assert.equal(created.response, undefined);
    assert.equal(created.name, 'Reports');
    assert.match(String(created.client_id), /^[0-9a-f-]{36}$/);
    assert.equal(typeof created.client_secret, 'string');
    assert.deepEqual(created.authentication_methods, ['client_secret_post', 'none']);
    assert.deepEqual(created.redirect_uris, NEW_APP.redirect_uris);
    assert.deepEqual(created.logout_redirect_uris, [NEW_APP.logout_redirect_uri]);
    assert.equal(created.enabled, true);
    assert.equal(created.is_public, true);
    assert.equal(created.created_by, ALICE.id);

    const fetched = (await (await api(`/clients/${created.client_id}`)).json()) as Record<string, unknown>;
    assert.equal(fetched.client_secret, created.client_secret);

    // The new app can go through the flow straight away.
    const { code } = await authorize(h, {
      client_id: String(created.client_id),
      redirect_uri: NEW_APP.redirect_uris[0],
    });
    const tokens = await token(h, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: NEW_APP.redirect_uris[0] as string,
      client_id: String(created.client_id),
      client_secret: String(created.client_secret),
    });
    assert.equal(tokens.status, 200);
    assert.equal(tokens.body.scope, 'files:read rooms:read');
  });

  test('invalid bodies are 400 with a reason; unknown scopes are refused', async () => {
    for (const bad of [
      { ...NEW_APP, name: 'ab' },
      { ...NEW_APP, scopes: [] },
      { ...NEW_APP, scopes: ['files:delete'] },
      { ...NEW_APP, redirect_uris: [] },
      { ...NEW_APP, logo: 'https://x/logo.png' },
    ]) {
      const res = await api('/clients', { method: 'POST', body: JSON.stringify(bad) });
      assert.equal(res.status, 400, JSON.stringify(bad));
      assert.equal(typeof ((await res.json()) as { reason?: unknown }).reason, 'string');
    }
  });

  test('anonymous callers get 401 and non-admins 403', async () => {
    assert.equal(
      (await api('/clients', { method: 'POST', body: JSON.stringify(NEW_APP), as: null })).status,
      401,
    );
    assert.equal(
      (await api('/clients', { method: 'POST', body: JSON.stringify(NEW_APP), as: BOB })).status,
      403,
    );
    assert.equal((await api('/clients?limit=10', { as: BOB })).status, 403);
  });

  test('listing pages with limit and last_client_id; limit is required', async () => {
    const page = (await (await api('/clients?limit=2')).json()) as {
      data: Array<{ client_id: string }>;
      limit: number;
      last_client_id: string;
    };
    assert.equal(page.data.length, 2);
    assert.equal(page.limit, 2);
    assert.equal(page.last_client_id, page.data[1]?.client_id);
    const next = (await (await api(`/clients?limit=2&last_client_id=${page.last_client_id}`)).json()) as {
      data: Array<{ client_id: string }>;
    };
    assert.ok(next.data.length > 0);
    assert.ok(next.data.every((c) => !page.data.some((p) => p.client_id === c.client_id)));
    assert.equal((await api('/clients')).status, 400);
  });

  test('scopes are listed with group and type', async () => {
    const scopes = (await (await api('/scopes')).json()) as Array<{
      name: string;
      group: string;
      type: string;
    }>;
    assert.deepEqual(scopes[0], { name: 'openid', group: 'openid', type: 'openid' });
    assert.deepEqual(
      scopes.find((s) => s.name === 'accounts.self:write'),
      { name: 'accounts.self:write', group: 'profiles', type: 'write' },
    );
  });

  test('deleting an app ends its tokens; the app is then 404', async () => {
    const created = await create();
    const id = String(created.client_id);
    const { code } = await authorize(h, { client_id: id, redirect_uri: NEW_APP.redirect_uris[0] });
    const tokens = await token(h, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: NEW_APP.redirect_uris[0] as string,
      client_id: id,
      client_secret: String(created.client_secret),
    });
    assert.equal((await api(`/clients/${id}`, { method: 'DELETE' })).status, 200);
    assert.deepEqual(await introspect(h, String(tokens.body.access_token)), { active: false });
    const gone = await api(`/clients/${id}`);
    assert.equal(gone.status, 404);
    assert.equal(typeof ((await gone.json()) as { reason?: unknown }).reason, 'string');
  });

  test('a regenerated secret replaces the old one at the token endpoint', async () => {
    const created = await create();
    const id = String(created.client_id);
    const res = await api(`/clients/${id}/regenerate`, { method: 'PATCH' });
    const { client_secret: secret } = (await res.json()) as { client_secret: string };
    assert.notEqual(secret, created.client_secret);
    const { code } = await authorize(h, { client_id: id, redirect_uri: NEW_APP.redirect_uris[0] });
    const base = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: NEW_APP.redirect_uris[0] as string,
      client_id: id,
    };
    assert.deepEqual(await token(h, { ...base, client_secret: String(created.client_secret) }), {
      status: 401,
      body: { error: 'invalid_client' },
    });
    assert.equal((await token(h, { ...base, client_secret: secret })).status, 200);
  });

  test('a deactivated app cannot start a flow or get tokens, and its access tokens stop at once', async () => {
    const tokens = await webTokens(h);
    assert.equal(
      (
        await api(`/clients/${APPS.web.clientId}/activation`, {
          method: 'PATCH',
          body: JSON.stringify({ status: false }),
        })
      ).status,
      200,
    );
    try {
      const res = await fetch(
        authorizeUrl(h, {
          response_type: 'code',
          client_id: APPS.web.clientId,
          redirect_uri: 'https://app.example.com/callback',
        }),
        { redirect: 'manual' },
      );
      assert.equal(
        new URL(res.headers.get('location') ?? '').searchParams.get('error'),
        'client_disabled_error',
      );
      const refreshed = await token(h, {
        grant_type: 'refresh_token',
        refresh_token: String(tokens.refresh_token),
        client_id: APPS.web.clientId,
        client_secret: APPS.web.clientSecret,
      });
      assert.deepEqual(refreshed, { status: 401, body: { error: 'invalid_client' } });
      // AuthorizationService.findByToken filters on RegisteredClientService.validateClientAccessibility
      // (enabled), so introspection — which DocSpace's API runs on every call — says inactive.
      assert.equal((await introspect(h, String(tokens.access_token))).active, false);
    } finally {
      await api(`/clients/${APPS.web.clientId}/activation`, {
        method: 'PATCH',
        body: JSON.stringify({ status: true }),
      });
    }
  });

  test('a user withdrawing consent ends the app’s tokens for them and brings the consent page back', async () => {
    const params = {
      client_id: APPS.web.clientId,
      redirect_uri: 'https://app.example.com/callback',
      scope: 'files:read',
    };
    const { code, cookie } = await authorize(h, params);
    const tokens = await token(h, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: params.redirect_uri,
      client_id: APPS.web.clientId,
      client_secret: APPS.web.clientSecret,
    });
    const before = await fetch(authorizeUrl(h, { response_type: 'code', ...params }), {
      redirect: 'manual',
      headers: { cookie },
    });
    assert.equal(before.status, 302, 'consent is remembered before it is withdrawn');

    assert.equal((await api(`/clients/${APPS.web.clientId}/revoke`, { method: 'DELETE' })).status, 200);
    assert.deepEqual(await introspect(h, String(tokens.body.access_token)), { active: false });
    const afterwards = await fetch(authorizeUrl(h, { response_type: 'code', ...params }), {
      redirect: 'manual',
      headers: { cookie },
    });
    assert.equal(afterwards.status, 200);
    assert.match(await afterwards.text(), /id="consent-allow"/);
  });
});
