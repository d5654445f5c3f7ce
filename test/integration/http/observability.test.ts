import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { type Emulator, startEmulator } from '../../../emulator/index.js';
import type { HttpServerHandle } from '../../../src/http/start.js';
import { startServer } from '../../e2e/transport/helpers.js';

describe('logs, health, readiness and metrics', () => {
  let emulator: Emulator;
  let server: HttpServerHandle;
  let apiKey: string;
  const logs: string[] = [];
  before(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    apiKey = emulator.info.users.find((u) => u.role === 'owner')?.apiKey ?? '';
    // No shared credential: clients send their key, which must never reach a log line.
    server = await startServer({ DOCSPACE_BASE_URL: emulator.url }, undefined, logs);
  });
  after(async () => {
    await server.close();
    await emulator.close();
  });

  async function callTools(): Promise<void> {
    const client = new Client(
      { name: 'obs', version: '1' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${apiKey}`, 'X-Request-ID': 'trace-me-1' } },
      }),
    );
    await client.callTool({ name: 'get_current_user', arguments: {} });
    await client.callTool({ name: 'get_room_info', arguments: { roomId: 999999 } });
    await client.close();
  }

  it('logs one JSON line per request with id, principal, route, status and duration, and no secret', async () => {
    await callTools();
    const lines = logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === 'request');
    const call = lines.find((l) => l.tool === 'get_current_user');
    assert.ok(call, 'a request line for the tool call');
    assert.equal(call.requestId, 'trace-me-1');
    assert.equal(call.path, '/mcp');
    assert.equal(call.status, 200);
    assert.equal(typeof call.ms, 'number');
    assert.equal(call.mcpMethod, 'tools/call');
    assert.match(String(call.user), /^apiKey:/);
    assert.ok(!logs.join('\n').includes(apiKey), 'the API key never appears in logs');
  });

  it('a request the edge refuses is logged at info with the reason, not only its status', async () => {
    const res = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: {
        origin: 'https://evil.example',
        'x-request-id': 'refused-1',
        'content-type': 'application/json',
      },
      body: '{}',
    });
    assert.equal(res.status, 403);
    const line = logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.requestId === 'refused-1');
    assert.ok(line, 'an access-log line for the refused request');
    assert.equal(line.msg, 'request refused');
    assert.equal(line.level, 'info');
    assert.match(String(line.refused), /Origin "https:\/\/evil\.example" is not allowed/);
  });

  it('/healthz answers while /readyz checks DocSpace and the store', async () => {
    assert.deepEqual(await (await fetch(`${server.url}/healthz`)).json(), { status: 'ok' });
    const ready = await fetch(`${server.url}/readyz`);
    assert.equal(ready.status, 200);
    const report = (await ready.json()) as { ready: boolean; checks: Record<string, { ok: boolean }> };
    assert.equal(report.ready, true);
    assert.deepEqual(Object.keys(report.checks).sort(), ['config', 'docspace', 'store']);
  });

  it('/readyz answers 503 when DocSpace is unreachable', async () => {
    const lonely = await startServer({ DOCSPACE_BASE_URL: 'http://127.0.0.1:9/' });
    try {
      const res = await fetch(`${lonely.url}/readyz`);
      assert.equal(res.status, 503);
      const report = (await res.json()) as { checks: { docspace: { ok: boolean; detail: string } } };
      assert.equal(report.checks.docspace.ok, false);
    } finally {
      await lonely.close();
    }
  });

  it('/metrics counts requests, tool calls by outcome, and times tools and DocSpace calls', async () => {
    const res = await fetch(`${server.url}/metrics`);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    assert.match(text, /docspace_mcp_http_requests_total\{method="POST",route="\/mcp",status="200"\} \d+/);
    assert.match(text, /docspace_mcp_tool_calls_total\{outcome="ok",tool="get_current_user"\} [1-9]/);
    assert.match(text, /docspace_mcp_tool_calls_total\{outcome="forbidden",tool="get_room_info"\} 1/);
    assert.match(
      text,
      /docspace_mcp_tool_call_duration_seconds_bucket\{tool="get_current_user",le="\+Inf"\} [1-9]/,
    );
    assert.match(
      text,
      /docspace_mcp_docspace_request_duration_seconds_count\{method="GET",status="200"\} [1-9]/,
    );
  });
});
