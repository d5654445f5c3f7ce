import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HttpServerHandle } from '../../../src/http/start.js';
import { rpc, startServer } from '../../e2e/transport/helpers.js';

interface OpenStream {
  endpoint: string;
  reader: ReadableStreamDefaultReader<Uint8Array>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
}

async function openSse(url: string, key: string): Promise<OpenStream | Response> {
  const res = await fetch(`${url}/sse`, {
    headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' },
  });
  if (res.status !== 200 || !res.body) return res;
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes('\n\n')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  const endpoint = /event: endpoint\ndata: (\S+)/.exec(text)?.[1] ?? '';
  const ended = (async () => {
    for (;;) {
      const { done } = await reader.read().catch(() => ({ done: true }));
      if (done) return;
    }
  })();
  return { endpoint, reader, ended };
}

describe('legacy SSE sessions', () => {
  let server: HttpServerHandle;
  before(async () => {
    server = await startServer({
      DOCSPACE_TRANSPORT: 'sse',
      DOCSPACE_SESSION_MAX: '2',
      DOCSPACE_SESSION_TTL: '600',
      DOCSPACE_SESSION_INTERVAL: '100',
    });
  });
  after(() => server.close());

  it('are bounded in number, bound to their opener, and expire', async () => {
    const first = await openSse(server.url, 'sk-alice');
    const second = await openSse(server.url, 'sk-alice');
    assert.ok(!(first instanceof Response) && !(second instanceof Response));
    assert.match(first.endpoint, /^\/messages\?sessionId=[0-9a-f-]{36}$/);

    const third = await openSse(server.url, 'sk-alice');
    assert.ok(third instanceof Response);
    assert.equal(third.status, 503);
    assert.ok(third.headers.get('retry-after'));

    const ping = { jsonrpc: '2.0', id: 1, method: 'ping' };
    const foreign = await rpc(`${server.url}${first.endpoint}`, ping, { authorization: 'Bearer sk-mallory' });
    assert.equal(foreign.status, 403);
    const own = await rpc(`${server.url}${first.endpoint}`, ping, { authorization: 'Bearer sk-alice' });
    assert.equal(own.status, 202);

    await first.ended; // the sweeper closes it once the TTL has passed
    const late = await rpc(`${server.url}${first.endpoint}`, ping, { authorization: 'Bearer sk-alice' });
    assert.equal(late.status, 404);
    await second.ended;
  });
});

describe('legacy SSE sessions per principal', () => {
  let server: HttpServerHandle;
  before(async () => {
    server = await startServer({
      DOCSPACE_TRANSPORT: 'sse',
      DOCSPACE_SESSION_MAX: '10',
      DOCSPACE_SESSION_MAX_PER_PRINCIPAL: '2',
    });
  });
  after(() => server.close());

  it('one person cannot take every session: past their own cap they get 503, others still get in', async () => {
    const mine = [await openSse(server.url, 'sk-greedy'), await openSse(server.url, 'sk-greedy')];
    for (const s of mine) assert.ok(!(s instanceof Response));
    const refused = await openSse(server.url, 'sk-greedy');
    assert.ok(refused instanceof Response);
    assert.equal(refused.status, 503);
    assert.match(((await refused.json()) as { error: { message: string } }).error.message, /your own/);
    const other = await openSse(server.url, 'sk-someone-else');
    assert.ok(!(other instanceof Response), 'another principal still gets a session');
    for (const s of [...mine, other]) if (!(s instanceof Response)) await s.reader.cancel();
  });
});

describe('per-principal rate limit', () => {
  let server: HttpServerHandle;
  before(async () => {
    server = await startServer({
      DOCSPACE_SERVER_RATE_LIMITS_MCP_CAPACITY: '0',
      DOCSPACE_SERVER_RATE_LIMITS_PRINCIPAL_CAPACITY: '3',
      DOCSPACE_SERVER_RATE_LIMITS_PRINCIPAL_WINDOW: '60000',
    });
  });
  after(() => server.close());

  it('refuses one key past its budget while another key from the same IP goes on', async () => {
    const list = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
    const headers = (key: string) => ({
      authorization: `Bearer ${key}`,
      'mcp-protocol-version': '2025-06-18',
    });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await rpc(`${server.url}/mcp`, list, headers('sk-busy'));
      statuses.push(res.status);
      await res.body?.cancel();
    }
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    const other = await rpc(`${server.url}/mcp`, list, headers('sk-quiet'));
    assert.equal(other.status, 200);
    await other.body?.cancel();
  });
});
