// Prompts and argument completion, through the server as the CLI starts it, with the SDK v1 and
// v2 clients people build on: prompts/list, prompts/get and completion/complete for room and
// file names (completed from the portal with the caller's rights).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Http } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type Emulator, startEmulator } from '../../../emulator/index.js';
import type { HttpServerHandle } from '../../../src/http/start.js';
import { startServe } from '../../helpers/assembled.js';

interface PromptClient {
  listPrompts(): Promise<{ prompts: { name: string; arguments?: { name: string; required?: boolean }[] }[] }>;
  getPrompt(req: { name: string; arguments: Record<string, string> }): Promise<{
    messages: { role: string; content: { type: string; text?: string } }[];
  }>;
  complete(req: {
    ref: { type: 'ref/prompt'; name: string };
    argument: { name: string; value: string };
  }): Promise<{ completion: { values: string[] } }>;
  close(): Promise<void>;
}

describe('prompts with completion', () => {
  let emulator: Emulator;
  let server: HttpServerHandle;
  let readOnly: HttpServerHandle;
  let key: string;
  before(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    key = emulator.info.users.find((u) => u.role === 'user')?.apiKey ?? '';
    server = await startServe({ DOCSPACE_BASE_URL: emulator.url });
    readOnly = await startServe({ DOCSPACE_BASE_URL: emulator.url, DOCSPACE_READ_ONLY: 'true' });
  });
  after(async () => {
    await server?.close();
    await readOnly?.close();
    await emulator?.close();
  });
  const headers = () => ({ authorization: `Bearer ${key}` });

  const clients: [string, (url: string) => Promise<PromptClient>][] = [
    [
      'SDK v1',
      async (url) => {
        const c = new V1Client({ name: 'v1', version: '1' });
        await c.connect(new V1Http(new URL(`${url}/mcp`), { requestInit: { headers: headers() } }));
        return c as unknown as PromptClient;
      },
    ],
    [
      'SDK v2',
      async (url) => {
        const c = new Client({ name: 'v2', version: '1' });
        await c.connect(
          new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: headers() } }),
        );
        return c as unknown as PromptClient;
      },
    ],
  ];

  for (const [name, connect] of clients) {
    describe(name, () => {
      it('lists the prompts with their arguments', async () => {
        const c = await connect(server.url);
        try {
          const { prompts } = await c.listPrompts();
          assert.deepEqual(prompts.map((p) => p.name).sort(), [
            'gather_files_in_room',
            'share_room_with_guest',
            'summarize_document',
          ]);
          const summarise = prompts.find((p) => p.name === 'summarize_document');
          assert.deepEqual(
            summarise?.arguments?.map((a) => [a.name, a.required]),
            [
              ['file', true],
              ['focus', false],
            ],
          );
        } finally {
          await c.close();
        }
      });

      it('completes room names and file names from the portal', async () => {
        const c = await connect(server.url);
        try {
          const rooms = await c.complete({
            ref: { type: 'ref/prompt', name: 'gather_files_in_room' },
            argument: { name: 'room', value: 'proj' },
          });
          assert.deepEqual(rooms.completion.values, ['Projects']);
          const files = await c.complete({
            ref: { type: 'ref/prompt', name: 'summarize_document' },
            argument: { name: 'file', value: 'repo' },
          });
          assert.ok(files.completion.values.includes('Report.docx'), files.completion.values.join());
          const access = await c.complete({
            ref: { type: 'ref/prompt', name: 'share_room_with_guest' },
            argument: { name: 'access', value: 'ed' },
          });
          assert.deepEqual(access.completion.values, ['editor']);
        } finally {
          await c.close();
        }
      });

      it('gets a prompt that names the tools to use', async () => {
        const c = await connect(server.url);
        try {
          const got = await c.getPrompt({ name: 'summarize_document', arguments: { file: 'Report.docx' } });
          const text = got.messages[0]?.content.text ?? '';
          assert.equal(got.messages[0]?.role, 'user');
          assert.match(text, /"Report\.docx"/);
          assert.match(text, /download_file_as_text/);
        } finally {
          await c.close();
        }
      });
    });
  }

  it('offers only the prompts whose tools are there (read-only server)', async () => {
    const c = await clients[1]?.[1](readOnly.url);
    assert.ok(c);
    try {
      const { prompts } = await c.listPrompts();
      assert.deepEqual(
        prompts.map((p) => p.name),
        ['summarize_document'],
      );
    } finally {
      await c.close();
    }
  });
});
