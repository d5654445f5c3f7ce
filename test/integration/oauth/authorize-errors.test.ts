import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  authorizeUrl,
  browserLeg,
  CookieJar,
  type Facade,
  hiddenInputs,
  pkcePair,
  register,
  startFacade,
} from './helpers/facade.js';
import { type FakeDocSpace, startFakeDocSpace } from '../../helpers/fake-docspace.js';
import { codeFor } from './helpers/flow.js';

const APP = { clientId: 'docspace-app-1', clientSecret: 'docspace-app-secret' };
const CB = 'https://app.example.com/client-callback';

describe('authorization requests that must not go through', () => {
  let upstream: FakeDocSpace;
  let facade: Facade;
  let clientId: string;
  const { challenge } = pkcePair();
  const base = () => ({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: CB,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 'st',
  });

  before(async () => {
    upstream = await startFakeDocSpace({ apps: [APP] });
    facade = await startFacade({
      docspaceBaseUrl: upstream.url,
      clientId: APP.clientId,
      clientSecret: APP.clientSecret,
    });
    clientId = (
      await register(facade.url, {
        client_name: 'Errors',
        redirect_uris: [CB],
        token_endpoint_auth_method: 'none',
      })
    ).client_id;
  });
  after(async () => {
    await facade.close();
    await upstream.close();
  });

  async function page(params: Record<string, string | undefined>) {
    const res = await fetch(authorizeUrl(facade.url, params), { redirect: 'manual' });
    return {
      status: res.status,
      location: res.headers.get('location'),
      html: await res.text(),
      headers: res.headers,
    };
  }

  it('an unregistered or altered redirect URI gets a page with a reference id, never a redirect', async () => {
    for (const redirect_uri of [
      'https://evil.example.com/client-callback',
      `${CB}/x`,
      `${CB}?a=1`,
      'http://app.example.com/client-callback',
    ]) {
      const res = await page({ ...base(), redirect_uri });
      assert.equal(res.status, 400, redirect_uri);
      assert.equal(res.location, null);
      assert.match(res.html, /not registered/);
      assert.match(res.html, /Reference: <code data-testid="ref">[0-9a-f]{12}</);
      assert.equal(res.headers.get('x-frame-options'), 'DENY');
    }
  });

  it('an unknown client gets a page (unknown registered id, garbage id)', async () => {
    assert.equal((await page({ ...base(), client_id: 'mcp_doesnotexist' })).status, 400);
    assert.equal((await page({ ...base(), client_id: 'bad id with spaces' })).status, 400);
    assert.equal((await page({ ...base(), client_id: undefined })).status, 400);
  });

  it('once the redirect URI is trusted, errors go back to the client with state and iss', async () => {
    const cases: [Record<string, string | undefined>, string][] = [
      [{ code_challenge: undefined }, 'invalid_request'],
      [{ code_challenge_method: 'plain' }, 'invalid_request'],
      [{ code_challenge: 'short' }, 'invalid_request'],
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ resource: 'https://other.example.com/mcp' }, 'invalid_target'],
    ];
    for (const [change, error] of cases) {
      const res = await page({ ...base(), ...change });
      assert.equal(res.status, 302, JSON.stringify(change));
      const loc = new URL(res.location ?? '');
      assert.equal(`${loc.origin}${loc.pathname}`, CB);
      assert.equal(loc.searchParams.get('error'), error);
      assert.equal(loc.searchParams.get('state'), 'st');
      assert.equal(loc.searchParams.get('iss'), facade.url);
    }
  });

  it('a DocSpace app id (mode 2) has no registered redirect URI: its errors are pages, never redirects', async () => {
    const evil = 'https://evil.example/cb';
    // The review's request, as sent: an unknown id is taken as a DocSpace app.
    const exact = await page({ client_id: 'no-such-app', redirect_uri: evil, response_type: 'x' });
    assert.equal(exact.status, 400);
    assert.equal(exact.location, null);
    assert.match(exact.html, /response_type=code/);
    const cases: Record<string, string | undefined>[] = [
      { code_challenge: undefined },
      { code_challenge_method: 'plain' },
      { response_type: 'token' },
      { resource: 'https://other.example.com/mcp' },
    ];
    for (const change of cases) {
      const res = await page({ ...base(), client_id: 'no-such-app', redirect_uri: evil, ...change });
      assert.equal(res.location, null, JSON.stringify(change));
      assert.equal(res.status, 400, JSON.stringify(change));
      assert.match(res.html, /Reference: <code data-testid="ref">/);
    }
  });

  it('Deny on the consent page of a DocSpace app id shows a page instead of redirecting to its URI', async () => {
    const leg = await browserLeg(
      facade.url,
      authorizeUrl(facade.url, {
        ...base(),
        client_id: 'no-such-app',
        redirect_uri: 'https://evil.example/cb',
      }),
      { decision: 'deny' },
    );
    assert.equal(leg.consentStatus, 200, 'the consent page was shown');
    assert.equal(leg.location, 'status:403');
    assert.match(leg.consentHtml, /denied/);
  });

  it('the resource may be omitted or be our MCP URL (any case, trailing slash, query)', async () => {
    for (const resource of [
      undefined,
      `${facade.url}/mcp`,
      `${facade.url.toUpperCase().replace('HTTP', 'http')}/MCP/`,
      `${facade.url}/mcp?kb=1`,
    ]) {
      const res = await page({ ...base(), resource });
      assert.equal(res.status, 200, String(resource));
      assert.match(res.html, /Allow/);
    }
  });

  it('registration refuses dangerous redirect URIs and drops them from a mixed list', async () => {
    const bad = await fetch(`${facade.url}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        redirect_uris: ['javascript:alert(1)', 'http://evil.example.com/cb', 'data:text/html,x'],
      }),
    });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: string }).error, 'invalid_redirect_uri');
    const mixed = await register(facade.url, {
      redirect_uris: [
        'cursor://anysphere.cursor-mcp/oauth/callback',
        'javascript:alert(1)',
        'http://localhost:8787/callback',
      ],
      token_endpoint_auth_method: 'none',
    });
    assert.deepEqual(mixed.redirect_uris, [
      'cursor://anysphere.cursor-mcp/oauth/callback',
      'http://localhost:8787/callback',
    ]);
  });

  it('Deny on our consent page returns access_denied to the client', async () => {
    const leg = await browserLeg(facade.url, authorizeUrl(facade.url, base()), { decision: 'deny' });
    const loc = new URL(leg.location);
    assert.equal(loc.searchParams.get('error'), 'access_denied');
    assert.equal(loc.searchParams.get('state'), 'st');
    assert.equal(loc.searchParams.get('code'), null);
    assert.equal(upstream.counts.token, 0, 'nothing was exchanged');
  });

  it('DocSpace denying is relayed as access_denied with the client state', async () => {
    upstream.behaviour.deny = true;
    try {
      const leg = await browserLeg(facade.url, authorizeUrl(facade.url, base()));
      const loc = new URL(leg.location);
      assert.equal(loc.searchParams.get('error'), 'access_denied');
      assert.equal(loc.searchParams.get('state'), 'st');
      assert.equal(loc.searchParams.get('iss'), facade.url);
    } finally {
      upstream.behaviour.deny = false;
    }
  });

  it('DocSpace down at the callback shows a page with a reference id', async () => {
    const jar = new CookieJar();
    const first = await fetch(authorizeUrl(facade.url, base()), { redirect: 'manual' });
    jar.absorb(first);
    const post = await fetch(`${facade.url}/oauth/consent`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
      body: new URLSearchParams({ ...hiddenInputs(await first.text()), decision: 'allow' }),
    });
    const toDocSpace = await fetch(post.headers.get('location') ?? '', { redirect: 'manual' });
    const callback = toDocSpace.headers.get('location') ?? '';
    upstream.behaviour.down = true;
    try {
      const res = await fetch(callback, { redirect: 'manual', headers: { cookie: jar.header() } });
      assert.equal(res.status, 503);
      assert.match(await res.text(), /DocSpace is not answering[\s\S]*Reference/);
    } finally {
      upstream.behaviour.down = false;
    }
  });

  it('a forged consent post (no CSRF token, or another browser) is refused', async () => {
    const first = await fetch(authorizeUrl(facade.url, base()), { redirect: 'manual' });
    const jar = new CookieJar();
    jar.absorb(first);
    const fields = hiddenInputs(await first.text());
    const send = (body: Record<string, string>, cookie: string, origin?: string) =>
      fetch(`${facade.url}/oauth/consent`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie,
          ...(origin ? { origin } : {}),
        },
        body: new URLSearchParams(body),
      });
    assert.equal(
      (await send({ request: fields.request, decision: 'allow' }, jar.header())).status,
      403,
      'no csrf',
    );
    assert.equal((await send({ ...fields, decision: 'allow' }, '')).status, 403, 'no browser cookie');
    const attacker = new CookieJar();
    attacker.absorb(await fetch(authorizeUrl(facade.url, base()), { redirect: 'manual' }));
    assert.equal(
      (await send({ ...fields, decision: 'allow' }, attacker.header())).status,
      403,
      "another browser's cookie",
    );
    assert.equal(
      (await send({ ...fields, decision: 'allow' }, jar.header(), 'https://evil.example.com')).status,
      403,
      'cross-site origin',
    );
    // The genuine post still works once.
    assert.equal((await send({ ...fields, decision: 'allow' }, jar.header(), facade.url)).status, 302);
    assert.equal(
      (await send({ ...fields, decision: 'allow' }, jar.header(), facade.url)).status,
      400,
      'single use',
    );
  });

  it('the DocSpace callback only completes in the browser that consented, once', async () => {
    const jar = new CookieJar();
    const { location } = await codeFor(facade.url, {
      clientId,
      redirectUri: CB,
      jar,
      upstream: async (loc) => {
        const res = await fetch(loc, { redirect: 'manual' });
        const callback = res.headers.get('location') ?? '';
        const stranger = await fetch(callback, { redirect: 'manual' });
        assert.equal(stranger.status, 403, 'no cookie → refused');
        return callback;
      },
    });
    assert.match(location, /^status:400/, 'the state was spent by the refused attempt');
  });

  it('"remember this client" skips the page for a same-site start, not for a cross-site one', async () => {
    const jar = new CookieJar();
    await browserLeg(facade.url, authorizeUrl(facade.url, base()), { jar, remember: true });
    const again = await fetch(authorizeUrl(facade.url, base()), {
      redirect: 'manual',
      headers: { cookie: jar.header(), 'sec-fetch-site': 'none' },
    });
    assert.equal(again.status, 302);
    assert.ok(again.headers.get('location')?.startsWith(upstream.url));
    const cross = await fetch(authorizeUrl(facade.url, base()), {
      redirect: 'manual',
      headers: { cookie: jar.header(), 'sec-fetch-site': 'cross-site' },
    });
    assert.equal(cross.status, 200, 'a link from another site still shows the consent page');
  });
});
