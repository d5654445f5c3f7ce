import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { HttpServerHandle } from '../../../src/http/start.js';
import { type FakeDocSpace, startFakeDocSpace } from '../../helpers/fake-docspace.js';
import { API_KEY, startServer } from '../../e2e/transport/helpers.js';

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe('cancelling an MCP request aborts its DocSpace call', () => {
  let docspace: FakeDocSpace;
  let server: HttpServerHandle;
  before(async () => {
    docspace = await startFakeDocSpace({ delayMs: 5000 });
    server = await startServer({ DOCSPACE_API_KEY: API_KEY, DOCSPACE_BASE_URL: docspace.url });
  });
  after(async () => {
    await server.close();
    await docspace.close();
  });

  for (const era of ['2026-07-28', '2025'] as const) {
    it(`${era} client aborting a tool call`, async () => {
      const before = docspace.aborted;
      const started = docspace.started;
      const client = new Client(
        { name: 'cancel', version: '1' },
        era === '2026-07-28' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
      );
      await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`)));
      const controller = new AbortController();
      const call = client.callTool(
        { name: 'get_current_user', arguments: {} },
        { signal: controller.signal },
      );
      assert.ok(await waitFor(() => docspace.started > started, 3000), 'the DocSpace call started');
      controller.abort();
      await assert.rejects(call);
      assert.ok(await waitFor(() => docspace.aborted > before, 3000), 'DocSpace saw the call abandoned');
      await client.close();
    });
  }
});

describe('request timeout', () => {
  let docspace: FakeDocSpace;
  let server: HttpServerHandle;
  before(async () => {
    docspace = await startFakeDocSpace({ delayMs: 5000 });
    server = await startServer({
      DOCSPACE_API_KEY: API_KEY,
      DOCSPACE_BASE_URL: docspace.url,
      DOCSPACE_REQUEST_TIMEOUT: '500',
    });
  });
  after(async () => {
    await server.close();
    await docspace.close();
  });

  it('answers 504 and cancels the DocSpace call when a 2026 request runs too long', async () => {
    const meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientCapabilities': {},
    };
    const aborted = docspace.aborted;
    const res = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': 'get_current_user',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'get_current_user', arguments: {}, _meta: meta },
      }),
    });
    assert.equal(res.status, 504);
    assert.equal(((await res.json()) as { jsonrpc: string }).jsonrpc, '2.0');
    assert.ok(await waitFor(() => docspace.aborted > aborted, 3000), 'DocSpace call abandoned');
  });

  it('ends the stream with a JSON-RPC error for the request and cancels the DocSpace call for a 2025 request', async () => {
    const aborted = docspace.aborted;
    const res = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'get_current_user', arguments: {} },
      }),
    });
    assert.equal(res.status, 200);
    const body = await res.text().catch(() => '');
    assert.doesNotMatch(body, /Test Owner/);
    const data = body
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => JSON.parse(l.slice(6)) as { id?: unknown; error?: { code: number; message: string } });
    const answer = data.find((m) => m.id === 1);
    assert.ok(answer?.error, `the stream answers the request: ${body}`);
    assert.match(answer.error.message, /took longer than \d+ ms and was cancelled/);
    assert.ok(await waitFor(() => docspace.aborted > aborted, 3000), 'DocSpace call abandoned');
  });
});

describe('request id', () => {
  let docspace: FakeDocSpace;
  let server: HttpServerHandle;
  before(async () => {
    docspace = await startFakeDocSpace({ delayMs: 0 });
    server = await startServer({ DOCSPACE_API_KEY: API_KEY, DOCSPACE_BASE_URL: docspace.url });
  });
  after(async () => {
    await server.close();
    await docspace.close();
  });

  it('forwards the caller’s X-Request-ID to DocSpace with the configured credential', async () => {
    const res = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-06-18',
        'x-request-id': 'req-42',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'get_current_user', arguments: {} },
      }),
    });
    assert.equal(res.headers.get('x-request-id'), 'req-42');
    assert.match(await res.text(), /Test Owner/);
    assert.equal(docspace.lastHeaders?.['x-request-id'], 'req-42');
    assert.equal(docspace.lastHeaders?.authorization, `Bearer ${API_KEY}`);
  });
});

describe('cancelling over stdio', () => {
  let docspace: FakeDocSpace;
  before(async () => {
    docspace = await startFakeDocSpace({ delayMs: 5000 });
  });
  after(() => docspace.close());

  it('notifications/cancelled aborts the DocSpace call', async () => {
    const client = new Client({ name: 'cancel-stdio', version: '1' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [new URL('../../../src/cli.js', import.meta.url).pathname],
        env: {
          PATH: process.env.PATH ?? '',
          DOCSPACE_BASE_URL: docspace.url,
          DOCSPACE_API_KEY: API_KEY,
          DOCSPACE_LOG_LEVEL: 'silent',
        },
        stderr: 'pipe',
      }),
    );
    const controller = new AbortController();
    const call = client.callTool({ name: 'get_current_user', arguments: {} }, { signal: controller.signal });
    assert.ok(await waitFor(() => docspace.started > 0, 5000), 'the DocSpace call started');
    controller.abort();
    await assert.rejects(call);
    assert.ok(await waitFor(() => docspace.aborted > 0, 3000), 'DocSpace saw the call abandoned');
    await client.close();
  });
});
