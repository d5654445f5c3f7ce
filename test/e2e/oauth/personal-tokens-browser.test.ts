// Personal access tokens in a real Chromium, against the demo as the CLI starts it: a person signs
// in on /connections, creates a token, sees it once, uses it from an SDK client that only sends a
// static Authorization header (as Gemini CLI or a script does), a Read only token cannot call a
// writing tool, Revoke ends it at the next call; another person's token ids answer 404, a forged
// cross-site post fails, and with the operator's switch off the section says so and the routes refuse.
import assert from 'node:assert/strict';
import { postMcp } from '../../helpers/oauth-flow.js';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Browser, Page } from 'playwright-core';
import type { Demo } from '../../../src/demo.js';
import { startDemoServer } from '../../helpers/assembled.js';
import { chromiumSkip, launchChromium, screenshot, signInToConnections } from '../../helpers/browser.js';
import { type Listening, listen } from '../../helpers/listen.js';

type ToolResult = { isError?: boolean; content: { type: string; text?: string }[] };

async function signIn(demo: Demo, page: Page, email: string): Promise<void> {
  const user = demo.emulator.info.users.find((x) => x.email === email);
  assert.ok(user);
  await signInToConnections(page, demo.server.publicBaseUrl.replace(/\/$/, ''), user);
}

/** Creates a token on the page; returns the token shown once. */
async function createToken(
  page: Page,
  label: string,
  access: 'Read only' | 'Read and write',
): Promise<string> {
  await page.getByLabel('Name').fill(label);
  await page.getByLabel(access).check();
  await Promise.all([
    page.waitForURL(/\/connections\?done=token-created/),
    page.getByRole('button', { name: 'Create token' }).click(),
  ]);
  return ((await page.getByTestId('new-token').textContent()) ?? '').trim();
}

/** An MCP client that knows nothing of OAuth: it sends the token as a static header. */
async function staticClient(demo: Demo, token: string): Promise<Client> {
  const client = new Client({ name: 'pat-script', version: '1' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(demo.mcpUrl), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

const text = (r: ToolResult) => r.content.map((c) => c.text ?? '').join('\n');

describe('personal access tokens on the connections page', chromiumSkip('personal tokens'), () => {
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
          `<!doctype html><form id="f" method="post" action="${base}/connections/tokens/create"><input name="csrf" value="guess"><input name="label" value="stolen"><input name="access" value="write"><input name="days" value="90"></form><script>document.getElementById('f').submit()</script>`,
          { headers: { 'content-type': 'text/html' } },
        ),
    );
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await Promise.all([demo?.stop(), attacker?.close()]);
  });

  it('creates a token shown once, used by a non-OAuth client as the person; Revoke ends it at the next call', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(demo, page, 'user@example.com');
    assert.ok(await page.getByTestId('tokens-empty').isVisible());

    const token = await createToken(page, 'Gemini CLI on my laptop', 'Read and write');
    assert.ok(token.length > 100, 'the token is on the page');
    await screenshot(page, 'personal-token-created');

    // Shown once: the next view of the page lists it without the token.
    await page.goto(`${base}/connections`);
    assert.equal(await page.getByTestId('new-token').count(), 0, 'never shown again');
    assert.ok(!(await page.content()).includes(token));
    assert.deepEqual(await page.getByTestId('token-label').allTextContents(), ['Gemini CLI on my laptop']);
    assert.deepEqual(await page.getByTestId('token-access').allTextContents(), ['Read and write']);
    assert.match((await page.getByTestId('token').textContent()) ?? '', new RegExp(`…${token.slice(-6)}`));

    const client = await staticClient(demo, token);
    const names = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes('create_folder') && names.includes('get_current_user'));
    const me = (await client.callTool({ name: 'get_current_user', arguments: {} })) as ToolResult;
    assert.match(text(me), /user@example\.com/, 'it acts as the person who made it');
    const my = (await client.callTool({ name: 'get_my_folder', arguments: {} })) as ToolResult & {
      structuredContent?: { folder?: { id?: number } };
    };
    const created = (await client.callTool({
      name: 'create_folder',
      arguments: { parentId: my.structuredContent?.folder?.id, title: 'Made with a personal token' },
    })) as ToolResult;
    assert.ok(!created.isError, text(created));

    await page.goto(`${base}/connections`);
    assert.notEqual(await page.getByTestId('token-last-used').textContent(), 'never', 'last use shows');
    await screenshot(page, 'personal-tokens-list');

    // The activity page names the token by its label, never the token itself.
    await page.goto(`${base}/connections/activity`);
    const activity = await page.content();
    assert.match(activity, /Personal token “Gemini CLI on my laptop”/);
    assert.match(activity, /Made with a personal token/);
    assert.ok(!activity.includes(token));
    await page.goto(`${base}/connections`);

    await page.getByRole('button', { name: 'Revoke token Gemini CLI on my laptop' }).click();
    await page.waitForURL(/\/connections\?done=token-revoked/);
    assert.match((await page.getByRole('status').textContent()) ?? '', /revoked/);
    assert.ok(await page.getByTestId('tokens-empty').isVisible());
    await screenshot(page, 'personal-token-revoked');

    const after = await postMcp(demo.mcpUrl, token, {
      method: 'tools/call',
      params: { name: 'get_current_user', arguments: {} },
    });
    assert.equal(after.status, 401, 'the revoked token’s next call is refused');
    const challenge = after.headers.get('www-authenticate') ?? '';
    assert.match(challenge, /^Bearer /);
    assert.match(challenge, /resource_metadata="[^"]+\/\.well-known\/oauth-protected-resource\/mcp"/);
    assert.match(challenge, /error="invalid_token"/);
    assert.ok(!JSON.stringify(await after.json()).includes(token), 'the answer does not echo the token');
    await assert.rejects(client.callTool({ name: 'get_current_user', arguments: {} }));
    await client.close().catch(() => {});
    await context.close();
  });

  it('a Read only token lists only read-only tools and cannot call a writing one', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(demo, page, 'roomadmin@example.com');
    const token = await createToken(page, 'Nightly report script', 'Read only');
    const client = await staticClient(demo, token);
    const names = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes('get_current_user'));
    for (const writer of ['delete_file', 'create_folder', 'create_room'])
      assert.ok(!names.includes(writer), `${writer} is not listed`);
    const refused = await client
      .callTool({ name: 'delete_file', arguments: { fileId: 1 } })
      .then((r) => r as ToolResult)
      .catch((e: Error) => ({ isError: true, content: [{ type: 'text', text: e.message }] }));
    assert.equal(refused.isError, true, 'the call is refused');
    const me = (await client.callTool({ name: 'get_current_user', arguments: {} })) as ToolResult;
    assert.match(text(me), /roomadmin@example\.com/);
    await client.close();
    await context.close();
  });

  it('another person’s token ids answer 404 and stay untouched; a forged cross-site post fails', async () => {
    const admin = await browser.newContext();
    const adminPage = await admin.newPage();
    await signIn(demo, adminPage, 'admin@example.com');
    const adminToken = await createToken(adminPage, 'Admin CI job', 'Read only');
    const adminId =
      (await adminPage
        .locator('form[action="/connections/tokens/revoke"] input[name="token"]')
        .getAttribute('value')) ?? '';
    assert.ok(adminId);

    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(demo, page, 'guest@example.com');
    const csrf = (await page.locator('input[name="csrf"]').first().getAttribute('value')) ?? '';
    const foreign = await page.request.post(`${base}/connections/tokens/revoke`, {
      form: { csrf, token: adminId },
      headers: { origin: base },
      maxRedirects: 0,
    });
    assert.equal(foreign.status(), 404);
    assert.match(await foreign.text(), /There is no such personal token on your account/);
    const adminClient = await staticClient(demo, adminToken);
    const me = (await adminClient.callTool({ name: 'get_current_user', arguments: {} })) as ToolResult;
    assert.match(text(me), /admin@example\.com/, 'the other person’s token still works');
    await adminClient.close();

    // Cross-site: the session cookie is SameSite=Lax, so the forged post arrives without it.
    const [response] = await Promise.all([
      page.waitForResponse(`${base}/connections/tokens/create`),
      page.goto(attacker.url.replace('127.0.0.1', 'localhost')),
    ]);
    assert.equal(response.status(), 303);
    // Same site with the cookie but without the page's CSRF token: refused.
    for (const [path, form] of [
      ['/connections/tokens/create', { csrf: 'guess', label: 'stolen', access: 'write', days: '90' }],
      ['/connections/tokens/revoke', { csrf: 'guess', token: adminId }],
    ] as const) {
      const forged = await page.request.post(`${base}${path}`, {
        form,
        headers: { origin: base },
        maxRedirects: 0,
      });
      assert.equal(forged.status(), 403, path);
    }
    await page.goto(`${base}/connections`);
    assert.ok(await page.getByTestId('tokens-empty').isVisible(), 'no token was made for the guest');

    // A name of spaces passes the browser's `required`: the server says what to fix, and leads back.
    await page.getByLabel('Name').fill('   ');
    await page.getByRole('button', { name: 'Create token' }).click();
    assert.match((await page.getByTestId('message').textContent()) ?? '', /Give the token a name/);
    await screenshot(page, 'personal-token-form-error');
    await Promise.all([
      page.waitForURL(`${base}/connections#tokens`),
      page.getByRole('link', { name: 'Back to your connections' }).click(),
    ]);
    await Promise.all([admin.close(), context.close()]);
  });
});

describe('personal access tokens turned off by the operator', chromiumSkip('personal tokens off'), () => {
  let browser: Browser;
  let demo: Demo;

  before(async () => {
    demo = await startDemoServer({ argv: ['--no-oauth-personal-tokens'] });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it('the section says so and the routes refuse', async () => {
    const base = demo.server.publicBaseUrl.replace(/\/$/, '');
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(demo, page, 'user@example.com');
    assert.match(
      (await page.getByTestId('tokens-off').textContent()) ?? '',
      /turned personal access tokens off/,
    );
    assert.equal(await page.getByRole('button', { name: 'Create token' }).count(), 0);
    await screenshot(page, 'personal-tokens-off');
    const csrf = (await page.locator('input[name="csrf"]').first().getAttribute('value')) ?? '';
    const create = await page.request.post(`${base}/connections/tokens/create`, {
      form: { csrf, label: 'x', access: 'read', days: '30' },
      headers: { origin: base },
      maxRedirects: 0,
    });
    assert.equal(create.status(), 403);
    assert.match(await create.text(), /turned off/);
    await context.close();
  });
});
