import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser, chromium } from 'playwright-core';
import { startEmulator } from '../../../emulator/index.js';
import { type Facade, pkcePair, register, startFacade } from '../../integration/oauth/helpers/facade.js';
import { type FakeDocSpace, startFakeDocSpace } from '../../integration/oauth/helpers/fake-docspace.js';
import { postForm } from '../../integration/oauth/helpers/flow.js';
import { type Listening, listen } from '../../integration/oauth/helpers/listen.js';

const CHROMIUM = '/usr/bin/chromium';
const APP = { clientId: 'docspace-app-1', clientSecret: 'docspace-app-secret' };
const available = existsSync(CHROMIUM);
if (!available) {
  console.warn(
    `\n[oauth] WARNING: ${CHROMIUM} is missing — the consent page browser tests are SKIPPED (install: apt-get install -y chromium)\n`,
  );
}

describe(
  'the consent page in a real browser',
  {
    skip: !available && process.env.CI !== 'true' ? 'chromium not installed' : false,
  },
  () => {
    let browser: Browser;
    let upstream: FakeDocSpace;
    let facade: Facade;
    let clientSite: Listening;
    let attackerSite: Listening;
    let clientId: string;
    let redirectUri: string;

    before(async () => {
      upstream = await startFakeDocSpace({ apps: [APP] });
      facade = await startFacade({ docspaceBaseUrl: upstream.url, ...APP });
      clientSite = await listen(
        () =>
          new Response('<!doctype html><title>client</title><p>back at the client</p>', {
            headers: { 'content-type': 'text/html' },
          }),
      );
      redirectUri = `${clientSite.url}/client-callback`;
      clientId = (
        await register(facade.url, {
          client_name: 'Browser Test Client',
          redirect_uris: [redirectUri],
          token_endpoint_auth_method: 'none',
        })
      ).client_id;
      // Another site (localhost ≠ 127.0.0.1 for the browser) trying to frame or post to us.
      attackerSite = await listen((req) => {
        const target = new URL(req.url).searchParams.get('target') ?? '';
        const body = req.url.includes('/frame')
          ? `<!doctype html><title>attacker</title><iframe id="f" src="${target}" width="600" height="400"></iframe>`
          : `<!doctype html><title>attacker</title><form id="f" method="post" action="${facade.url}/oauth/consent"><input name="request" value="guess"><input name="csrf" value="guess"><input name="decision" value="allow"></form><script>document.getElementById('f').submit()</script>`;
        return new Response(body, { headers: { 'content-type': 'text/html' } });
      });
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--no-sandbox',
          '--headless=new',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      });
    });
    after(async () => {
      await browser?.close();
      await Promise.all([facade?.close(), upstream?.close(), clientSite?.close(), attackerSite?.close()]);
    });

    const authorizeUrl = (challenge: string, state: string) =>
      `${facade.url}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: redirectUri, code_challenge: challenge, code_challenge_method: 'S256', state })}`;

    it('renders, and Allow completes the flow', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const { verifier, challenge } = pkcePair();
      const res = await page.goto(authorizeUrl(challenge, 'allow-state'));
      assert.equal(res?.status(), 200);
      assert.equal(await page.getByTestId('client-name').textContent(), 'Browser Test Client');
      assert.match((await page.getByTestId('redirect').textContent()) ?? '', /127\.0\.0\.1/);
      assert.ok(await page.getByText('this computer').isVisible(), 'localhost warning shown');
      const dir = join(process.cwd(), 'test-artifacts');
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: join(dir, 'consent-page.png'), fullPage: true });
      await Promise.all([
        page.waitForURL(`${redirectUri}**`),
        page.getByRole('button', { name: 'Allow' }).click(),
      ]);
      const back = new URL(page.url());
      assert.equal(back.searchParams.get('state'), 'allow-state');
      const code = back.searchParams.get('code') ?? '';
      const issued = await postForm(`${facade.url}/oauth/token`, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
        client_id: clientId,
      });
      assert.equal(issued.status, 200, JSON.stringify(issued.body));
      await context.close();
    });

    it('the whole human path with DocSpace sign-in and consent (emulator) lands back at the client', async () => {
      const emu = await startEmulator();
      const shared = emu.info.oauthApps.find((a) => !a.isPublic);
      const person = emu.info.users.find((u) => u.email === 'user@example.com');
      assert.ok(shared && person);
      const viaEmulator = await startFacade({
        docspaceBaseUrl: emu.url,
        clientId: shared.clientId,
        clientSecret: shared.clientSecret,
      });
      const context = await browser.newContext();
      try {
        const id = (
          await register(viaEmulator.url, {
            client_name: 'Emulator Path',
            redirect_uris: [redirectUri],
            token_endpoint_auth_method: 'none',
          })
        ).client_id;
        const { verifier, challenge } = pkcePair();
        const page = await context.newPage();
        await page.goto(
          `${viaEmulator.url}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: id, redirect_uri: redirectUri, code_challenge: challenge, code_challenge_method: 'S256', state: 'human' })}`,
        );
        await page.getByRole('button', { name: 'Allow' }).click();
        await page.locator('#email').fill(person.email);
        await page.locator('#password').fill(person.password);
        await page.locator('#signin-submit').click();
        await Promise.all([page.waitForURL(`${redirectUri}**`), page.locator('#allow').click()]);
        const back = new URL(page.url());
        assert.equal(back.searchParams.get('state'), 'human');
        const issued = await postForm(`${viaEmulator.url}/oauth/token`, {
          grant_type: 'authorization_code',
          code: back.searchParams.get('code') ?? '',
          redirect_uri: redirectUri,
          code_verifier: verifier,
          client_id: id,
        });
        assert.equal(issued.status, 200, JSON.stringify(issued.body));
        const me = (await (
          await fetch(`${viaEmulator.url}/mcp`, {
            headers: { authorization: `Bearer ${String(issued.body.access_token)}` },
          })
        ).json()) as {
          principal: { userId: string };
        };
        assert.equal(me.principal.userId, person.id);
      } finally {
        await context.close();
        await viaEmulator.close();
        await emu.close();
      }
    });

    it('Deny returns access_denied to the client', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(authorizeUrl(pkcePair().challenge, 'deny-state'));
      await Promise.all([
        page.waitForURL(`${redirectUri}**`),
        page.getByRole('button', { name: 'Deny' }).click(),
      ]);
      const back = new URL(page.url());
      assert.equal(back.searchParams.get('error'), 'access_denied');
      assert.equal(back.searchParams.get('state'), 'deny-state');
      await context.close();
    });

    it('a forged form post from another site is refused', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(authorizeUrl(pkcePair().challenge, 'x')); // the victim has our browser cookie
      const attacker = attackerSite.url.replace('127.0.0.1', 'localhost');
      const [response] = await Promise.all([
        page.waitForResponse(`${facade.url}/oauth/consent`),
        page.goto(`${attacker}/post`),
      ]);
      assert.equal(response.status(), 403);
      assert.match(await page.content(), /cannot continue/);
      await context.close();
    });

    it('the page cannot be framed', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const attacker = attackerSite.url.replace('127.0.0.1', 'localhost');
      const target = authorizeUrl(pkcePair().challenge, 'frame');
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().startsWith(`${facade.url}/oauth/authorize`)),
        page.goto(`${attacker}/frame?target=${encodeURIComponent(target)}`),
      ]);
      assert.equal(response.headers()['x-frame-options'], 'DENY');
      await page.waitForTimeout(300);
      const framed = page.frames().filter((f) => f !== page.mainFrame());
      assert.equal(framed.length, 1);
      assert.ok(!framed[0].url().startsWith(facade.url), `the frame shows ${framed[0].url()}, not our page`);
      assert.equal(
        await framed[0].locator('[data-testid="client-name"]').count(),
        0,
        'no consent form inside the frame',
      );
      await context.close();
    });
  },
);
