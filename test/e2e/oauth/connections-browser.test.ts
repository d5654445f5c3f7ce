// A person's connections page in a real Chromium, against the demo as the CLI starts it: they
// sign in with DocSpace, see the AI client they connected, revoke it, and that client's next call
// fails; another person's connection cannot be touched; a forged cross-site post fails.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Demo } from '../../../src/demo.js';
import { startDemoServer } from '../../helpers/assembled.js';
import { chromiumSkip, launchChromium, screenshot, signInToConnections } from '../../helpers/browser.js';
import { emulatorPerson } from '../../integration/oauth/helpers/emulator-leg.js';
import { register, postMcp } from '../../helpers/oauth-flow.js';
import { postForm, tokensFor } from '../../integration/oauth/helpers/flow.js';
import { type Listening, listen } from '../../helpers/listen.js';

const CLIENT_CALLBACK = 'http://127.0.0.1:7000/client-callback';

describe('the connections page', chromiumSkip('connections'), () => {
  let browser: Browser;
  let demo: Demo;
  let base: string;
  let attacker: Listening;

  before(async () => {
    demo = await startDemoServer();
    base = demo.server.publicBaseUrl.replace(/\/$/, '');
    attacker = await listen(
      () =>
        new Response(
          `<!doctype html><form id="f" method="post" action="${base}/connections/revoke-all"><input name="csrf" value="guess"></form><script>document.getElementById('f').submit()</script>`,
          { headers: { 'content-type': 'text/html' } },
        ),
    );
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await Promise.all([demo?.stop(), attacker?.close()]);
  });

  const user = (email: string) => {
    const u = demo.emulator.info.users.find((x) => x.email === email);
    assert.ok(u);
    return u;
  };

  /** An MCP client of this person, through our registration, consent and DocSpace's. */
  async function connectClient(email: string, name: string) {
    const clientId = (
      await register(base, {
        client_name: name,
        redirect_uris: [CLIENT_CALLBACK],
        token_endpoint_auth_method: 'none',
      })
    ).client_id;
    const issued = await tokensFor(base, {
      clientId,
      redirectUri: CLIENT_CALLBACK,
      upstream: emulatorPerson(user(email)),
    });
    assert.equal(issued.status, 200, JSON.stringify(issued.body));
    return { clientId, access: String(issued.body.access_token), refresh: String(issued.body.refresh_token) };
  }

  /** A tool call with the client's token: the status of the MCP request. */
  async function call(access: string): Promise<number> {
    const res = await postMcp(demo.mcpUrl, access, {
      method: 'tools/call',
      params: { name: 'get_current_user', arguments: {} },
    });
    await res.body?.cancel();
    return res.status;
  }

  const signIn = (page: Page, email: string) => signInToConnections(page, base, user(email));

  it('lists the person’s client, keeps it working across the page’s own sign-in, and Revoke ends it', async () => {
    const mine = await connectClient('user@example.com', 'Research Assistant');
    const theirs = await connectClient('admin@example.com', 'Admin Bot');
    assert.equal(await call(mine.access), 200);

    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, 'user@example.com');
    const names = await page.getByTestId('connection-name').allTextContents();
    assert.deepEqual(names, ['Research Assistant'], 'only this person’s connections');
    await screenshot(page, 'connections-list');
    // DocSpace replaced the person's authorization when they signed in to the page; the
    // client uses the new tokens through the shared grant.
    assert.equal(await call(mine.access), 200, 'the client still works after the page sign-in');

    // Another person's connection id, sent with this person's session and CSRF token: 404.
    const csrf = (await page.locator('input[name="csrf"]').first().getAttribute('value')) ?? '';
    const adminGid = theirs.refresh.split('.')[0];
    const foreign = await page.request.post(`${base}/connections/revoke`, {
      form: { csrf, connection: adminGid },
      headers: { origin: base },
      maxRedirects: 0,
    });
    assert.equal(foreign.status(), 404);
    assert.equal(await call(theirs.access), 200, 'the other person’s client is untouched');

    await page.getByRole('button', { name: 'Revoke Research Assistant' }).click();
    await page.waitForURL(`${base}/connections?done=revoked`);
    assert.match((await page.getByRole('status').textContent()) ?? '', /revoked/);
    assert.equal(await page.getByTestId('connection').count(), 0);
    await screenshot(page, 'connections-after-revoke');
    assert.equal(await call(mine.access), 401, 'the revoked client’s next call is refused');
    const refreshed = await postForm(`${base}/oauth/token`, {
      grant_type: 'refresh_token',
      refresh_token: mine.refresh,
      client_id: mine.clientId,
    });
    assert.equal(refreshed.body.error, 'invalid_grant');
    await context.close();
  });

  it('a forged cross-site post cannot revoke anything', async () => {
    const mine = await connectClient('roomadmin@example.com', 'Forgery Target');
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, 'roomadmin@example.com');
    const [response] = await Promise.all([
      page.waitForResponse(`${base}/connections/revoke-all`),
      page.goto(attacker.url.replace('127.0.0.1', 'localhost')),
    ]);
    // The session cookie is SameSite=Lax: a cross-site post arrives without it (303 to sign in).
    assert.equal(response.status(), 303);
    // With the cookie (same site) but without the page's CSRF token: refused.
    const forged = await page.request.post(`${base}/connections/revoke-all`, {
      form: { csrf: 'guess' },
      headers: { origin: base },
      maxRedirects: 0,
    });
    assert.equal(forged.status(), 403);
    assert.equal(await call(mine.access), 200, 'nothing was revoked');
    await context.close();
  });

  it('Revoke all ends every connection of the person', async () => {
    const a = await connectClient('guest@example.com', 'First');
    const b = await connectClient('guest@example.com', 'Second');
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, 'guest@example.com');
    assert.deepEqual((await page.getByTestId('connection-name').allTextContents()).sort(), [
      'First',
      'Second',
    ]);
    await page.getByRole('button', { name: 'Revoke all' }).click();
    await page.waitForURL(`${base}/connections?done=all`);
    assert.ok(await page.getByTestId('empty').isVisible());
    assert.deepEqual([await call(a.access), await call(b.access)], [401, 401]);
    await context.close();
  });

  it('without a session the page offers the DocSpace sign-in, and the landing page links to it', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/connections`);
    assert.ok(await page.getByRole('button', { name: 'Sign in with DocSpace' }).isVisible());
    await screenshot(page, 'connections-signed-out');
    await page.goto(`${base}/`);
    await page.getByRole('link', { name: /See and revoke your AI connections/ }).click();
    await page.waitForURL(`${base}/connections`);
    await context.close();
  });
});
