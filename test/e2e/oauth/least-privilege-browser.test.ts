// Least-privilege consent in a real Chromium, against the demo as the CLI starts it: a person
// picks Read only on our consent page, and the SDK client neither sees nor can call delete_file
// (the refusal says why and where to change it); on /connections they raise it (a confirmation
// page first) and the client can; they lower it and the client's very next call is refused, with
// the same access token. Forged posts fail, another person's ids answer 404, the portal owner
// sees everyone's connections and revokes one, and an app off the operator's list gets a page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Browser, Page } from 'playwright-core';
import type { Demo } from '../../../src/demo.js';
import { startDemoServer } from '../../helpers/assembled.js';
import { chromiumSkip, launchChromium, screenshot } from '../../helpers/browser.js';
import { register, postMcp } from '../../helpers/oauth-flow.js';
import { pkcePair } from '../../helpers/pkce.js';
import { emulatorPerson } from '../../integration/oauth/helpers/emulator-leg.js';
import { tokensFor } from '../../integration/oauth/helpers/flow.js';
import { type Listening, listen } from '../../helpers/listen.js';

type ToolResult = { isError?: boolean; content: { type: string; text?: string }[] };
const textOf = (r: ToolResult) => r.content.map((c) => c.text ?? '').join(' ');
const MODERN = '2026-07-28';

/** One stateless 2026-07-28 request (no session: a fresh server per request), as a client sends it. */
async function modern(
  mcpUrl: string,
  accessToken: string,
  method: string,
  params: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const res = await fetch(mcpUrl, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${accessToken}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': MODERN,
      'mcp-method': method,
      ...(typeof params.name === 'string' ? { 'mcp-name': params.name } : {}),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method,
      params: {
        ...params,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': MODERN,
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    }),
  });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return JSON.parse(text.startsWith('{') ? text : (/^data: (.*)$/m.exec(text)?.[1] ?? '{}')) as Record<
    string,
    unknown
  >;
}

describe('least-privilege consent and changing access', chromiumSkip('least-privilege'), () => {
  let browser: Browser;
  let demo: Demo;
  let base: string;
  let clientSite: Listening;
  let attacker: Listening;
  let redirectUri: string;

  before(async () => {
    demo = await startDemoServer();
    base = demo.server.publicBaseUrl.replace(/\/$/, '');
    clientSite = await listen(
      () =>
        new Response('<!doctype html><p>back at the client</p>', {
          headers: { 'content-type': 'text/html' },
        }),
    );
    redirectUri = `${clientSite.url}/client-callback`;
    attacker = await listen(
      () =>
        new Response(
          `<!doctype html><form id="f" method="post" action="${base}/connections/access"><input name="csrf" value="guess"><input name="connection" value="x"><input name="access" value="write"><input name="confirm" value="guess"></form><script>document.getElementById('f').submit()</script>`,
          { headers: { 'content-type': 'text/html' } },
        ),
    );
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await Promise.all([demo?.stop(), clientSite?.close(), attacker?.close()]);
  });

  const user = (email: string) => {
    const u = demo.emulator.info.users.find((x) => x.email === email);
    assert.ok(u);
    return u;
  };

  /** DocSpace's own sign-in and consent screens (the emulator's), until `done` is reached. */
  async function docspace(page: Page, email: string, done: (u: URL) => boolean): Promise<void> {
    await page.locator('#email').fill(user(email).email);
    await page.locator('#password').fill(user(email).password);
    await page.locator('#signin-submit').click();
    await page.waitForURL((u) => done(u) || u.pathname === '/oauth2/authorize');
    if (!done(new URL(page.url())))
      await Promise.all([page.waitForURL(done), page.locator('#allow').click()]);
  }

  async function signInToConnections(page: Page, email: string): Promise<void> {
    await page.goto(`${base}/connections`);
    await page.getByRole('button', { name: 'Sign in with DocSpace' }).click();
    await docspace(page, email, (u) => u.href.startsWith(`${base}/connections`));
  }

  async function sdkClient(accessToken: string): Promise<Client> {
    const client = new Client({ name: 'least-privilege-e2e', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(demo.mcpUrl), {
        requestInit: { headers: { authorization: `Bearer ${accessToken}` } },
      }),
    );
    return client;
  }

  const toolNames = async (client: Client) => (await client.listTools()).tools.map((t) => t.name);
  const deleteFile = (client: Client) =>
    client.callTool({ name: 'delete_file', arguments: { fileId: 987654321 } }) as Promise<ToolResult>;

  it('Read only at consent; raise on /connections after confirming; lower, and the next call is refused', async () => {
    // --- consent: the person picks Read only ---
    const clientId = (
      await register(base, {
        client_name: 'Careful Assistant',
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: 'none',
      })
    ).client_id;
    const consent = await browser.newContext();
    const page = await consent.newPage();
    const { verifier, challenge } = pkcePair();
    await page.goto(
      `${base}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: redirectUri, code_challenge: challenge, code_challenge_method: 'S256', state: 's' })}`,
    );
    const readOnly = page.getByLabel('Read only');
    const readWrite = page.getByLabel('Read and write');
    assert.equal(await readWrite.isChecked(), true, 'the operator default (write) is selected first');
    await readOnly.check();
    await screenshot(page, 'consent-access-read-only');
    await page.getByRole('button', { name: 'Allow' }).click();
    await docspace(page, 'user@example.com', (u) => u.href.startsWith(redirectUri));
    const code = new URL(page.url()).searchParams.get('code') ?? '';
    await consent.close();
    const tokenRes = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
        client_id: clientId,
      }),
    });
    assert.equal(tokenRes.status, 200);
    const { access_token: accessToken } = (await tokenRes.json()) as { access_token: string };

    // --- the SDK client sees and does only what Read only allows ---
    const client = await sdkClient(accessToken);
    const readTools = await toolNames(client);
    assert.ok(readTools.includes('get_current_user'));
    assert.ok(!readTools.includes('delete_file'), 'delete_file is not listed');
    const refused = await deleteFile(client);
    assert.equal(refused.isError, true);
    assert.match(textOf(refused), /^delete_file .*Read only.*Read and write/);
    assert.ok(textOf(refused).includes(`${base}/connections`), 'the refusal says where to change it');
    const me = (await client.callTool({ name: 'get_current_user', arguments: {} })) as ToolResult;
    assert.ok(!me.isError, textOf(me));
    // The same on the stateless 2026-07-28 leg (a fresh server per request).
    const listed = (await modern(demo.mcpUrl, accessToken, 'tools/list')).result as {
      tools: { name: string }[];
    };
    assert.ok(!listed.tools.some((t) => t.name === 'delete_file'));
    const modernRefusal = (
      await modern(demo.mcpUrl, accessToken, 'tools/call', {
        name: 'delete_file',
        arguments: { fileId: 987654321 },
      })
    ).result as ToolResult;
    assert.equal(modernRefusal.isError, true);
    assert.match(textOf(modernRefusal), /^delete_file .*Read only/);

    // --- /connections: the person raises it, confirming on a page of its own ---
    const mine = await browser.newContext();
    const connections = await mine.newPage();
    await signInToConnections(connections, 'user@example.com');
    const row = connections.getByTestId('connection').filter({ hasText: 'Careful Assistant' });
    assert.equal(await row.getByTestId('connection-access').textContent(), 'Read only');
    await screenshot(connections, 'connections-access-read-only');
    await connections.getByRole('button', { name: 'Allow writing… Careful Assistant' }).click();
    assert.match((await connections.getByRole('heading').textContent()) ?? '', /Careful Assistant/);
    await screenshot(connections, 'connections-confirm-raise');
    assert.match(textOf(await deleteFile(client)), /Read only/, 'nothing changes before confirming');
    await connections.getByRole('button', { name: 'Allow reading and writing' }).click();
    await connections.waitForURL(`${base}/connections?done=write`);
    assert.equal(await row.getByTestId('connection-access').textContent(), 'Read and write');
    await screenshot(connections, 'connections-access-raised');

    assert.ok((await toolNames(client)).includes('delete_file'), 'listed once raised');
    const allowed = await deleteFile(client);
    assert.doesNotMatch(textOf(allowed), /Read only/, 'the call reaches the tool');

    // --- lowering takes effect at the client's next request, same access token ---
    await connections.getByRole('button', { name: 'Make read only Careful Assistant' }).click();
    await connections.waitForURL(`${base}/connections?done=read`);
    assert.match((await connections.getByRole('status').textContent()) ?? '', /next request/);
    const again = await deleteFile(client);
    assert.equal(again.isError, true);
    assert.match(textOf(again), /^delete_file .*Read only/);
    assert.ok(!(await toolNames(client)).includes('delete_file'));
    const modernAgain = (
      await modern(demo.mcpUrl, accessToken, 'tools/call', {
        name: 'delete_file',
        arguments: { fileId: 987654321 },
      })
    ).result as ToolResult;
    assert.match(textOf(modernAgain), /^delete_file .*Read only/);
    await client.close();

    // --- forged posts ---
    const gid = (await connections.locator('input[name="connection"]').first().getAttribute('value')) ?? '';
    const csrf = (await connections.locator('input[name="csrf"]').first().getAttribute('value')) ?? '';
    const [crossSite] = await Promise.all([
      connections.waitForResponse(`${base}/connections/access`),
      connections.goto(attacker.url.replace('127.0.0.1', 'localhost')),
    ]);
    assert.equal(crossSite.status(), 303, 'a cross-site post arrives without the session (SameSite=Lax)');
    const noCsrf = await connections.request.post(`${base}/connections/access`, {
      form: { csrf: 'guess', connection: gid, access: 'write', confirm: 'guess' },
      headers: { origin: base },
      maxRedirects: 0,
    });
    assert.equal(noCsrf.status(), 403);
    const skipConfirm = await connections.request.post(`${base}/connections/access`, {
      form: { csrf, connection: gid, access: 'write', confirm: 'guess' },
      headers: { origin: base },
      maxRedirects: 0,
    });
    assert.equal(skipConfirm.status(), 200, 'a wrong confirmation token shows the confirmation page again');
    await connections.goto(`${base}/connections`);
    assert.equal(await row.getByTestId('connection-access').textContent(), 'Read only', 'still Read only');

    // --- another person's connection id: 404, and no admin view for a plain user ---
    const theirs = await tokensFor(base, {
      clientId: (
        await register(base, {
          client_name: 'Admin Bot',
          redirect_uris: ['http://127.0.0.1:7000/client-callback'],
          token_endpoint_auth_method: 'none',
        })
      ).client_id,
      redirectUri: 'http://127.0.0.1:7000/client-callback',
      upstream: emulatorPerson(user('admin@example.com')),
    });
    const theirGid = String(theirs.body.refresh_token).split('.')[0];
    for (const level of ['read', 'write']) {
      const foreign = await connections.request.post(`${base}/connections/access`, {
        form: { csrf, connection: theirGid, access: level },
        headers: { origin: base },
        maxRedirects: 0,
      });
      assert.equal(foreign.status(), 404, `another person's connection (${level})`);
    }
    const notAdmin = await connections.request.get(`${base}/connections/all`, { maxRedirects: 0 });
    assert.equal(notAdmin.status(), 404);
    const notAdminRevoke = await connections.request.post(`${base}/connections/all/revoke`, {
      form: { csrf, connection: theirGid },
      headers: { origin: base },
      maxRedirects: 0,
    });
    assert.equal(notAdminRevoke.status(), 404);
    await mine.close();
  });

  it('the portal owner sees everyone’s connections and revokes one; the client is then refused', async () => {
    const victim = await tokensFor(base, {
      clientId: (
        await register(base, {
          client_name: 'Guest Helper',
          redirect_uris: ['http://127.0.0.1:7000/client-callback'],
          token_endpoint_auth_method: 'none',
        })
      ).client_id,
      redirectUri: 'http://127.0.0.1:7000/client-callback',
      upstream: emulatorPerson(user('guest@example.com')),
    });
    assert.equal(victim.status, 200);
    const ownerContext = await browser.newContext();
    const page = await ownerContext.newPage();
    await signInToConnections(page, 'owner@example.com');
    await page.getByRole('link', { name: 'All connections on this portal' }).click();
    await page.waitForURL(`${base}/connections/all`);
    const row = page.getByTestId('connection').filter({ hasText: 'Guest Helper' });
    assert.equal(await row.getByTestId('connection-person').textContent(), user('guest@example.com').id);
    assert.match(
      (await row.getByTestId('connection-person-name').textContent()) ?? '',
      /<guest@example\.com>/,
    );
    await screenshot(page, 'connections-all-admin');
    await row.getByRole('button', { name: /^Revoke Guest Helper/ }).click();
    await page.waitForURL(`${base}/connections/all?done=revoked`);
    assert.equal(await page.getByTestId('connection').filter({ hasText: 'Guest Helper' }).count(), 0);
    const res = await postMcp(demo.mcpUrl, String(victim.body.access_token), { method: 'tools/list' });
    await res.body?.cancel();
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer /);
    await ownerContext.close();
  });
});

describe('the operator’s list of allowed apps', chromiumSkip('allowed-clients'), () => {
  let browser: Browser;
  let demo: Demo;
  let base: string;

  before(async () => {
    demo = await startDemoServer({ argv: ['--oauth-allowed-clients', 'localhost'] });
    base = demo.server.publicBaseUrl.replace(/\/$/, '');
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it('refuses to register an app off the list, and shows a page naming the policy at authorize', async () => {
    const refused = await fetch(`${base}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'Stranger', redirect_uris: ['https://stranger.example/cb'] }),
    });
    assert.equal(refused.status, 400);
    const body = (await refused.json()) as { error: string; error_description: string };
    assert.equal(body.error, 'invalid_redirect_uri');
    assert.match(body.error_description, /allows only approved AI apps to connect \(localhost\)/);

    // An approved app (its redirect host is on the list) still gets the consent page.
    const approved = await register(base, {
      client_name: 'Local App',
      redirect_uris: ['http://localhost:7000/client-callback', 'http://127.0.0.1:7000/client-callback'],
      token_endpoint_auth_method: 'none',
    });
    const { challenge } = pkcePair();
    const authorize = (redirect: string) =>
      `${base}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: approved.client_id, redirect_uri: redirect, code_challenge: challenge, code_challenge_method: 'S256' })}`;
    const context = await browser.newContext();
    const page = await context.newPage();
    const ok = await page.goto(authorize('http://localhost:7000/client-callback'));
    assert.equal(ok?.status(), 200);
    assert.equal(await page.getByTestId('client-name').textContent(), 'Local App');
    // The same app sending the person to a host off the list: the policy page, nothing shared.
    const off = await page.goto(authorize('http://127.0.0.1:7000/client-callback'));
    assert.equal(off?.status(), 403);
    assert.equal(await page.getByRole('heading').textContent(), 'This app is not approved here');
    assert.match((await page.getByTestId('policy').textContent()) ?? '', /approved AI apps.*localhost/);
    await screenshot(page, 'allowed-clients-refused');
    await context.close();
  });
});
