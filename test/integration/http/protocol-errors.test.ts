import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HttpServerHandle } from '../../../src/http/start.js';
import { API_KEY, rpc, startServer } from '../../e2e/transport/helpers.js';

const META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
};
const LEGACY = { 'mcp-protocol-version': '2025-06-18' };

type Json = { jsonrpc?: string; id?: unknown; error?: { code: number; message: string } };

/** The JSON-RPC message of a JSON or single-event SSE response. */
async function message(res: Response): Promise<Json> {
  const text = await res.text();
  if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    const data = text.split('\n').find((l) => l.startsWith('data: '));
    return JSON.parse(data?.slice(6) ?? 'null') as Json;
  }
  return JSON.parse(text) as Json;
}

describe('bad input at the protocol level', () => {
  let server: HttpServerHandle;
  let mcp: string;
  before(async () => {
    server = await startServer({ DOCSPACE_API_KEY: API_KEY, DOCSPACE_SERVER_RATE_LIMITS_MCP_CAPACITY: '0' });
    mcp = `${server.url}/mcp`;
  });
  after(() => server.close());

  const cases: [string, unknown, Record<string, string>, number, number][] = [
    ['invalid JSON', '{"jsonrpc": "2.0", ', {}, 400, -32700],
    ['an empty body', '', {}, 400, -32700],
    ['a bare number', '42', {}, 400, -32600],
    ['a message without jsonrpc', { id: 1, method: 'tools/list' }, {}, 400, -32600],
    ['an object as id', { jsonrpc: '2.0', id: {}, method: 'tools/list' }, {}, 400, -32600],
    ['a number as method', { jsonrpc: '2.0', id: 1, method: 5 }, {}, 400, -32600],
    ['an empty batch', '[]', {}, 400, -32600],
    ['JSON nested 5000 deep', `${'['.repeat(5000)}${']'.repeat(5000)}`, {}, 400, -32600],
    [
      'an unsupported MCP-Protocol-Version',
      { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      { 'mcp-protocol-version': '1999-01-01' },
      400,
      -32000,
    ],
    [
      'a 2026 request without MCP-Protocol-Version',
      { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: META } },
      { 'mcp-method': 'tools/list' },
      400,
      -32020,
    ],
    [
      'a 2026 request whose header names another version',
      { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: META } },
      { 'mcp-protocol-version': '2025-06-18', 'mcp-method': 'tools/list' },
      400,
      -32020,
    ],
    [
      'an unknown 2026 method',
      { jsonrpc: '2.0', id: 1, method: 'foo/bar', params: { _meta: META } },
      { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'foo/bar' },
      404,
      -32601,
    ],
    ['an unknown 2025 method', { jsonrpc: '2.0', id: 1, method: 'foo/bar' }, LEGACY, 200, -32601],
    [
      'a call of an unknown tool',
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'nope', arguments: {} } },
      LEGACY,
      200,
      -32602,
    ],
  ];
  for (const [what, body, headers, status, code] of cases) {
    it(`answers ${what} with ${status} and JSON-RPC error ${code}`, async () => {
      const res = await rpc(mcp, body, headers);
      assert.equal(res.status, status);
      const msg = await message(res);
      assert.equal(msg.jsonrpc, '2.0');
      assert.equal(msg.error?.code, code);
    });
  }

  const envelopes: [string, unknown, Record<string, string>, RegExp][] = [
    [
      'tools/call with a string as arguments',
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_current_user', arguments: 'x' } },
      LEGACY,
      /^Invalid params: `arguments` of tools\/call must be an object/,
    ],
    [
      'tools/call with an array as arguments (2026)',
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'get_current_user', arguments: [1], _meta: META },
      },
      { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'get_current_user' },
      /^Invalid params: `arguments` of tools\/call must be an object/,
    ],
    [
      'tools/call without a tool name',
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 5 } },
      LEGACY,
      /^Invalid params: tools\/call needs the tool `name`/,
    ],
    [
      'resources/read with a number as uri',
      { jsonrpc: '2.0', id: 1, method: 'resources/read', params: { uri: 5 } },
      LEGACY,
      /^Invalid params: resources\/read needs the resource `uri` as a string/,
    ],
    [
      'resources/read of a malformed file id',
      { jsonrpc: '2.0', id: 1, method: 'resources/read', params: { uri: 'docspace://files/abc' } },
      LEGACY,
      /^Bad file id in docspace:\/\/files\/abc/,
    ],
  ];
  for (const [what, body, headers, expected] of envelopes) {
    it(`answers ${what} with -32602 in one plain sentence`, async () => {
      const res = await rpc(mcp, body, headers);
      assert.equal(res.status, 200);
      const msg = await message(res);
      assert.equal(msg.id, 1);
      assert.equal(msg.error?.code, -32602);
      assert.match(msg.error?.message ?? '', expected);
      assert.doesNotMatch(msg.error?.message ?? '', /\n|"code":|invalid_type/, 'no schema issue dump');
    });
  }

  it('answers a non-JSON content type with 415 and GET/DELETE with 405', async () => {
    const text = await fetch(mcp, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    assert.equal(text.status, 415);
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(mcp, { method });
      assert.equal(res.status, 405);
      assert.equal(((await res.json()) as Json).jsonrpc, '2.0');
    }
  });

  it('survives 300 random bodies without a 500 and keeps serving', async () => {
    let seed = 0x5eed;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    const KEYS = [
      'jsonrpc',
      'id',
      'method',
      'params',
      'result',
      'error',
      'name',
      'arguments',
      '_meta',
      '__proto__',
      'constructor',
    ];
    const METHODS = [
      'initialize',
      'tools/list',
      'tools/call',
      'server/discover',
      'ping',
      'resources/read',
      'x',
      '',
    ];
    const value = (depth: number): unknown => {
      const r = rand();
      if (depth > 4 || r < 0.3)
        return pick([null, true, 0, -1, 1e308, 'a', '', '\u0000', 'é', '2.0', pick(METHODS)]);
      if (r < 0.5) return Array.from({ length: Math.floor(rand() * 4) }, () => value(depth + 1));
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(rand() * 5); i > 0; i--) o[pick(KEYS)] = value(depth + 1);
      return o;
    };
    const VERSIONS = [undefined, '2026-07-28', '2025-11-25', '2025-06-18', '2025-03-26', 'garbage'];
    for (let i = 0; i < 300; i++) {
      let body: string;
      const shape = rand();
      if (shape < 0.4)
        body = JSON.stringify({ jsonrpc: '2.0', id: i, method: pick(METHODS), params: value(1) });
      else if (shape < 0.7) body = JSON.stringify(value(0));
      else {
        const text = JSON.stringify(value(0)) ?? 'null';
        body = text.slice(0, Math.floor(rand() * text.length)) + pick(['', '}', ']]', '\u0000', '"']);
      }
      const headers: Record<string, string> = {};
      const version = pick(VERSIONS);
      if (version) headers['mcp-protocol-version'] = version;
      if (rand() < 0.3) headers['mcp-method'] = pick(METHODS) || 'x';
      const res = await rpc(mcp, body, headers);
      const text = await res.text();
      assert.ok(res.status < 500, `body ${body.slice(0, 200)} → ${res.status} ${text.slice(0, 200)}`);
    }
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  });
});

describe('a preflight that CORS does not answer (no origins configured)', () => {
  let server: HttpServerHandle;
  before(async () => {
    server = await startServer({ DOCSPACE_API_KEY: API_KEY, DOCSPACE_SERVER_CORS_MCP_ORIGIN: '' });
  });
  after(() => server.close());

  it('OPTIONS naming a session is a bare 204, never a 401 or a body', async () => {
    // It used to travel as an authentication refusal rewritten to JSON-RPC: a 204 that announced
    // an 88-byte JSON body it could not have.
    const res = await fetch(`${server.url}/mcp`, {
      method: 'OPTIONS',
      headers: { 'mcp-session-id': 'any', 'access-control-request-method': 'POST' },
    });
    assert.equal(res.status, 204);
    assert.equal(await res.text(), '');
    assert.equal(res.headers.get('content-type'), null);
    assert.ok(
      ['0', null].includes(res.headers.get('content-length')),
      res.headers.get('content-length') ?? '',
    );
  });
});
