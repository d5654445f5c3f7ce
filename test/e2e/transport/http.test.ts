import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport as V1SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport as V1StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type Emulator, startEmulator } from '../../../emulator/index.js';
import type { HttpServerHandle } from '../../../src/http/start.js';
import { startServer } from './helpers.js';

type TextResult = { content: { type: string; text?: string }[]; isError?: boolean };

function text(result: unknown): string {
  return (result as TextResult).content.map((c) => c.text ?? '').join('\n');
}

/** The seeded owner's API key, used as the server's shared credential. */
function ownerKey(emulator: Emulator): string {
  const owner = emulator.info.users.find((u) => u.role === 'owner');
  assert.ok(owner, 'the emulator seeds an owner');
  return owner.apiKey;
}

describe('MCP clients over HTTP list and call tools against the emulator', () => {
  let emulator: Emulator;
  let server: HttpServerHandle;
  let url: URL;
  before(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    server = await startServer({ DOCSPACE_API_KEY: ownerKey(emulator), DOCSPACE_BASE_URL: emulator.url });
    url = new URL(`${server.url}/mcp`);
  });
  after(async () => {
    await server.close();
    await emulator.close();
  });

  for (const era of ['2026-07-28', '2025'] as const) {
    it(`SDK v2 client, ${era} era`, async () => {
      const client = new Client(
        { name: 'e2e', version: '1' },
        era === '2026-07-28' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
      );
      await client.connect(new StreamableHTTPClientTransport(url));
      assert.equal(client.getProtocolEra(), era === '2026-07-28' ? 'modern' : 'legacy');
      const { tools } = await client.listTools();
      assert.ok(tools.some((t) => t.name === 'get_current_user'));
      const me = await client.callTool({ name: 'get_current_user', arguments: {} });
      assert.match(text(me), /owner@example\.com/);
      const rooms = await client.callTool({ name: 'get_rooms_folder', arguments: {} });
      assert.equal((rooms as TextResult).isError, undefined);
      assert.match(text(rooms), /\[room\]/);
      await client.close();
    });
  }

  it('SDK v1 client over Streamable HTTP', async () => {
    const client = new V1Client({ name: 'e2e-v1', version: '1' });
    await client.connect(new V1StreamableHTTPClientTransport(url));
    const { tools } = await client.listTools();
    assert.ok(tools.length > 10);
    const result = await client.callTool({ name: 'get_current_user', arguments: {} });
    assert.match(text(result), /owner@example\.com/);
    await client.close();
  });

  it('narrows tools per request with X-Mcp-Toolsets, read on every request', async () => {
    const client = new Client(
      { name: 'e2e', version: '1' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    await client.connect(
      new StreamableHTTPClientTransport(url, {
        requestInit: { headers: { 'X-Mcp-Toolsets': 'people', 'X-Mcp-Read-Only': 'yes' } },
      }),
    );
    const { tools } = await client.listTools();
    assert.ok(tools.length > 0);
    assert.ok(tools.every((t) => t.annotations?.readOnlyHint === true));
    assert.ok(tools.some((t) => t.name === 'get_current_user'));
    assert.ok(!tools.some((t) => t.name === 'create_room'));
    await client.close();

    // The same through the URL query (the reference validated these against an empty list).
    const viaQuery = new Client({ name: 'e2e', version: '1' });
    await viaQuery.connect(
      new StreamableHTTPClientTransport(new URL(`${url.href}?toolsets=rooms&disabled_tools=create_room`)),
    );
    const listed = (await viaQuery.listTools()).tools.map((t) => t.name);
    assert.ok(listed.includes('get_rooms_folder'));
    assert.ok(!listed.includes('create_room') && !listed.includes('get_current_user'));
    await viaQuery.close();
  });
});

describe('legacy HTTP+SSE transport against the emulator', () => {
  let emulator: Emulator;
  let server: HttpServerHandle;
  before(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    server = await startServer({
      DOCSPACE_API_KEY: ownerKey(emulator),
      DOCSPACE_BASE_URL: emulator.url,
      DOCSPACE_TRANSPORT: 'sse',
    });
  });
  after(async () => {
    await server.close();
    await emulator.close();
  });

  it('SDK v1 SSE client lists and calls tools', async () => {
    const client = new V1Client({ name: 'e2e-sse', version: '1' });
    await client.connect(new V1SSEClientTransport(new URL(`${server.url}/sse`)));
    const { tools } = await client.listTools();
    assert.ok(tools.some((t) => t.name === 'get_current_user'));
    const result = await client.callTool({ name: 'get_current_user', arguments: {} });
    assert.match(text(result), /owner@example\.com/);
    await client.close();
  });

  it('serves only the legacy endpoints when DOCSPACE_TRANSPORT=sse', async () => {
    const res = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(res.status, 404);
    const unknown = await fetch(`${server.url}/messages?sessionId=nope`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { jsonrpc: string }).jsonrpc, '2.0');
  });
});
