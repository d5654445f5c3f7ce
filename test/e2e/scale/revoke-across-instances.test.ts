// Revoking on one instance ends the connection on every instance: two `docspace-mcp serve`
// processes share Redis behind one public URL; the person revokes the client on instance A's
// /connections page in a real Chromium, and the client's next request, sent to instance B, is a
// 401 with the WWW-Authenticate challenge, and its refresh on B gets invalid_grant.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Emulator } from '../../../emulator/index.js';
import { chromiumSkip, launchChromium, screenshot } from '../../helpers/browser.js';
import { type RedisServer, skipUnlessRedis } from '../../helpers/redis.js';
import { emulatorPerson } from '../../integration/oauth/helpers/emulator-leg.js';
import { postForm, tokensFor } from '../../integration/oauth/helpers/flow.js';
import { type Balancer, type Instance, mcpProbe, startPair, stopAll, whoAmI } from './cluster.js';

if (!skipUnlessRedis('revoke across instances')) {
  describe('revoking on one instance, refused on the other', chromiumSkip('revoke-across'), () => {
    let emu: Emulator;
    let redis: RedisServer;
    let lb: Balancer;
    let a: Instance;
    let b: Instance;
    let browser: Browser;

    before(async () => {
      ({ emu, redis, lb, a, b } = await startPair('revoke-test:'));
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close();
      await stopAll();
      await Promise.all([lb?.close(), redis?.stop(), emu?.close()]);
    });

    it('Revoke on A’s /connections page: the next request on B is 401 with the challenge, the refresh invalid_grant', async () => {
      const person = emu.info.users.find((x) => x.email === 'user@example.com');
      assert.ok(person);
      const issued = await tokensFor(lb.url, { upstream: emulatorPerson(person) });
      assert.equal(issued.status, 200, JSON.stringify(issued.body));
      const access = String(issued.body.access_token);
      assert.equal(await whoAmI(b.url, access), 'user@example.com', 'B serves the client before');

      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${lb.url}/connections`);
      await page.getByRole('button', { name: 'Sign in with DocSpace' }).click();
      await page.locator('#email').fill(person.email);
      await page.locator('#password').fill(person.password);
      await page.locator('#signin-submit').click();
      await page.waitForURL((u) => u.pathname === '/connections' || u.pathname === '/oauth2/authorize');
      if (new URL(page.url()).pathname !== '/connections')
        await Promise.all([page.waitForURL(`${lb.url}/connections`), page.locator('#allow').click()]);
      assert.equal(await page.getByTestId('connection').count(), 1);
      const servedBefore = lb.served.length;
      await page
        .getByTestId('connection')
        .getByRole('button', { name: /^Revoke / })
        .click();
      await page.waitForURL(`${lb.url}/connections?done=revoked`);
      await screenshot(page, 'connections-revoked-on-instance-a');
      assert.ok(
        lb.served.slice(servedBefore).every((s) => s.instance === 'A'),
        'the revocation went to instance A',
      );
      await context.close();

      const probe = await mcpProbe(b.url, access);
      assert.equal(probe.status, 401, JSON.stringify(probe.body));
      assert.match(probe.challenge ?? '', /^Bearer resource_metadata="[^"]+", error="invalid_token"/);
      const refreshed = await postForm(`${b.url}/oauth/token`, {
        grant_type: 'refresh_token',
        refresh_token: String(issued.body.refresh_token),
        client_id: issued.clientId,
      });
      assert.equal(refreshed.status, 400);
      assert.equal(refreshed.body.error, 'invalid_grant');
    });
  });
}
