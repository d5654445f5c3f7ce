// A person signs in through the demo, as `docspace-mcp demo` runs it, in a real Chromium: our
// consent page, the emulator's DocSpace sign-in and consent, back at the client, a token, a tool
// call. The guard, CORS, limits and logging are all in front, as in production.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Browser, Page } from 'playwright-core';
import type { Demo } from '../../../src/demo.js';
import { collectLogs, type Logs, startDemoServer } from '../../helpers/assembled.js';
import { chromiumSkip, launchChromium, screenshot } from '../../helpers/browser.js';
import { pkcePair } from '../../helpers/pkce.js';
import { type Listening, listen } from '../../helpers/listen.js';

async function register(base: string, name: string, redirectUri: string): Promise<string> {
  const res = await fetch(`${base}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: name,
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'none',
    }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return ((await res.json()) as { client_id: string }).client_id;
}

describe('signing in through the demo in a real browser', chromiumSkip('sign-in'), () => {
  let browser: Browser;
  let demo: Demo;
  let base: string;
  let logs: Logs;
  let clientSite: Listening;
  let attackerSite: Listening;
  let redirectUri: string;
  let clientId: string;

  before(async () => {
    logs = collectLogs();
    demo = await startDemoServer({ logs });
    base = demo.server.publicBaseUrl.replace(/\/$/, '');
    clientSite = await listen(
      () =>
        new Response('<!doctype html><title>client</title><p>back at the client</p>', {
          headers: { 'content-type': 'text/html' },
        }),
    );
    redirectUri = `${clientSite.url}/client-callback`;
    clientId = await register(base, 'Browser Test Client', redirectUri);
    // Another site (localhost ≠ 127.0.0.1 for the browser) trying to post to us or frame us.
    attackerSite = await listen((req) => {
      const url = new URL(req.url);
      const target = url.searchParams.get('target') ?? '';
      const body =
        url.pathname === '/frame'
          ? `<!doctype html><title>attacker</title><iframe id="f" src="${target}" width="600" height="400"></iframe>`
          : `<!doctype html><title>attacker</title><form id="f" method="post" action="${base}/oauth/consent"><input name="request" value="guess"><input name="csrf" value="guess"><input name="decision" value="allow"></form><script>document.getElementById('f').submit()</script>`;
      // `/post-null`: the attacker hides its origin, so the browser sends `Origin: null`.
      const headers: Record<string, string> = { 'content-type': 'text/html' };
      if (url.pathname === '/post-null') headers['referrer-policy'] = 'no-referrer';
      return new Response(body, { headers });
    });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await Promise.all([demo?.stop(), clientSite?.close(), attackerSite?.close()]);
  });

  const authorizeUrl = (id: string, challenge: string, state: string) =>
    `${base}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: id, redirect_uri: redirectUri, code_challenge: challenge, code_challenge_method: 'S256', state })}`;

  const person = () => {
    const p = demo.emulator.info.users.find((u) => u.email === 'user@example.com');
    assert.ok(p, 'the demo seeds user@example.com');
    return p;
  };

  /**
   * DocSpace's own screens (the emulator's): sign in, then allow the DocSpace app unless this
   * person already allowed it (DocSpace then goes straight back).
   */
  async function docspaceSignInAndAllow(page: Page): Promise<void> {
    await page.locator('#email').fill(person().email);
    await page.locator('#password').fill(person().password);
    await page.locator('#signin-submit').click();
    await page.waitForURL((u) => u.href.startsWith(redirectUri) || u.pathname === '/oauth2/authorize');
    if (!page.url().startsWith(redirectUri))
      await Promise.all([page.waitForURL(`${redirectUri}**`), page.locator('#allow').click()]);
  }

  async function exchange(code: string, verifier: string, id: string): Promise<Record<string, string>> {
    const res = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
        client_id: id,
      }),
    });
    const body = (await res.json()) as Record<string, string>;
    assert.equal(res.status, 200, JSON.stringify(body));
    return body;
  }

  it('Allow on our consent page, DocSpace sign-in and consent, a token, a tool call as that person', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const { verifier, challenge } = pkcePair();
    const res = await page.goto(authorizeUrl(clientId, challenge, 'allow-state'));
    assert.equal(res?.status(), 200);
    assert.equal(await page.getByTestId('client-name').textContent(), 'Browser Test Client');
    assert.match((await page.getByTestId('redirect').textContent()) ?? '', /127\.0\.0\.1/);
    assert.ok(await page.getByText('this computer').isVisible(), 'localhost warning shown');
    assert.match((await page.getByTestId('next').textContent()) ?? '', /DocSpace will ask you to sign in/);
    await screenshot(page, 'consent-registered-client');

    const consentPost = page.waitForResponse((r) => r.url() === `${base}/oauth/consent`);
    await page.getByRole('button', { name: 'Allow' }).click();
    const posted = await consentPost;
    assert.equal(
      posted.status(),
      302,
      `the consent post was answered ${posted.status()}: ${await posted.text().catch(() => '')}`,
    );
    await docspaceSignInAndAllow(page);
    const back = new URL(page.url());
    assert.equal(back.searchParams.get('state'), 'allow-state');
    const issued = await exchange(back.searchParams.get('code') ?? '', verifier, clientId);
    await context.close();

    const client = new Client({ name: 'browser-e2e', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(demo.mcpUrl), {
        requestInit: { headers: { authorization: `Bearer ${issued.access_token}` } },
      }),
    );
    const me = (await client.callTool({ name: 'get_current_user', arguments: {} })) as {
      content: { text?: string }[];
    };
    assert.match(me.content.map((c) => c.text).join('\n'), /user@example\.com/);
    await client.close();
  });

  it('Deny sends the person back to the client with access_denied', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(authorizeUrl(clientId, pkcePair().challenge, 'deny-state'));
    await Promise.all([
      page.waitForURL(`${redirectUri}**`),
      page.getByRole('button', { name: 'Deny' }).click(),
    ]);
    const back = new URL(page.url());
    assert.equal(back.searchParams.get('error'), 'access_denied');
    assert.equal(back.searchParams.get('state'), 'deny-state');
    await context.close();
  });

  for (const [path, what] of [
    ['/post', 'with its own Origin'],
    ['/post-null', 'hiding its Origin (Origin: null)'],
  ] as const) {
    it(`a forged consent post from another site ${what} is refused, and the log says why`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(authorizeUrl(clientId, pkcePair().challenge, 'x')); // the victim has our cookie
      const attacker = attackerSite.url.replace('127.0.0.1', 'localhost');
      const [response] = await Promise.all([
        page.waitForResponse(`${base}/oauth/consent`),
        page.goto(`${attacker}${path}`),
      ]);
      assert.equal(response.status(), 403);
      assert.match(await page.content(), /cannot continue/);
      const ref = (await page.getByTestId('ref').textContent()) ?? '';
      assert.ok(ref, 'the page shows a reference');
      assert.ok(
        logs.lines.some((l) => l.includes(ref) && /refused|another site|not allowed/.test(l)),
        `a log line with reference ${ref} says why`,
      );
      await context.close();
    });
  }

  it('our pages cannot be framed', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const attacker = attackerSite.url.replace('127.0.0.1', 'localhost');
    const target = authorizeUrl(clientId, pkcePair().challenge, 'frame');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().startsWith(`${base}/oauth/authorize`)),
      page.goto(`${attacker}/frame?target=${encodeURIComponent(target)}`),
    ]);
    assert.equal(response.headers()['x-frame-options'], 'DENY');
    await page.waitForTimeout(300);
    const framed = page.frames().filter((f) => f !== page.mainFrame());
    assert.equal(framed.length, 1);
    assert.equal(
      await framed[0].locator('[data-testid="client-name"]').count(),
      0,
      'no consent form in the frame',
    );
    await context.close();
  });

  it('mode 2: the DocSpace app id typed into the client, a natural consent page, and a working token', async () => {
    const app = demo.emulator.info.oauthApps.find((a) => !a.isPublic);
    assert.ok(app);
    const context = await browser.newContext();
    const page = await context.newPage();
    const { verifier, challenge } = pkcePair();
    await page.goto(authorizeUrl(app.clientId, challenge, 'mode2'));
    const heading = (await page.locator('h1').textContent()) ?? '';
    assert.doesNotMatch(heading, /An app using/);
    assert.match(heading, /^Connect an app to your DocSpace\?$/);
    await screenshot(page, 'consent-docspace-app');
    await page.getByRole('button', { name: 'Allow' }).click();
    await docspaceSignInAndAllow(page);
    const code = new URL(page.url()).searchParams.get('code') ?? '';
    const res = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
        client_id: app.clientId,
        client_secret: app.clientSecret,
      }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    await context.close();
  });

  it('an unknown client sees a page telling them to reconnect from their app, without "ask your administrator" in the demo', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const res = await page.goto(
      `${base}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'mcp_forgotten0000', redirect_uri: redirectUri, code_challenge: pkcePair().challenge, code_challenge_method: 'S256' })}`,
    );
    assert.equal(res?.status(), 400);
    const text = (await page.locator('main').textContent()) ?? '';
    assert.match(text, /reconnect|connect again/i);
    assert.doesNotMatch(text, /register again/i);
    assert.doesNotMatch(text, /administrator/i);
    assert.ok(await page.getByTestId('ref').textContent());
    await screenshot(page, 'error-unknown-client');
    await context.close();
  });

  it('the landing page and a browser opening /mcp explain how to connect', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const landing = await page.goto(`${base}/`);
    assert.equal(landing?.status(), 200);
    assert.match((await page.getByTestId('mcp-url').textContent()) ?? '', new RegExp(`^${demo.mcpUrl}$`));
    assert.ok(
      await page
        .getByRole('link', { name: /client/i })
        .first()
        .isVisible(),
    );
    await screenshot(page, 'landing');
    const mcp = await page.goto(demo.mcpUrl);
    assert.equal(mcp?.status(), 200);
    assert.match((await page.locator('h1').textContent()) ?? '', /MCP endpoint/);
    assert.equal(await page.getByTestId('mcp-url').textContent(), demo.mcpUrl);
    await screenshot(page, 'mcp-endpoint');
    const emulatorRoot = await page.goto(`${demo.emulator.url}/`);
    assert.equal(emulatorRoot?.status(), 200);
    assert.match((await page.locator('body').textContent()) ?? '', /DocSpace emulator/);
    await screenshot(page, 'emulator-root');
    await context.close();
  });
});
