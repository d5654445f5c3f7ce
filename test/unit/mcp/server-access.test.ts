// The server factory under a connection's access level: what a session lists and what its calls
// answer when the level is Read only from the start, in dynamic mode, or lowered mid-session.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { createServerFactory, type ServerRequest } from '../../../src/mcp/server.js';
import { resolveSelection } from '../../../src/tools/selection.js';

type ToolResult = { isError?: boolean; content: { type: string; text?: string }[] };
const textOf = (r: ToolResult) => r.content.map((c) => c.text ?? '').join(' ');
const MANAGE = 'https://mcp.example/connections';

async function connect(req: ServerRequest, dynamic = false) {
  const factory = createServerFactory({
    baseUrl: 'http://127.0.0.1:9',
    selection: resolveSelection({ dynamic }),
  });
  const server = factory(req);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'access-unit', version: '1' });
  await client.connect(clientSide);
  return client;
}

const request = (level: 'read' | 'write'): ServerRequest => ({
  credential: { kind: 'apiKey', apiKey: 'sk-unit' },
  access: { level, manageUrl: MANAGE },
});

describe('the server under a connection’s access level', () => {
  it('Read only lists no tool that changes anything', async () => {
    const client = await connect(request('read'));
    const tools = (await client.listTools()).tools;
    assert.ok(tools.length > 0);
    assert.ok(tools.every((t) => t.annotations?.readOnlyHint === true));
    assert.ok(!tools.some((t) => t.name === 'delete_file'));
    await client.close();
  });

  it('a session whose level is lowered refuses its next write call with the sentence', async () => {
    const req = request('write');
    const client = await connect(req);
    assert.ok((await client.listTools()).tools.some((t) => t.name === 'delete_file'));
    req.access = { level: 'read', manageUrl: MANAGE };
    const r = (await client.callTool({ name: 'delete_file', arguments: { fileId: 1 } })) as ToolResult;
    assert.equal(r.isError, true);
    assert.match(textOf(r), /^delete_file .*Read only.*https:\/\/mcp\.example\/connections\.$/);
    await client.close();
  });

  it('dynamic mode: call_tool of a withheld tool answers the sentence, not "unknown tool"', async () => {
    const client = await connect(request('read'), true);
    const r = (await client.callTool({
      name: 'call_tool',
      arguments: { tool: 'delete_file', input: { fileId: 1 } },
    })) as ToolResult;
    assert.equal(r.isError, true);
    assert.match(textOf(r), /^delete_file .*Read only/);
    const unknown = (await client.callTool({
      name: 'call_tool',
      arguments: { tool: 'no_such_tool', input: {} },
    })) as ToolResult;
    assert.match(textOf(unknown), /not available/);
    await client.close();
  });
});
