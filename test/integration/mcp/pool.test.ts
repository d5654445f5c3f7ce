// 2026-07-28 tool calls on /mcp are served by pooled SDK instances (src/mcp/server.ts): an
// instance serves one person's call, goes back to its pool and serves someone else's next. These
// tests start the whole server and check that nothing of one caller reaches the next one.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../../emulator/index.js';
import type { HttpServerHandle } from '../../../src/http/start.js';
import { McpServer } from '@modelcontextprotocol/server';
import { rpc, startServer } from '../../e2e/transport/helpers.js';

const MODERN = '2026-07-28';
let nextId = 1;

/** A modern tools/call with the person's API key in the per-request header. */
async function call(
  url: string,
  apiKey: string,
  name: string,
  args: Record<string, unknown>,
): Promise<{ status: number; body: { result?: Record<string, unknown>; error?: { message: string } } }> {
  const res = await rpc(
    `${url}/mcp`,
    {
      jsonrpc: '2.0',
      id: nextId++,
      method: 'tools/call',
      params: {
        name,
        arguments: args,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': MODERN,
          'io.modelcontextprotocol/clientCapabilities': {},
          'io.modelcontextprotocol/clientInfo': { name: 'pool-test', version: '1' },
        },
      },
    },
    {
      'mcp-protocol-version': MODERN,
      'mcp-method': 'tools/call',
      'mcp-name': name,
      'x-mcp-api-key': apiKey,
    },
  );
  return { status: res.status, body: (await res.json()) as never };
}

const textOf = (r: Awaited<ReturnType<typeof call>>) =>
  ((r.body.result?.content as { text?: string }[] | undefined) ?? []).map((c) => c.text ?? '').join('\n');

describe('pooled instances on /mcp serve each caller as themselves', () => {
  let emulator: Emulator;
  let server: HttpServerHandle;
  before(async () => {
    emulator = await startEmulator({ seed: 'demo' });
    // No server credential: each call is only as good as the key it carries.
    server = await startServer({ DOCSPACE_BASE_URL: emulator.url });
  });
  after(async () => {
    await server.close();
    await emulator.close();
  });

  const person = (role: string) => {
    const u = emulator.info.users.find((x) => x.role === role);
    if (!u) throw new Error(`no ${role} in the demo seed`);
    return u;
  };

  it('alternating and concurrent calls of two people each answer for their caller', async () => {
    const people = [person('owner'), person('user')];
    const whoAmI = async (i: number) => {
      const p = people[i % 2] as (typeof people)[0];
      const r = await call(server.url, p.apiKey, 'get_current_user', {});
      assert.equal(r.status, 200);
      const text = textOf(r);
      assert.ok(text.includes(p.email), `call ${i} by ${p.email} answered: ${text.slice(0, 200)}`);
      const other = people[(i + 1) % 2] as (typeof people)[0];
      assert.ok(!text.includes(other.email), `call ${i} by ${p.email} saw ${other.email}`);
    };
    // One at a time: the instance one person's call released is the next person's.
    for (let i = 0; i < 20; i++) await whoAmI(i);
    // Many at once, interleaved: instances change hands while others are busy.
    await Promise.all(Array.from({ length: 60 }, (_, i) => whoAmI(i)));
  });
});

// `forgetClient` (src/mcp/server.ts) clears what an exchange leaves on an SDK instance about its
// client before the instance is reused; it writes private fields of the SDK. An SDK upgrade that
// renames them would make that a silent no-op: this fails instead.
describe('what a reused SDK instance remembers about its last client', () => {
  it('is kept in the fields the pool clears', () => {
    const inner = new McpServer({ name: 't', version: '1' }).server as unknown as Record<string, unknown>;
    for (const field of [
      '_clientCapabilities',
      '_clientVersion',
      '_negotiatedProtocolVersion',
      '_boundFromTransport',
      '_legacyShim',
      '_loggingLevels',
    ])
      assert.ok(Object.hasOwn(inner, field), `the SDK's Server has no ${field} any more`);
  });
});
