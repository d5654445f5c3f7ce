// The server factory: dynamic mode, per-request selection, missing credentials, progress, cost.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { createServerFactory } from '../../../src/mcp/server.js';
import { resolveSelection } from '../../../src/tools/selection.js';
import { Harness, text } from '../../helpers/harness.js';

describe('server factory', () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start({ assembly: 'in-process' });
  });
  after(() => h.close());
  beforeEach(() => h.emu.reset());

  it('dynamic mode: discover a toolset, read a schema, call a tool', async () => {
    const s = await h.connect({ role: 'user', selection: { dynamic: true, toolsets: ['folders', 'files'] } });
    const sets = await s.call('list_toolsets');
    assert.deepEqual(
      (sets.structuredContent as { toolsets: { name: string }[] }).toolsets.map((t) => t.name),
      ['files', 'folders'],
    );
    const tools = await s.call('list_tools', { toolset: 'folders' });
    assert.match(text(tools), /get_my_folder/);
    const schema = await s.call('get_tool_input_schema', { tool: 'get_folder_content' });
    assert.deepEqual((schema.structuredContent as { schema: { required: string[] } }).schema.required, [
      'folderId',
    ]);
    const out = await s.call('get_tool_output_schema', { tool: 'get_room_types' });
    assert.equal(out.isError, true, 'rooms are not selected, so not reachable');
    const my = await s.call('call_tool', { tool: 'get_my_folder', input: { count: 1 } });
    assert.ok(!my.isError, text(my));
    assert.match(text(my), /My documents/);
    const bad = await s.call('call_tool', { tool: 'get_folder_content', input: { folderId: 'x' } });
    assert.equal(bad.isError, true);
    assert.match(text(bad), /`folderId`/);
    const hidden = await s.call('call_tool', { tool: 'get_all_people', input: {} });
    assert.equal(hidden.isError, true);
    assert.match(text(hidden), /not available/);
  });

  it('dynamic mode keeps confirmation for destructive tools', async () => {
    const s = await h.connect({ role: 'user', selection: { dynamic: true }, elicit: 'decline' });
    const my = (await s.call('call_tool', { tool: 'get_my_folder', input: {} })).structuredContent as {
      items: { id: number; title: string }[];
    };
    const id = my.items.find((i) => i.title === 'Personal')?.id;
    const r = await s.call('call_tool', { tool: 'delete_folder', input: { folderId: id } });
    assert.equal(r.isError, true);
    assert.equal(s.asked.length, 1);
  });

  it('a per-request selection changes what is listed', async () => {
    const factory = createServerFactory({ baseUrl: h.emu.url, selection: resolveSelection() });
    const narrowed = resolveSelection({ toolsets: ['people'] });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await factory({ credential: { kind: 'apiKey', apiKey: h.apiKey('user') }, selection: narrowed }).connect(
      b,
    );
    const client = new Client({ name: 't', version: '1' });
    await client.connect(a);
    assert.deepEqual(
      (await client.listTools()).tools.map((t) => t.name),
      ['get_all_people', 'get_current_user', 'find_person'],
    );
    await client.close();
  });

  it('without a credential every call says how to fix it; tools are still listed', async () => {
    const factory = createServerFactory({ baseUrl: h.emu.url, selection: resolveSelection() });
    for (const req of [
      { credential: undefined },
      { credential: undefined, configError: 'DOCSPACE_BASE_URL is not a URL: "foo".' },
    ]) {
      const [a, b] = InMemoryTransport.createLinkedPair();
      await factory(req).connect(b);
      const client = new Client({ name: 't', version: '1' });
      await client.connect(a);
      assert.ok((await client.listTools()).tools.length > 20);
      const r = (await client.callTool({ name: 'get_my_folder', arguments: {} })) as {
        isError?: boolean;
        content: { text: string }[];
      };
      assert.equal(r.isError, true);
      assert.match(
        r.content[0]?.text ?? '',
        req.configError ? /DOCSPACE_BASE_URL is not a URL/ : /No DocSpace credential/,
      );
      await client.close();
    }
  });

  it('reports progress while a long operation runs', async () => {
    h.emu.setFaults({ slowOperationsMs: 900 });
    const s = await h.connect({ role: 'user' });
    const my = (await s.call('get_my_folder', {})).structuredContent as {
      folder: { id: number };
      items: { id: number; title: string }[];
    };
    const personal = my.items.find((i) => i.title === 'Personal')?.id;
    const seen: number[] = [];
    const r = await s.call(
      'copy_batch_items',
      { folderIds: [personal], destFolderId: my.folder.id },
      { onprogress: (p) => seen.push(p.progress) },
    );
    assert.ok(!r.isError, text(r));
    assert.ok(seen.length >= 1, 'no progress notifications');
    assert.deepEqual(
      [...seen].sort((x, y) => x - y),
      seen,
      'progress must not go backwards',
    );
  });

  it('building a server per request is cheap', () => {
    const factory = createServerFactory({ baseUrl: h.emu.url, selection: resolveSelection() });
    factory({ credential: { kind: 'apiKey', apiKey: 'x' } });
    const n = 200;
    const started = performance.now();
    for (let i = 0; i < n; i++) factory({ credential: { kind: 'apiKey', apiKey: 'x' } });
    const perServer = (performance.now() - started) / n;
    console.log(`factory: ${perServer.toFixed(3)} ms per server`);
    assert.ok(perServer < 5, `${perServer} ms per server`);
  });
});

describe('cancellation', () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start({ assembly: 'in-process' });
  });
  after(() => h.close());

  it('a cancelled tool call aborts the DocSpace request it was waiting on', async () => {
    const signals: AbortSignal[] = [];
    const spy: typeof fetch = (input, init) => {
      if (init?.signal) signals.push(init.signal);
      return fetch(input, init);
    };
    const s = await h.connect({ role: 'user', deps: { fetch: spy } });
    const my = (await s.call('get_my_folder', {})).structuredContent as {
      items: { id: number; title: string }[];
    };
    const report = my.items.find((i) => i.title === 'Report.docx')?.id;
    h.emu.setFaults({ latencyMs: 5000, pathPattern: '/files/file/' });
    signals.length = 0;
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 200);
    await assert.rejects(
      s.client.callTool(
        { name: 'get_file_info', arguments: { fileId: report } },
        { signal: controller.signal },
      ),
    );
    assert.ok(Date.now() - started < 2000, 'the client waited for the slow portal');
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(signals.length > 0, 'no DocSpace request was made');
    assert.ok(
      signals.every((sig) => sig.aborted),
      'the DocSpace request was not aborted',
    );
    h.emu.setFaults({});
  });
});
