// The factory behind a real loopback HTTP server, both protocol eras, as a deployment serves it.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { type Emulator, startEmulator } from '../../../emulator/index.js';
import { createServerFactory } from '../../../src/mcp/server.js';
import { resolveSelection } from '../../../src/tools/selection.js';

describe('over real HTTP', () => {
  let emu: Emulator;
  let server: ReturnType<typeof serve>;
  let url: URL;
  let handler: ReturnType<typeof createMcpHandler>;

  before(async () => {
    emu = await startEmulator({ seed: 'demo' });
    const apiKey = emu.info.users.find((u) => u.role === 'user')?.apiKey ?? '';
    const factory = createServerFactory({ baseUrl: emu.url, selection: resolveSelection() });
    handler = createMcpHandler(() => factory({ credential: { kind: 'apiKey', apiKey } }), {
      maxRequestBodySize: 64 * 1024 * 1024,
    });
    server = await new Promise((resolve) => {
      const s = serve({ fetch: (req) => handler.fetch(req), port: 0, hostname: '127.0.0.1' }, () =>
        resolve(s),
      );
    });
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
  });
  after(async () => {
    await handler.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await emu.close();
  });

  for (const era of ['modern', 'legacy'] as const) {
    it(`lists tools and uploads 2 MB of base64 (${era})`, async () => {
      const client = new Client(
        { name: 'http-test', version: '1' },
        era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
      );
      await client.connect(new StreamableHTTPClientTransport(url));
      assert.ok((await client.listTools()).tools.length > 30);
      const my = (await client.callTool({ name: 'get_my_folder', arguments: {} })) as {
        structuredContent: { folder: { id: number } };
      };
      const bytes = Buffer.alloc(2 * 1024 * 1024, 7);
      const up = (await client.callTool({
        name: 'upload_file',
        arguments: {
          parentId: my.structuredContent.folder.id,
          filename: `blob-${era}.bin`,
          content: bytes.toString('base64'),
          encoding: 'base64',
        },
      })) as { isError?: boolean; structuredContent: { size: number } };
      assert.ok(!up.isError);
      assert.equal(up.structuredContent.size, bytes.length);
      await client.close();
    });
  }
});
