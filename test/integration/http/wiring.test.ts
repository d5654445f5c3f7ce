// The HTTP server's parts joined up: tool calls reach /metrics and the audit log once each with
// who made them, DOCSPACE_USER_AGENT reaches DocSpace, destructive tools ask a 2026 client first.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { type Emulator, startEmulator } from '../../../emulator/index.js';
import type { HttpServerHandle } from '../../../src/http/start.js';
import { startServer } from '../../e2e/transport/helpers.js';
import { emulatorPerson } from '../oauth/helpers/emulator-leg.js';
import { tokensFor } from '../oauth/helpers/flow.js';

type ToolResult = {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
};

describe('tool calls over HTTP with OAuth: metrics, audit, user agent, confirmation', () => {
  let emulator: Emulator;
  let server: HttpServerHandle;
  let owner: { id: string; email: string; password: string };
  let access: string;
  let clientId: string;
  const logs: string[] = [];
  const userAgents = new Set<string>();

  before(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    const app = emulator.info.oauthApps.find((a) => !a.isPublic);
    assert.ok(app);
    const found = emulator.info.users.find((u) => u.role === 'owner');
    assert.ok(found);
    owner = found;
    // Sees what DocSpace sees: the User-Agent of every API call.
    const recording: typeof fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.includes('/api/2.0/')) {
        const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
        userAgents.add(headers.get('user-agent') ?? '(none)');
      }
      return fetch(input, init);
    };
    server = await startServer(
      {
        DOCSPACE_BASE_URL: emulator.url,
        DOCSPACE_OAUTH_BASE_URL: emulator.url,
        DOCSPACE_OAUTH_CLIENT_ID: app.clientId,
        DOCSPACE_OAUTH_CLIENT_SECRET: app.clientSecret,
        DOCSPACE_SECRET: 'w'.repeat(40),
        DOCSPACE_USER_AGENT: 'wiring-check/7',
      },
      recording,
      logs,
    );
    const issued = await tokensFor(server.url, {
      upstream: emulatorPerson({ email: owner.email, password: owner.password }),
    });
    assert.equal(issued.status, 200, JSON.stringify(issued.body));
    access = String(issued.body.access_token);
    clientId = issued.clientId;
  });
  after(async () => {
    await server.close();
    await emulator.close();
  });

  async function connect(elicit?: 'decline'): Promise<{ client: Client; asked: string[] }> {
    const asked: string[] = [];
    const client = new Client(
      { name: 'wiring', version: '1' },
      {
        capabilities: elicit ? { elicitation: { form: {} } } : {},
        versionNegotiation: { mode: { pin: '2026-07-28' } },
      },
    );
    if (elicit) {
      client.setRequestHandler('elicitation/create', async (req) => {
        asked.push(String((req.params as { message?: string }).message));
        return { action: 'decline' };
      });
    }
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${access}` } },
      }),
    );
    return { client, asked };
  }

  const call = async (client: Client, name: string, args: Record<string, unknown> = {}) =>
    (await client.callTool({ name, arguments: args })) as ToolResult;

  it('counts each tool call once in /metrics by tool and outcome, and audits it with the user', async () => {
    const { client } = await connect();
    const me = await call(client, 'get_current_user');
    assert.ok(!me.isError, me.content[0]?.text);
    const missing = await call(client, 'get_file_info', { fileId: 987654321 });
    assert.equal(missing.isError, true);
    await client.close();

    const text = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(text, /^docspace_mcp_tool_calls_total\{outcome="ok",tool="get_current_user"\} 1$/m);
    assert.match(text, /^docspace_mcp_tool_calls_total\{outcome="not_found",tool="get_file_info"\} 1$/m);
    assert.match(text, /^docspace_mcp_tool_call_duration_seconds_count\{tool="get_current_user"\} 1$/m);
    assert.doesNotMatch(text, /outcome="error"/, 'outcomes are the real codes, not a body scan');
    assert.doesNotMatch(text, /oauth_events_total\{event="tool\.called"/, 'tool calls are not OAuth events');

    const audited = logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.audit === true && l.event === 'tool.called');
    const ok = audited.filter((l) => l.tool === 'get_current_user');
    assert.equal(ok.length, 1, 'one audit line per call');
    assert.equal(ok[0]?.outcome, 'success');
    assert.equal(ok[0]?.userId, owner.id);
    assert.equal(ok[0]?.clientId, clientId);
    assert.equal(typeof ok[0]?.durationMs, 'number');
    assert.equal(typeof ok[0]?.requestId, 'string');
    const failed = audited.filter((l) => l.tool === 'get_file_info');
    assert.equal(failed.length, 1);
    assert.equal(failed[0]?.outcome, 'failure');
    assert.equal(failed[0]?.reason, 'not_found');
    assert.ok(!logs.join('\n').includes(access), 'the access token never reaches a log line');
  });

  it('sends DOCSPACE_USER_AGENT to DocSpace', async () => {
    assert.ok(userAgents.size > 0, 'DocSpace was called');
    assert.deepEqual([...userAgents], ['wiring-check/7']);
  });

  it('asks a 2026 client before delete_file, and declining changes nothing', async () => {
    const { client, asked } = await connect('decline');
    const my = (await call(client, 'get_my_folder')).structuredContent as { folder: { id: number } };
    const created = await call(client, 'create_file', {
      folderId: my.folder.id,
      title: 'keep-me.txt',
      content: 'still here',
    });
    assert.ok(!created.isError, created.content[0]?.text);
    const fileId = (created.structuredContent as { id: number }).id;

    const r = await call(client, 'delete_file', { fileId });
    assert.equal(r.isError, true);
    assert.match(r.content[0]?.text ?? '', /did not confirm/);
    assert.deepEqual(asked, [`Move file ${fileId} to the Trash?`]);
    const info = await call(client, 'get_file_info', { fileId });
    assert.equal((info.structuredContent as { folderId: number }).folderId, my.folder.id);
    await client.close();
  });
});

describe('CORS and rate limits on the OAuth endpoints browser clients call', () => {
  const ORIGIN = 'https://mcp-client.example';
  let emulator: Emulator;
  let server: HttpServerHandle;
  before(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    const app = emulator.info.oauthApps.find((a) => !a.isPublic);
    assert.ok(app);
    server = await startServer({
      DOCSPACE_BASE_URL: emulator.url,
      DOCSPACE_OAUTH_BASE_URL: emulator.url,
      DOCSPACE_OAUTH_CLIENT_ID: app.clientId,
      DOCSPACE_OAUTH_CLIENT_SECRET: app.clientSecret,
      DOCSPACE_SECRET: 'c'.repeat(40),
      DOCSPACE_SERVER_CORS_MCP_ORIGIN: ORIGIN,
      DOCSPACE_SERVER_CORS_OAUTH_ORIGIN: ORIGIN,
      DOCSPACE_SERVER_RATE_LIMITS_OAUTH_REGISTER_CAPACITY: '2',
    });
  });
  after(async () => {
    await server.close();
    await emulator.close();
  });

  for (const path of ['/oauth/token', '/oauth/register', '/oauth/revoke']) {
    it(`answers a preflight and a POST from an allowed origin on ${path}`, async () => {
      const pre = await fetch(`${server.url}${path}`, {
        method: 'OPTIONS',
        headers: {
          origin: ORIGIN,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      assert.ok(pre.status === 204 || pre.status === 200, `preflight status ${pre.status}`);
      assert.equal(pre.headers.get('access-control-allow-origin'), ORIGIN);
      assert.match(pre.headers.get('access-control-allow-methods') ?? '', /POST/);
      await pre.body?.cancel();

      const json = path === '/oauth/register';
      const res = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: {
          origin: ORIGIN,
          'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded',
        },
        body: json ? JSON.stringify({ redirect_uris: ['not a url'] }) : 'token=nothing',
      });
      assert.notEqual(res.status, 403, 'the Origin check lets the allowed origin through');
      assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
      await res.body?.cancel();
    });
  }

  it('refuses a preflight from an origin that is not allowed', async () => {
    const res = await fetch(`${server.url}/oauth/token`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    await res.body?.cancel();
  });

  it('limits client registrations per IP', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${server.url}/oauth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          client_name: `spam ${i}`,
          redirect_uris: ['http://127.0.0.1:7000/cb'],
          token_endpoint_auth_method: 'none',
        }),
      });
      statuses.push(res.status);
      await res.body?.cancel();
    }
    // The budget of 2 is shared with the registration POST of the CORS test above.
    assert.ok(statuses.includes(429), `statuses ${statuses.join(',')}`);
    assert.ok(statuses.filter((s) => s === 201).length <= 2);
  });
});

describe('an origin listed for OAuth CORS only', () => {
  const ORIGIN = 'https://oauth-only.example';
  let emulator: Emulator;
  let server: HttpServerHandle;
  before(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    const app = emulator.info.oauthApps.find((a) => !a.isPublic);
    assert.ok(app);
    server = await startServer({
      DOCSPACE_BASE_URL: emulator.url,
      DOCSPACE_OAUTH_BASE_URL: emulator.url,
      DOCSPACE_OAUTH_CLIENT_ID: app.clientId,
      DOCSPACE_OAUTH_CLIENT_SECRET: app.clientSecret,
      DOCSPACE_SECRET: 'o'.repeat(40),
      DOCSPACE_SERVER_CORS_OAUTH_ORIGIN: ORIGIN,
    });
  });
  after(async () => {
    await server.close();
    await emulator.close();
  });

  it('may call the OAuth endpoints but not /mcp', async () => {
    const token = await fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=refresh_token&refresh_token=nothing',
    });
    assert.notEqual(token.status, 403, 'the Origin check lets it through');
    assert.equal(token.headers.get('access-control-allow-origin'), ORIGIN);
    assert.equal(typeof ((await token.json()) as { error?: unknown }).error, 'string', 'an OAuth answer');
    const mcp = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(mcp.status, 403);
    await mcp.body?.cancel();
  });
});
