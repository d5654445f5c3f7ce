// DocSpace converts one document at a time per person ("Too many downloads." for a second one):
// through the whole HTTP server, parallel reads as text all answer, the waiting ones saying so.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { type Emulator, startEmulator } from '../../../emulator/index.js';
import type { HttpServerHandle } from '../../../src/http/start.js';
import { startServer } from '../transport/helpers.js';

type Result = { content: { type: string; text?: string }[]; isError?: boolean; structuredContent?: unknown };

describe('reading documents as text in parallel', () => {
  let emulator: Emulator;
  let server: HttpServerHandle;
  let client: Client;
  before(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    const user = emulator.info.users.find((u) => u.role === 'user');
    assert.ok(user);
    server = await startServer({ DOCSPACE_API_KEY: user.apiKey, DOCSPACE_BASE_URL: emulator.url });
    client = new Client(
      { name: 'e2e', version: '1' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`)));
  });
  after(async () => {
    await client.close();
    await server.close();
    await emulator.close();
  });

  it('all answer; the ones that wait for the person’s other conversion say so in their progress', async () => {
    const my = (await client.callTool({ name: 'get_my_folder', arguments: {} })) as Result;
    const items = (my.structuredContent as { items: { id: number; title: string }[] }).items;
    const report = items.find((i) => i.title === 'Report.docx');
    assert.ok(report, 'the seeded user has Report.docx');
    emulator.setFaults({ slowOperationsMs: 150 });
    const progress: string[][] = [[], [], []];
    const results = (await Promise.all(
      progress.map((seen) =>
        client.callTool(
          { name: 'download_file_as_text', arguments: { fileId: report.id } },
          { onprogress: (p) => seen.push(String((p as { message?: string }).message)) },
        ),
      ),
    )) as Result[];
    for (const r of results) assert.ok(!r.isError, r.content.map((c) => c.text).join('\n'));
    const waited = progress.filter((m) => m.some((x) => /waiting for your other conversion/.test(x)));
    assert.equal(waited.length, 2, JSON.stringify(progress));
  });
});
