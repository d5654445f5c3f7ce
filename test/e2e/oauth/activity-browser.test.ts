// A person's activity log in a real Chromium, against the demo as the CLI starts it: an SDK client
// the person connected runs a scripted session (reads, an upload, a document read as text, a
// refused delete, a failed lookup); the activity page lists every call, newest first, with what
// each touched by id and title, and nothing of the document's content.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Browser, Page } from 'playwright-core';
import type { Demo } from '../../../src/demo.js';
import { startDemoServer } from '../../helpers/assembled.js';
import { chromiumSkip, launchChromium, screenshot, signInToConnections } from '../../helpers/browser.js';
import { register } from '../../helpers/oauth-flow.js';
import { type RedisServer, redisInstalled, startRedis } from '../../helpers/redis.js';
import { emulatorPerson } from '../../integration/oauth/helpers/emulator-leg.js';
import { tokensFor } from '../../integration/oauth/helpers/flow.js';

const CLIENT_CALLBACK = 'http://127.0.0.1:7000/client-callback';
const CONTENT = 'Merger with Initech closes on 3 March; price 41 million';

describe('the activity log', chromiumSkip('activity'), () => {
  let browser: Browser;
  let demo: Demo;
  let base: string;

  before(async () => {
    demo = await startDemoServer();
    base = demo.server.publicBaseUrl.replace(/\/$/, '');
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await demo?.stop();
  });

  const user = (email: string) => {
    const u = demo.emulator.info.users.find((x) => x.email === email);
    assert.ok(u);
    return u;
  };

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
    const client = new Client({ name: 'activity-e2e', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(demo.mcpUrl), {
        requestInit: { headers: { authorization: `Bearer ${String(issued.body.access_token)}` } },
      }),
    );
    return { clientId, client };
  }

  const signIn = (page: Page, email: string) => signInToConnections(page, base, user(email));

  it('shows every call of a scripted session, and nothing of the document content', async () => {
    const { clientId, client } = await connectClient('user@example.com', 'Research Assistant');
    const other = await connectClient('admin@example.com', 'Admin Bot');
    await other.client.callTool({ name: 'get_current_user', arguments: {} });

    // The scripted session: every call below must show up, in this order reversed.
    const calls: { tool: string; outcome: RegExp }[] = [];
    const run = async (tool: string, args: Record<string, unknown>, outcome: RegExp) => {
      const res = await client.callTool({ name: tool, arguments: args });
      calls.push({ tool, outcome });
      return res as { isError?: boolean; structuredContent?: Record<string, unknown> };
    };
    const me = await run('get_current_user', {}, /^ok$/);
    assert.ok(!me.isError);
    const mine = await run('get_my_folder', { count: 5 }, /^ok$/);
    const folder = mine.structuredContent?.folder as { id: number; title: string };
    const up = await run(
      'upload_file',
      { parentId: folder.id, filename: 'Board memo.txt', content: CONTENT },
      /^ok$/,
    );
    assert.ok(!up.isError, JSON.stringify(up));
    const fileId = up.structuredContent?.id as number;
    const read = await run('download_file_as_text', { fileId }, /^ok$/);
    assert.match(JSON.stringify(read), /Initech/, 'the model did get the text');
    const refused = await run('delete_file', { fileId }, /^refused/);
    assert.ok(refused.isError, 'a client that cannot be asked gets the two-step confirmation');
    await run('get_file_info', { fileId: 999_999_999 }, /^failed/);
    await client.close();
    await other.client.close();

    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, 'user@example.com');
    await page.getByRole('link', { name: /Activity/ }).click();
    await page.waitForURL(`${base}/connections/activity`);
    const html = await page.content();
    assert.ok(!html.includes('Initech') && !html.includes('41 million'), 'no document content on the page');

    const rows = page.getByTestId('activity-entry');
    const texts = await rows.allInnerTexts();
    const toolRows = texts.filter((t) => /Called/.test(t));
    assert.deepEqual(
      toolRows.map((t) => /Called\s+(\w+)/.exec(t)?.[1]),
      calls.map((c) => c.tool).reverse(),
      'every call, newest first',
    );
    for (const [i, c] of [...calls].reverse().entries()) {
      const cell = (
        await rows
          .nth(texts.indexOf(toolRows[i] ?? ''))
          .locator('td[data-label="Outcome"]')
          .innerText()
      ).trim();
      assert.match(cell, c.outcome, `${c.tool}: ${cell}`);
      assert.match(toolRows[i] ?? '', /Research Assistant/);
    }
    // What the calls touched, by title and id.
    assert.match(toolRows[2] ?? '', new RegExp(`Board memo\\.txt\\s+id\\s${fileId}`), toolRows[2]);
    assert.match(toolRows[4] ?? '', new RegExp(`${folder.title}\\s+id\\s${folder.id}`));
    assert.ok(
      texts.some((t) => /Connected: you signed in with DocSpace/.test(t)),
      'the connection itself',
    );
    assert.ok(texts.some((t) => /You signed in to your connections page/.test(t)));
    assert.ok(!texts.some((t) => /Admin Bot/.test(t)), 'nothing of another person');
    await screenshot(page, 'activity-log');

    // The filter, by keyboard, without script: the select and the Show button.
    await page.getByLabel('App').focus();
    await page.getByLabel('App').selectOption({ label: 'Research Assistant' });
    await page.keyboard.press('Tab');
    await Promise.all([page.waitForURL(/client=/), page.keyboard.press('Enter')]);
    assert.equal(new URL(page.url()).searchParams.get('client'), clientId);
    assert.equal(await rows.count(), calls.length + 1, 'the session and its connection');

    // Another person's client id: as unknown as any.
    const foreign = await page.goto(
      `${base}/connections/activity?client=${encodeURIComponent(other.clientId)}`,
    );
    assert.equal(foreign?.status(), 404);
    assert.ok(!(await page.content()).includes('get_current_user'));

    // 200 % zoom: a 1280-pixel window at device scale 2 is a 640-CSS-pixel page.
    const zoomed = await browser.newContext({ viewport: { width: 640, height: 900 }, deviceScaleFactor: 2 });
    await zoomed.addCookies(await context.cookies());
    const small = await zoomed.newPage();
    await small.goto(`${base}/connections/activity`);
    const width = await small.evaluate<number>('document.documentElement.scrollWidth');
    assert.ok(width <= 640, `no sideways scrolling at 200 % (page is ${width} px wide)`);
    await screenshot(small, 'activity-log-200-percent');
    await zoomed.close();
    await context.close();
  });
});

describe('the activity log on Redis', chromiumSkip('activity on redis'), () => {
  let browser: Browser;
  let demo: Demo;
  let redis: RedisServer;
  let base: string;

  before(async () => {
    if (!redisInstalled()) return;
    redis = await startRedis();
    demo = await startDemoServer({
      argv: ['--store', 'redis', '--redis-url', redis.url, '--secret', randomBytes(32).toString('base64')],
    });
    base = demo.server.publicBaseUrl.replace(/\/$/, '');
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await demo?.stop();
    await redis?.stop();
  });

  it('lists the calls from Redis; with Redis gone the page says so with a 503, never a wrong list', async (t) => {
    if (!redisInstalled()) return t.skip('redis-server is not installed');
    const person = demo.emulator.info.users.find((x) => x.email === 'user@example.com');
    assert.ok(person);
    const clientId = (
      await register(base, {
        client_name: 'Redis Client',
        redirect_uris: [CLIENT_CALLBACK],
        token_endpoint_auth_method: 'none',
      })
    ).client_id;
    const issued = await tokensFor(base, {
      clientId,
      redirectUri: CLIENT_CALLBACK,
      upstream: emulatorPerson(person),
    });
    const client = new Client({ name: 'activity-redis', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(demo.mcpUrl), {
        requestInit: { headers: { authorization: `Bearer ${String(issued.body.access_token)}` } },
      }),
    );
    await client.callTool({ name: 'get_current_user', arguments: {} });
    await client.callTool({ name: 'get_rooms_folder', arguments: { count: 3 } });
    await client.close();

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/connections`);
    await page.getByRole('button', { name: 'Sign in with DocSpace' }).click();
    await page.locator('#email').fill(person.email);
    await page.locator('#password').fill(person.password);
    await page.locator('#signin-submit').click();
    await page.waitForURL((u) => u.pathname === '/connections' || u.pathname === '/oauth2/authorize');
    if (new URL(page.url()).pathname !== '/connections')
      await Promise.all([page.waitForURL(`${base}/connections`), page.locator('#allow').click()]);
    await page.goto(`${base}/connections/activity`);
    const tools = (await page.getByTestId('activity-entry').allInnerTexts()).flatMap(
      (row) => /Called\s+(\w+)/.exec(row)?.[1] ?? [],
    );
    assert.deepEqual(tools, ['get_rooms_folder', 'get_current_user']);

    await redis.stop();
    const down = await page.goto(`${base}/connections/activity`);
    assert.equal(down?.status(), 503);
    assert.match(await page.getByTestId('message').innerText(), /cannot reach its store/);
    assert.equal(await page.getByTestId('activity-entry').count(), 0);
    await screenshot(page, 'activity-store-unavailable');
    await context.close();
  });
});
