/**
 * A person at a browser, for third-party clients that open one (mcp-remote's `open`, through
 * xdg-open's `$BROWSER`): `node drive-sign-in.js <url>` drives headless Chromium through our
 * consent page (Allow) and DocSpace's sign-in and consent (the emulator's), until the browser
 * leaves both servers for the client's own callback. It writes what happened, as one JSON
 * line, to `$DRIVE_RESULT`, and a screenshot of each page to `test-artifacts/<$DRIVE_NAME>-*.png`.
 *
 * Env: DRIVE_RESULT (file), DRIVE_EMAIL, DRIVE_PASSWORD, DRIVE_SERVER (our origin),
 * DRIVE_PORTAL (the emulator's origin), DRIVE_NAME (screenshot prefix).
 */
import { appendFileSync } from 'node:fs';
import { launchChromium, screenshot } from './browser.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

async function drive(
  url: string,
): Promise<{ ok: boolean; steps: string[]; finalUrl?: string; error?: string }> {
  const steps: string[] = [];
  const server = new URL(env('DRIVE_SERVER')).origin;
  const portal = new URL(env('DRIVE_PORTAL')).origin;
  const name = env('DRIVE_NAME');
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(url);
    // Bounded: each page we know is acted on once; anything else ends the drive.
    for (let i = 0; i < 6; i++) {
      await page.waitForLoadState('load');
      const here = new URL(page.url());
      if (here.origin === server && (await page.getByRole('button', { name: 'Allow' }).count()) > 0) {
        steps.push('consent');
        await screenshot(page, `${name}-consent`);
        await Promise.all([
          page.waitForURL((u) => u.origin !== server),
          page.getByRole('button', { name: 'Allow' }).click(),
        ]);
      } else if (here.origin === portal && (await page.locator('#signin').count()) > 0) {
        steps.push('docspace-sign-in');
        await page.locator('#email').fill(env('DRIVE_EMAIL'));
        await page.locator('#password').fill(env('DRIVE_PASSWORD'));
        await Promise.all([page.waitForNavigation(), page.locator('#signin-submit').click()]);
      } else if (here.origin === portal && (await page.locator('#allow').count()) > 0) {
        steps.push('docspace-consent');
        await Promise.all([page.waitForURL((u) => u.origin !== portal), page.locator('#allow').click()]);
      } else if (here.origin !== server && here.origin !== portal) {
        steps.push('client-callback');
        await screenshot(page, `${name}-back-at-client`);
        return { ok: true, steps, finalUrl: `${here.origin}${here.pathname}` };
      } else {
        await screenshot(page, `${name}-stuck`);
        const text = ((await page.locator('body').textContent()) ?? '').trim().slice(0, 300);
        return { ok: false, steps, error: `stuck at ${here.origin}${here.pathname}: ${text}` };
      }
    }
    return { ok: false, steps, error: 'too many pages' };
  } finally {
    await browser.close();
  }
}

const result = await drive(process.argv[2] ?? '').catch((err: unknown) => ({
  ok: false,
  steps: [],
  error: err instanceof Error ? err.message : String(err),
}));
appendFileSync(env('DRIVE_RESULT'), `${JSON.stringify(result)}\n`);
process.exit(result.ok ? 0 : 1);
