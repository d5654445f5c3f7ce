// The MCP SDK clients people build on, against the server as the CLI starts it: SDK v1
// (@modelcontextprotocol/sdk) and v2 (@modelcontextprotocol/client) over Streamable HTTP, legacy
// SSE and stdio with an API key; and the v2 client's own OAuth provider against the demo, with a
// refresh once the access token expired and revocation ending access on the next call.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client, SSEClientTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport as V1SSE } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport as V1Stdio } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as V1Http } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type Emulator, startEmulator } from '../../../emulator/index.js';
import type { Demo } from '../../../src/demo.js';
import type { HttpServerHandle } from '../../../src/http/start.js';
import { startDemoServer, startServe } from '../../helpers/assembled.js';
import { MemoryProvider } from '../../helpers/oauth-provider.js';
import { chromiumSkip } from '../../helpers/browser.js';
import { type Listening, listen } from '../../helpers/listen.js';

const CLI = fileURLToPath(new URL('../../../src/cli.js', import.meta.url));
const DRIVER = fileURLToPath(new URL('../../helpers/drive-sign-in.js', import.meta.url));
const pkgVersion = (name: string) =>
  (
    JSON.parse(
      readFileSync(new URL(`../../../../node_modules/${name}/package.json`, import.meta.url), 'utf8'),
    ) as { version: string }
  ).version;

/** What every client does here, whatever it is built on. */
interface AnyClient {
  listTools(): Promise<{ tools: { name: string }[] }>;
  callTool(req: { name: string; arguments: Record<string, unknown> }): Promise<unknown>;
  listResources(): Promise<{ resources: unknown[] }>;
  close(): Promise<void>;
}

type TextResult = { content: { text?: string }[]; isError?: boolean };
const text = (r: unknown) => (r as TextResult).content.map((c) => c.text ?? '').join('\n');

async function exercise(client: AnyClient, email: RegExp): Promise<void> {
  const { tools } = await client.listTools();
  assert.ok(tools.length >= 30, `tools listed: ${tools.length}`);
  const me = await client.callTool({ name: 'get_current_user', arguments: {} });
  assert.notEqual((me as TextResult).isError, true, text(me));
  assert.match(text(me), email);
  const { resources } = await client.listResources();
  assert.ok(Array.isArray(resources));
}

describe(`SDK v1 ${pkgVersion('@modelcontextprotocol/sdk')} and v2 ${pkgVersion('@modelcontextprotocol/client')} clients with an API key`, () => {
  let emulator: Emulator;
  let server: HttpServerHandle;
  let key: string;
  before(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    key = emulator.info.users.find((u) => u.role === 'user')?.apiKey ?? '';
    // One person's setup: no OAuth, each request carries that person's API key.
    server = await startServe({ DOCSPACE_BASE_URL: emulator.url });
  });
  after(async () => {
    await server?.close();
    await emulator?.close();
  });

  const headers = () => ({ authorization: `Bearer ${key}` });
  const stdioParams = () => ({
    command: process.execPath,
    args: [CLI],
    env: {
      PATH: process.env.PATH ?? '',
      DOCSPACE_BASE_URL: emulator.url,
      DOCSPACE_API_KEY: key,
      DOCSPACE_LOG_LEVEL: 'warn',
    },
    stderr: 'ignore' as const,
  });
  const cases: [string, () => Promise<AnyClient>][] = [
    [
      'v1 over Streamable HTTP',
      async () => {
        const c = new V1Client({ name: 'v1-http', version: '1' });
        await c.connect(new V1Http(new URL(`${server.url}/mcp`), { requestInit: { headers: headers() } }));
        return c;
      },
    ],
    [
      'v1 over legacy SSE',
      async () => {
        const c = new V1Client({ name: 'v1-sse', version: '1' });
        await c.connect(
          new V1SSE(new URL(`${server.url}/sse`), {
            requestInit: { headers: headers() },
            eventSourceInit: {
              fetch: (url, init) => fetch(url, { ...init, headers: { ...init?.headers, ...headers() } }),
            },
          }),
        );
        return c;
      },
    ],
    [
      'v1 over stdio',
      async () => {
        const c = new V1Client({ name: 'v1-stdio', version: '1' });
        await c.connect(new V1Stdio(stdioParams()));
        return c;
      },
    ],
    [
      'v2 over Streamable HTTP',
      async () => {
        const c = new Client({ name: 'v2-http', version: '1' });
        await c.connect(
          new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
            requestInit: { headers: headers() },
          }),
        );
        return c;
      },
    ],
    [
      'v2 over legacy SSE',
      async () => {
        const c = new Client({ name: 'v2-sse', version: '1' });
        await c.connect(
          new SSEClientTransport(new URL(`${server.url}/sse`), {
            requestInit: { headers: headers() },
            eventSourceInit: {
              fetch: (url, init) => fetch(url, { ...init, headers: { ...init?.headers, ...headers() } }),
            },
          }),
        );
        return c;
      },
    ],
    [
      'v2 over stdio',
      async () => {
        const c = new Client({ name: 'v2-stdio', version: '1' });
        await c.connect(new StdioClientTransport(stdioParams()));
        return c;
      },
    ],
  ];
  for (const [name, open] of cases) {
    it(`${name}: initialize, tools/list, a tool call, resources/list`, async () => {
      const client = await open();
      try {
        await exercise(client, /user@example\.com/);
      } finally {
        await client.close();
      }
    });
  }
});

describe('the SDK v2 client’s OAuth provider against the demo', chromiumSkip('sdk-oauth'), () => {
  let demo: Demo;
  let callback: Listening;
  let codes: { code: string; iss?: string }[];
  before(async () => {
    // Access tokens live 2 s here, so the client must refresh within the test.
    demo = await startDemoServer({ argv: ['--oauth-auth-token-ttl', '2000'] });
    codes = [];
    callback = await listen((req) => {
      const q = new URL(req.url).searchParams;
      const code = q.get('code');
      if (code) codes.push({ code, iss: q.get('iss') ?? undefined });
      return new Response('<!doctype html><p>signed in</p>', { headers: { 'content-type': 'text/html' } });
    });
  });
  after(async () => {
    await callback?.close();
    await demo?.stop();
  });

  /** A person in Chromium through our consent page and DocSpace's sign-in and consent. */
  async function personSignsIn(url: URL): Promise<void> {
    const person = demo.emulator.info.users.find((u) => u.email === 'user@example.com');
    assert.ok(person);
    const child = spawn(process.execPath, [DRIVER, url.href], {
      env: {
        ...process.env,
        DRIVE_RESULT: join(tmpdir(), `sdk-oauth-${process.pid}.jsonl`),
        DRIVE_EMAIL: person.email,
        DRIVE_PASSWORD: person.password,
        DRIVE_SERVER: demo.server.publicBaseUrl,
        DRIVE_PORTAL: demo.emulator.url,
        DRIVE_NAME: 'sdk-v2-oauth',
      },
      stdio: 'ignore',
    });
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 0, 'the person got through the sign-in');
  }

  it('signs in, calls tools, refreshes after the access token expired, and stops working once revoked', async () => {
    // The person is there to sign in the first time only; afterwards the client must manage alone.
    let personPresent = true;
    const provider = new MemoryProvider(`${callback.url}/callback`, (url) =>
      personPresent ? personSignsIn(url) : undefined,
    );
    const mcpUrl = new URL(demo.mcpUrl);
    const connect = async () => {
      const client = new Client({ name: 'v2-oauth', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider }));
      return client;
    };
    // First connection: 401, the provider sends the person to sign in, then the client finishes.
    const first = new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider });
    await assert.rejects(new Client({ name: 'v2-oauth', version: '1' }).connect(first), /Unauthorized/i);
    assert.equal(provider.redirects, 1);
    assert.equal(codes.length, 1, 'the client received a code at its callback');
    await first.finishAuth(codes[0].code, codes[0].iss);
    const issued = provider.saved;
    assert.ok(issued?.access_token && issued.refresh_token);

    let client = await connect();
    await exercise(client, /user@example\.com/);

    // Past the access token's 2 s: the next call is refused with 401 and the client refreshes.
    await new Promise((r) => setTimeout(r, 2500));
    const me = await client.callTool({ name: 'get_current_user', arguments: {} });
    assert.match(text(me), /user@example\.com/);
    assert.notEqual(provider.saved?.access_token, issued.access_token, 'a new access token');
    assert.notEqual(provider.saved?.refresh_token, issued.refresh_token, 'the refresh token rotated');
    assert.equal(provider.redirects, 1, 'no second sign-in was needed');
    await client.close();

    // Revocation (RFC 7009) of the refresh token ends the grant: the next call is refused, and
    // the client cannot refresh its way back in.
    const revoked = await fetch(`${demo.server.publicBaseUrl}oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: provider.saved?.refresh_token ?? '',
        client_id: String(provider.info?.client_id),
      }),
    });
    assert.equal(revoked.status, 200);
    const stale = await fetch(mcpUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${provider.saved?.access_token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
      }),
    });
    assert.equal(stale.status, 401, 'the access token of a revoked grant is refused at once');
    personPresent = false;
    await assert.rejects(connect(), /Unauthorized|invalid_grant/i);
    assert.equal(provider.redirects, 2, 'the client had to send the person to sign in again');
  });
});
