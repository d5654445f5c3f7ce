/**
 * A real headless Chromium (Debian's `chromium`) for pages people click. Missing locally: the
 * suite says so loudly and skips; under CI=true it fails instead.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that keep Chromium off this machine's closed network (see machine notes). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless=new',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A `describe` option: skip with a loud warning when Chromium is absent (fail under CI). */
export function chromiumSkip(suite: string): { skip: string | false } {
  if (existsSync(CHROMIUM)) return { skip: false };
  console.warn(
    `\n[${suite}] WARNING: ${CHROMIUM} is missing — these browser tests are SKIPPED (install: apt-get install -y chromium)\n`,
  );
  return { skip: process.env.CI === 'true' ? false : 'chromium not installed' };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export const ARTIFACTS = join(process.cwd(), 'test-artifacts');

/** Writes `test-artifacts/<name>.png` (the whole page), for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/**
 * A person signs in to `<base>/connections` with DocSpace in the browser: our button, the
 * emulator's sign-in form, and its consent page when DocSpace asks (the first time per app).
 */
export async function signInToConnections(
  page: Page,
  base: string,
  person: { email: string; password: string },
): Promise<void> {
  await page.goto(`${base}/connections`);
  await page.getByRole('button', { name: 'Sign in with DocSpace' }).click();
  await page.locator('#email').fill(person.email);
  await page.locator('#password').fill(person.password);
  await page.locator('#signin-submit').click();
  await page.waitForURL((u) => u.pathname === '/connections' || u.pathname === '/oauth2/authorize');
  if (new URL(page.url()).pathname !== '/connections')
    await Promise.all([page.waitForURL(`${base}/connections`), page.locator('#allow').click()]);
}
