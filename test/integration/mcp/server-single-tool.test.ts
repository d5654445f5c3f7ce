// An instance built for one `tools/call` (HTTP passes the tool name) registers only that tool:
// the call must answer exactly as on a full instance, and the selection must still refuse.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { type Emulator, startEmulator } from '../../../emulator/index.js';
import { createServerFactory, type ServerRequest } from '../../../src/mcp/server.js';
import { resolveSelection, type ToolSelection } from '../../../src/tools/selection.js';

describe('a server instance built for one named tool call', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ seed: 'demo' });
  });
  after(() => emulator.close());

  const credential = () => ({
    kind: 'apiKey' as const,
    apiKey: emulator.info.users.find((u) => u.role === 'user')?.apiKey ?? '',
  });

  async function call(
    selection: ToolSelection,
    req: Partial<ServerRequest>,
    name: string,
    args: Record<string, unknown>,
  ): Promise<{ isError: boolean; text: string; structured?: unknown }> {
    const factory = createServerFactory({ baseUrl: emulator.url, selection });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await factory({ credential: credential(), ...req }).connect(b);
    const client = new Client({ name: 't', version: '1' });
    await client.connect(a);
    try {
      const r = (await client.callTool({ name, arguments: args })) as {
        isError?: boolean;
        content: { text?: string }[];
        structuredContent?: unknown;
      };
      return { isError: r.isError === true, text: r.content[0]?.text ?? '', structured: r.structuredContent };
    } catch (e) {
      // The SDK may refuse an unknown tool with a JSON-RPC error instead of a result.
      return { isError: true, text: (e as Error).message };
    } finally {
      await client.close();
    }
  }

  it('answers the named tool as a full instance does', async () => {
    const all = resolveSelection({});
    const full = await call(all, {}, 'get_current_user', {});
    const single = await call(all, { toolName: 'get_current_user' }, 'get_current_user', {});
    assert.equal(single.isError, false, single.text);
    assert.match(single.text, /user@example\.com/);
    assert.deepEqual(single, full);
  });

  it('checks arguments as before', async () => {
    const all = resolveSelection({});
    const r = await call(all, { toolName: 'get_folder_content' }, 'get_folder_content', { folderId: 'x' });
    assert.equal(r.isError, true);
    assert.match(r.text, /`folderId`/);
  });

  it('still refuses a tool the selection leaves out, with the same answer', async () => {
    const people = resolveSelection({ toolsets: ['people'] });
    const full = await call(people, {}, 'get_file_info', { fileId: 1 });
    const named = await call(people, { toolName: 'get_file_info' }, 'get_file_info', { fileId: 1 });
    assert.equal(named.isError, true);
    assert.deepEqual(named, full);
    const readOnly = resolveSelection({ readOnly: true });
    const del = await call(readOnly, { toolName: 'delete_file' }, 'delete_file', { fileId: 1 });
    assert.equal(del.isError, true);
    assert.doesNotMatch(del.text, /deleted/i);
  });

  it('dynamic mode ignores the name and keeps its meta tools', async () => {
    const dynamic = resolveSelection({ dynamic: true });
    const r = await call(dynamic, { toolName: 'list_toolsets' }, 'list_toolsets', {});
    assert.equal(r.isError, false, r.text);
    const via = await call(dynamic, { toolName: 'call_tool' }, 'call_tool', {
      tool: 'get_current_user',
      input: {},
    });
    assert.equal(via.isError, false, via.text);
    assert.match(via.text, /user@example\.com/);
  });
});
