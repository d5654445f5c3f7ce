// 2025 clients on /mcp get a session (Mcp-Session-Id) by default: owned by whoever opened it,
// ended by DELETE, expired when idle, capped per person, resumable with Last-Event-ID; and a
// client that declared elicitation is asked before destructive tools (SDK v1 client here; the
// v2 client runs through test/e2e/mcp/server-confirm.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Http } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { type Emulator, startEmulator } from '../../../emulator/index.js';
import type { HttpServerHandle } from '../../../src/http/start.js';
import { startServe } from '../../helpers/assembled.js';

const ACCEPT = 'application/json, text/event-stream';

interface Sent {
  status: number;
  sessionId: string | null;
  /** JSON-RPC messages in the body (SSE `data:` lines or a JSON body). */
  messages: Record<string, unknown>[];
  /** SSE event ids, in order. */
  eventIds: string[];
}

async function read(res: Response): Promise<Sent> {
  const text = await res.text();
  const messages: Record<string, unknown>[] = [];
  const eventIds: string[] = [];
  if (/event-stream/.test(res.headers.get('content-type') ?? '')) {
    for (const line of text.split('\n')) {
      if (line.startsWith('id: ')) eventIds.push(line.slice(4));
      if (line.startsWith('data: ') && line.length > 6) messages.push(JSON.parse(line.slice(6)));
    }
  } else if (text) messages.push(JSON.parse(text));
  return { status: res.status, sessionId: res.headers.get('mcp-session-id'), messages, eventIds };
}

function post(url: string, key: string, body: unknown, sessionId?: string): Promise<Sent> {
  return fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      accept: ACCEPT,
      'content-type': 'application/json',
      ...(sessionId ? { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' } : {}),
    },
    body: JSON.stringify(body),
  }).then(read);
}

async function open(url: string, key: string): Promise<Sent> {
  const init = await post(url, key, {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  });
  if (init.sessionId)
    await post(url, key, { jsonrpc: '2.0', method: 'notifications/initialized' }, init.sessionId);
  return init;
}

const listTools = (url: string, key: string, sid: string) =>
  post(url, key, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, sid);

const del = (url: string, key: string, sid: string) =>
  fetch(url, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${key}`, 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' },
  });

describe('2025 sessions on /mcp', () => {
  let emu: Emulator;
  let server: HttpServerHandle;
  let tight: HttpServerHandle;
  let url: string;
  let userKey: string;
  let otherKey: string;
  before(async () => {
    emu = await startEmulator({ seed: 'demo' });
    userKey = emu.info.users.find((u) => u.role === 'user')?.apiKey ?? '';
    otherKey = emu.info.users.find((u) => u.role === 'owner')?.apiKey ?? '';
    [server, tight] = await Promise.all([
      startServe({ DOCSPACE_BASE_URL: emu.url }),
      startServe({
        DOCSPACE_BASE_URL: emu.url,
        DOCSPACE_HTTP_SESSION_IDLE: '1000',
        DOCSPACE_HTTP_SESSION_PRINCIPAL_MAX: '2',
      }),
    ]);
    url = `${server.url}/mcp`;
  });
  after(async () => {
    await server?.close();
    await tight?.close();
    await emu?.close();
  });

  it('issues a session id at initialize and serves requests that name it', async () => {
    const init = await open(url, userKey);
    assert.equal(init.status, 200);
    assert.match(init.sessionId ?? '', /^[0-9a-f-]{36}$/);
    const list = await listTools(url, userKey, init.sessionId ?? '');
    assert.equal(list.status, 200);
    assert.ok(((list.messages[0]?.result as { tools: unknown[] }).tools ?? []).length > 10);
  });

  it('answers 404 to another person holding the session id, and 401 without a credential', async () => {
    const sid = (await open(url, userKey)).sessionId ?? '';
    const other = await listTools(url, otherKey, sid);
    assert.equal(other.status, 404);
    const bare = await fetch(url, {
      method: 'POST',
      headers: { accept: ACCEPT, 'content-type': 'application/json', 'mcp-session-id': sid },
      body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }),
    });
    assert.equal(bare.status, 401);
    // The owner still has it.
    assert.equal((await listTools(url, userKey, sid)).status, 200);
  });

  it('ends on DELETE; the ended id answers 404', async () => {
    const sid = (await open(url, userKey)).sessionId ?? '';
    assert.equal((await del(url, otherKey, sid)).status, 404, 'another person cannot end it');
    assert.equal((await del(url, userKey, sid)).status, 200);
    assert.equal((await listTools(url, userKey, sid)).status, 404);
  });

  it('a tool call in a session acts with the credential its request carries', async () => {
    const sid = (await open(url, userKey)).sessionId ?? '';
    const call = (key: string) =>
      post(
        url,
        key,
        { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'get_current_user', arguments: {} } },
        sid,
      );
    const first = await call(userKey);
    const text = JSON.stringify(first.messages.at(-1));
    const email = emu.info.users.find((u) => u.role === 'user')?.email ?? '';
    assert.ok(text.includes(email), text);
  });

  it('replays a stream after Last-Event-ID', async () => {
    const sid = (await open(url, userKey)).sessionId ?? '';
    const call = await post(
      url,
      userKey,
      { jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'get_current_user', arguments: {} } },
      sid,
    );
    assert.ok(call.eventIds.length >= 2, `event ids: ${call.eventIds.join(',')}`);
    const resumed = await read(
      await fetch(url, {
        headers: {
          authorization: `Bearer ${userKey}`,
          accept: 'text/event-stream',
          'mcp-session-id': sid,
          'mcp-protocol-version': '2025-11-25',
          'last-event-id': call.eventIds[0] ?? '',
        },
      }),
    );
    assert.equal(resumed.status, 200);
    assert.deepEqual(
      resumed.messages.map((m) => m.id),
      [5],
    );
    // Another person cannot replay it.
    const foreign = await fetch(url, {
      headers: {
        authorization: `Bearer ${otherKey}`,
        accept: 'text/event-stream',
        'mcp-session-id': sid,
        'last-event-id': call.eventIds[0] ?? '',
      },
    });
    assert.equal(foreign.status, 404);
    await foreign.body?.cancel();
  });

  it('caps the sessions one person has open, and expires idle ones', async () => {
    const tightUrl = `${tight.url}/mcp`;
    const a = (await open(tightUrl, userKey)).sessionId ?? '';
    assert.ok((await open(tightUrl, userKey)).sessionId);
    const third = await open(tightUrl, userKey);
    assert.equal(third.status, 429);
    assert.ok((await open(tightUrl, otherKey)).sessionId, 'the cap is per person');
    assert.equal((await del(tightUrl, userKey, a)).status, 200);
    const again = await open(tightUrl, userKey);
    assert.ok(again.sessionId);
    await new Promise((r) => setTimeout(r, 1600));
    assert.equal((await listTools(tightUrl, userKey, again.sessionId ?? '')).status, 404);
  });

  it('without sessions (DOCSPACE_HTTP_SESSIONS=stateless) issues no session id', async () => {
    const stateless = await startServe({ DOCSPACE_BASE_URL: emu.url, DOCSPACE_HTTP_SESSIONS: 'stateless' });
    try {
      const init = await open(`${stateless.url}/mcp`, userKey);
      assert.equal(init.status, 200);
      assert.equal(init.sessionId, null);
    } finally {
      await stateless.close();
    }
  });
});

describe('SDK v1 client over a 2025 HTTP session: confirmation of destructive tools', () => {
  let emu: Emulator;
  let server: HttpServerHandle;
  let key: string;
  before(async () => {
    emu = await startEmulator({ seed: 'demo' });
    key = emu.info.users.find((u) => u.role === 'user')?.apiKey ?? '';
    server = await startServe({ DOCSPACE_BASE_URL: emu.url });
  });
  after(async () => {
    await server?.close();
    await emu?.close();
  });

  async function connect(answer: 'accept' | 'decline') {
    const asked: string[] = [];
    const client = new V1Client({ name: 'v1', version: '1' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, async (req) => {
      asked.push(String(req.params.message));
      return answer === 'accept' ? { action: 'accept', content: { confirm: true } } : { action: 'decline' };
    });
    const transport = new V1Http(new URL(`${server.url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    });
    await client.connect(transport);
    return { client, asked, transport };
  }

  type Result = { isError?: boolean; content: { text?: string }[]; structuredContent?: unknown };
  async function personalFolder(client: V1Client): Promise<{ id: number; present: () => Promise<boolean> }> {
    const my = async () =>
      ((await client.callTool({ name: 'get_my_folder', arguments: {} })) as Result).structuredContent as {
        items: { id: number; title: string }[];
      };
    const id = (await my()).items.find((i) => i.title === 'Personal')?.id ?? 0;
    return { id, present: async () => (await my()).items.some((i) => i.id === id) };
  }

  it('asks; a decline changes nothing', async () => {
    const { client, asked, transport } = await connect('decline');
    assert.ok(transport.sessionId, 'the client holds a session');
    const folder = await personalFolder(client);
    const r = (await client.callTool({
      name: 'delete_folder',
      arguments: { folderId: folder.id },
    })) as Result;
    assert.equal(r.isError, true);
    assert.equal(asked.length, 1);
    assert.equal(await folder.present(), true);
    await transport.terminateSession();
    await client.close();
  });

  it('asks; an accept goes ahead', async () => {
    const { client, asked, transport } = await connect('accept');
    const folder = await personalFolder(client);
    const r = (await client.callTool({
      name: 'delete_folder',
      arguments: { folderId: folder.id },
    })) as Result;
    assert.ok(!r.isError, JSON.stringify(r.content));
    assert.equal(asked.length, 1);
    assert.equal(await folder.present(), false);
    await transport.terminateSession();
    await client.close();
  });
});
