import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  ALICE,
  APPS,
  authorize,
  authorizeUrl,
  consent,
  form,
  type Harness,
  hidden,
  pkce,
  signIn,
  startHarness,
} from './oauth-harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());
// Consents are remembered per user and app; each test starts from a portal nobody has consented on.
beforeEach(() => h.oauth.reset());

const WEB_CB = 'https://app.example.com/callback';

async function expectLoginError(url: string, error: string): Promise<void> {
  const res = await fetch(url, { redirect: 'manual' });
  assert.equal(res.status, 302);
  const location = new URL(res.headers.get('location') ?? '');
  assert.equal(location.origin + location.pathname, `${h.url}/login`);
  assert.equal(location.searchParams.get('type'), 'oauth2');
  assert.equal(location.searchParams.get('error'), error);
  assert.equal(res.headers.get('x-redirect-uri'), location.toString());
}

async function expectClientError(
  url: string,
  error: string,
  errorUri: string,
  state: string | null,
): Promise<URL> {
  const res = await fetch(url, { redirect: 'manual' });
  assert.equal(res.status, 302);
  const location = new URL(res.headers.get('location') ?? '');
  assert.ok(location.toString().startsWith(WEB_CB), location.toString());
  assert.equal(location.searchParams.get('error'), error);
  assert.equal(location.searchParams.get('error_uri'), errorUri);
  assert.equal(location.searchParams.get('state'), state);
  assert.equal(location.searchParams.get('error_description'), null);
  return location;
}

describe('authorization flow driven with fetch', () => {
  test('sign-in page, then consent page, then a code and the state back at the redirect URI', async () => {
    const url = authorizeUrl(h, {
      response_type: 'code',
      client_id: APPS.web.clientId,
      redirect_uri: WEB_CB,
      scope: 'files:read rooms:read',
      state: 'st&ate 1',
    });
    const first = await fetch(url, { redirect: 'manual' });
    assert.equal(first.status, 200);
    assert.match(first.headers.get('content-type') ?? '', /text\/html/);
    const signInHtml = await first.text();
    assert.match(signInHtml, /<form id="signin" method="post">/);
    assert.match(signInHtml, /name="email"/);
    assert.match(signInHtml, /name="password"/);

    const { res, html } = await signIn(url);
    assert.equal(res.status, 200);
    assert.match(html, /Web App would like to access your DocSpace/);
    assert.match(html, /alice@example\.com/);
    assert.deepEqual(hidden(html, 'consent-allow', 'scope'), ['files:read', 'rooms:read']);
    assert.deepEqual(hidden(html, 'consent-deny', 'scope'), []);

    const done = await consent(h, html);
    assert.equal(done.status, 302);
    const location = new URL(done.headers.get('location') ?? '');
    assert.equal(`${location.origin}${location.pathname}`, WEB_CB);
    assert.equal(location.searchParams.get('state'), 'st&ate 1');
    assert.match(location.searchParams.get('code') ?? '', /^[\w-]{128}$/);
  });

  test('a wrong password shows the sign-in page again with an error and sets no session', async () => {
    const url = authorizeUrl(h, {
      response_type: 'code',
      client_id: APPS.web.clientId,
      redirect_uri: WEB_CB,
    });
    const res = await fetch(url, form({ email: ALICE.email, password: 'wrong' }));
    assert.equal(res.status, 401);
    assert.match(await res.text(), /Incorrect email or password/);
    assert.equal(res.headers.get('set-cookie'), null);
  });

  test('a signed-in browser skips the sign-in page, and a remembered consent skips the consent page', async () => {
    const params = {
      response_type: 'code',
      client_id: APPS.other.clientId,
      redirect_uri: WEB_CB,
      scope: 'files:read',
      state: 'a',
    };
    const { html, cookie } = await signIn(authorizeUrl(h, params));
    assert.equal((await consent(h, html)).status, 302);

    const again = await fetch(authorizeUrl(h, { ...params, state: 'b' }), {
      redirect: 'manual',
      headers: { cookie },
    });
    assert.equal(again.status, 302);
    const location = new URL(again.headers.get('location') ?? '');
    assert.equal(location.searchParams.get('state'), 'b');
    assert.ok(location.searchParams.get('code'));

    // A scope not consented yet brings the consent page back, but not the sign-in page.
    const wider = await fetch(authorizeUrl(h, { ...params, scope: 'files:read files:write' }), {
      redirect: 'manual',
      headers: { cookie },
    });
    assert.equal(wider.status, 200);
    const widerHtml = await wider.text();
    assert.match(widerHtml, /id="consent-allow"/);
    assert.doesNotMatch(widerHtml, /id="signin"/);
  });

  test('without a scope parameter the app gets every scope it registered', async () => {
    const { html } = await signIn(
      authorizeUrl(h, { response_type: 'code', client_id: APPS.web.clientId, redirect_uri: WEB_CB }),
    );
    assert.deepEqual(hidden(html, 'consent-allow', 'scope'), APPS.web.scopes);
  });

  test('openid alone needs no consent', async () => {
    const { res } = await signIn(
      authorizeUrl(h, {
        response_type: 'code',
        client_id: APPS.web.clientId,
        redirect_uri: WEB_CB,
        scope: 'openid',
        state: 'o',
      }),
    );
    assert.equal(res.status, 302);
    assert.ok(new URL(res.headers.get('location') ?? '').searchParams.get('code'));
  });

  test('Deny sends access_denied with the state to the app', async () => {
    const { html } = await signIn(
      authorizeUrl(h, {
        response_type: 'code',
        client_id: APPS.web.clientId,
        redirect_uri: WEB_CB,
        scope: 'rooms:read',
        state: 'deny-me',
      }),
    );
    const res = await consent(h, html, 'deny');
    assert.equal(res.status, 302);
    const location = new URL(res.headers.get('location') ?? '');
    assert.equal(location.searchParams.get('error'), 'access_denied');
    assert.equal(location.searchParams.get('state'), 'deny-me');
    assert.equal(location.searchParams.get('code'), null);
  });

  test('a consent state works once', async () => {
    const { html } = await signIn(
      authorizeUrl(h, {
        response_type: 'code',
        client_id: APPS.web.clientId,
        redirect_uri: WEB_CB,
        scope: 'files:write',
      }),
    );
    assert.equal((await consent(h, html)).status, 302);
    const replay = await consent(h, html);
    assert.equal(new URL(replay.headers.get('location') ?? '').searchParams.get('error'), 'invalid_request');
    assert.ok((replay.headers.get('location') ?? '').startsWith(`${h.url}/login`));
  });

  test('X-Disable-Redirect answers 200 with the target in X-Redirect-URI, as DocSpace UI expects', async () => {
    const { html } = await signIn(
      authorizeUrl(h, {
        response_type: 'code',
        client_id: APPS.web.clientId,
        redirect_uri: WEB_CB,
        scope: 'files:read files:write rooms:read openid',
        state: 'x',
      }),
    );
    const res = await consent(h, html, 'allow', { 'X-Disable-Redirect': 'true' });
    assert.equal(res.status, 200);
    const target = new URL(res.headers.get('x-redirect-uri') ?? '');
    assert.equal(target.searchParams.get('state'), 'x');
    assert.ok(target.searchParams.get('code'));
  });
  test('app names and user input are escaped on the pages', async () => {
    const app = h.oauth.registerClient({
      name: '<script>alert("x")</script> & Co',
      redirectUris: [WEB_CB],
      scopes: ['files:read'],
    });
    const url = authorizeUrl(h, { response_type: 'code', client_id: app.clientId, redirect_uri: WEB_CB });
    const page = await (await fetch(url)).text();
    assert.ok(page.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co'));
    assert.ok(!page.includes('<script>'));
    const failed = await (await fetch(url, form({ email: '"><img src=x>', password: 'x' }))).text();
    assert.ok(failed.includes('value="&quot;&gt;&lt;img src=x&gt;"'));
  });
});

describe('redirect URI rules', () => {
  test('an unregistered redirect URI never reaches the app: the portal login page shows invalid_request', async () => {
    await expectLoginError(
      authorizeUrl(h, {
        response_type: 'code',
        client_id: APPS.web.clientId,
        redirect_uri: 'https://evil.example.com/callback',
      }),
      'invalid_request',
    );
    await expectLoginError(
      authorizeUrl(h, { response_type: 'code', client_id: APPS.web.clientId, redirect_uri: `${WEB_CB}/` }),
      'invalid_request',
    );
    const page = await fetch(`${h.url}/login?type=oauth2&client_id=web-app&error=invalid_request`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /invalid_request/);
  });

  test('a fragment is refused even on a registered URI', async () => {
    await expectLoginError(
      authorizeUrl(h, {
        response_type: 'code',
        client_id: APPS.web.clientId,
        redirect_uri: `${WEB_CB}#frag`,
      }),
      'invalid_request',
    );
  });

  test('IP loopback URIs match on any port, "localhost" does not count as loopback', async () => {
    const { location } = await authorize(h, {
      client_id: APPS.web.clientId,
      redirect_uri: 'http://127.0.0.1:54321/cb',
      scope: 'files:read',
    });
    assert.equal(`${location.origin}${location.pathname}`, 'http://127.0.0.1:54321/cb');
    await expectLoginError(
      authorizeUrl(h, {
        response_type: 'code',
        client_id: APPS.web.clientId,
        redirect_uri: 'http://localhost:54321/cb',
      }),
      'invalid_request',
    );
    await expectLoginError(
      authorizeUrl(h, {
        response_type: 'code',
        client_id: APPS.web.clientId,
        redirect_uri: 'http://127.0.0.1:54321/other',
      }),
      'invalid_request',
    );
  });

  test('an omitted redirect URI is allowed only with exactly one registered and no openid', async () => {
    await expectLoginError(
      authorizeUrl(h, { response_type: 'code', client_id: APPS.web.clientId }),
      'invalid_request',
    );
    await expectLoginError(
      authorizeUrl(h, { response_type: 'code', client_id: APPS.other.clientId, scope: 'openid files:read' }),
      'invalid_request',
    );
    const { location } = await authorize(h, { client_id: APPS.other.clientId, scope: 'files:read' });
    assert.equal(`${location.origin}${location.pathname}`, WEB_CB);
  });
});

describe('request validation', () => {
  test('client problems go to the portal login page with DocSpace error codes', async () => {
    await expectLoginError(
      authorizeUrl(h, { response_type: 'code', redirect_uri: WEB_CB }),
      'missing_client_id_error',
    );
    await expectLoginError(
      authorizeUrl(h, { response_type: 'code', client_id: 'nope', redirect_uri: WEB_CB }),
      'client_not_found_error',
    );
    await expectLoginError(
      authorizeUrl(h, { response_type: 'code', client_id: APPS.disabled.clientId, redirect_uri: WEB_CB }),
      'client_disabled_error',
    );
    await expectLoginError(
      authorizeUrl(h, { response_type: 'code', client_id: APPS.private.clientId, redirect_uri: WEB_CB }),
      'client_permission_denied_error',
    );
    await expectLoginError(
      authorizeUrl(h, { response_type: 'token', client_id: APPS.web.clientId, redirect_uri: WEB_CB }),
      'unsupported_response_type',
    );
    await expectLoginError(
      `${authorizeUrl(h, { response_type: 'code', client_id: APPS.web.clientId, redirect_uri: WEB_CB })}&state=a&state=b`,
      'invalid_request',
    );
  });

  test('an unknown scope is redirected to the app as invalid_scope, with error_uri and state', async () => {
    const uri = 'https://datatracker.ietf.org/doc/html/rfc6749#section-4.1.2.1';
    await expectClientError(
      authorizeUrl(h, {
        response_type: 'code',
        client_id: APPS.web.clientId,
        redirect_uri: WEB_CB,
        scope: 'files:read offline_access',
        state: 'q',
      }),
      'invalid_scope',
      uri,
      'q',
    );
    // Registered elsewhere but not for this app.
    await expectClientError(
      authorizeUrl(h, {
        response_type: 'code',
        client_id: APPS.web.clientId,
        redirect_uri: WEB_CB,
        scope: 'accounts:read',
      }),
      'invalid_scope',
      uri,
      null,
    );
    // Spring splits on single spaces, so a stray space is an (unknown) empty scope.
    await expectClientError(
      authorizeUrl(h, {
        response_type: 'code',
        client_id: APPS.web.clientId,
        redirect_uri: WEB_CB,
        scope: ' files:read',
      }),
      'invalid_scope',
      uri,
      null,
    );
  });

  test('PKCE accepts only S256: plain or a missing method is invalid_request at the app', async () => {
    const uri = 'https://datatracker.ietf.org/doc/html/rfc7636#section-4.4.1';
    const { challenge } = pkce();
    await expectClientError(
      authorizeUrl(h, {
        response_type: 'code',
        client_id: APPS.web.clientId,
        redirect_uri: WEB_CB,
        code_challenge: challenge,
        code_challenge_method: 'plain',
        state: 'p',
      }),
      'invalid_request',
      uri,
      'p',
    );
    await expectClientError(
      authorizeUrl(h, {
        response_type: 'code',
        client_id: APPS.web.clientId,
        redirect_uri: WEB_CB,
        code_challenge: challenge,
      }),
      'invalid_request',
      uri,
      null,
    );
  });
});
