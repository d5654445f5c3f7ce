// stdio as scripts and 2026 clients use it: answers owed when stdin closes are still written,
// and a 2026 client that can be asked is asked before a destructive tool acts.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { type Emulator, startEmulator } from '../../../emulator/index.js';

const CLI = new URL('../../../src/cli.js', import.meta.url).pathname;

type ToolResult = {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
};

describe('stdio wiring', () => {
  let emulator: Emulator;
  let apiKey: string;
  const env = () => ({
    PATH: process.env.PATH ?? '',
    DOCSPACE_LOG_LEVEL: 'warn',
    DOCSPACE_BASE_URL: emulator.url,
    DOCSPACE_API_KEY: apiKey,
  });
  before(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    apiKey = emulator.info.users.find((u) => u.role === 'owner')?.apiKey ?? '';
  });
  after(() => emulator.close());

  it('writes the answer to a tool call in flight when stdin closes, then exits 0', async () => {
    // DocSpace answers slowly, so the call is surely still running when stdin ends.
    emulator.setFaults({ latencyMs: 400 });
    try {
      const child = spawn(process.execPath, [CLI], { env: env(), stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.on('data', (c) => (stdout += c));
      const lines = [
        {
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: {
            protocolVersion: '2025-06-18',
            capabilities: {},
            clientInfo: { name: 'script', version: '1' },
          },
        },
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'get_current_user', arguments: {} } },
      ];
      child.stdin.end(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const [code] = await once(child, 'exit');
      clearTimeout(timer);
      assert.equal(code, 0);
      const answers = stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { id?: number; result?: ToolResult });
      const call = answers.find((a) => a.id === 2);
      assert.ok(call?.result, `the tool call was answered; stdout: ${stdout.slice(0, 300)}`);
      assert.equal(call.result.isError, undefined);
      assert.match(call.result.content[0]?.text ?? '', /owner@example\.com/);
    } finally {
      emulator.setFaults({});
    }
  });

  it('asks a 2026 client before delete_file, and declining changes nothing', async () => {
    const asked: string[] = [];
    const client = new Client(
      { name: 'stdio-confirm', version: '1' },
      { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    client.setRequestHandler('elicitation/create', async (req) => {
      asked.push(String((req.params as { message?: string }).message));
      return { action: 'decline' };
    });
    await client.connect(
      new StdioClientTransport({ command: process.execPath, args: [CLI], env: env(), stderr: 'pipe' }),
    );
    try {
      const call = async (name: string, args: Record<string, unknown> = {}) =>
        (await client.callTool({ name, arguments: args })) as ToolResult;
      const my = (await call('get_my_folder')).structuredContent as { folder: { id: number } };
      const created = await call('create_file', {
        folderId: my.folder.id,
        title: 'stdio-keep.txt',
        content: 'x',
      });
      assert.ok(!created.isError, created.content[0]?.text);
      const fileId = (created.structuredContent as { id: number }).id;

      const r = await call('delete_file', { fileId });
      assert.equal(r.isError, true, 'not deleted without asking');
      assert.match(r.content[0]?.text ?? '', /did not confirm/);
      assert.deepEqual(asked, [`Move file ${fileId} to the Trash?`]);
      const info = await call('get_file_info', { fileId });
      assert.equal((info.structuredContent as { folderId: number }).folderId, my.folder.id);
    } finally {
      await client.close();
    }
  });
});
