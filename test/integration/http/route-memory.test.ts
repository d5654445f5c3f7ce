import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Hono } from 'hono';
import { pino } from 'pino';
import type { HttpEnv } from '../../../src/http/env.js';
import type { RateLimiter } from '../../../src/http/rate-limit.js';
import { createMcpRoute, type McpRoute } from '../../../src/http/mcp.js';
import { createServerFactory } from '../../../src/mcp/server.js';
import { resolveSelection } from '../../../src/tools/selection.js';

// A leak here cost ≈ 10 KB per call (60 KB on the 2025 leg) until the process ran out of memory
// (docs/performance.md §1): listeners on never-aborting `AbortSignal.any`/`AbortSignal.timeout`
// signals kept them, and on the 2025 leg the per-request McpServer, reachable. memory.test.ts
// checks the servers are released; this checks nothing else stays either (the 2026 leg leaked
// its signals and listeners, 9 KB a call here, without keeping the server), for a JSON answer
// (2026) and an SSE one (2025).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const MODERN = '2026-07-28';
const LEGACY = '2025-06-18';
const GROWTH_CALLS = 1200;
/** Flat after warm-up: ±0.6 KB per call; the leak was 9 KB (2026) and 73 KB (2025) in this test. */
const MAX_GROWTH_PER_CALL = 2000;

/** DocSpace answering `people/@self` in-process: no sockets, so nothing but the route holds a request. */
const docspaceFetch: typeof fetch = async () =>
  new Response(
    JSON.stringify({
      response: { id: 'u-1', displayName: 'Test Owner', email: 'owner@example.com' },
      status: 0,
      statusCode: 200,
    }),
    { headers: { 'content-type': 'application/json' } },
  );

function toolCall(era: 'modern' | 'legacy', id: number): RequestInit {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': era === 'modern' ? MODERN : LEGACY,
  };
  const params: Record<string, unknown> = { name: 'get_current_user', arguments: {} };
  if (era === 'modern') {
    headers['mcp-method'] = 'tools/call';
    headers['mcp-name'] = 'get_current_user';
    params._meta = {
      'io.modelcontextprotocol/protocolVersion': MODERN,
      'io.modelcontextprotocol/clientCapabilities': {},
    };
  }
  return {
    method: 'POST',
    headers,
    body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params }),
  };
}

/** The live heap after full collections, with a task between them so finalizers run. */
async function liveHeap(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    gc();
  }
  return process.memoryUsage().heapUsed;
}

describe('/mcp keeps nothing of a finished request', () => {
  let route: McpRoute;
  const app = new Hono<HttpEnv>();

  before(() => {
    const selection = resolveSelection({});
    const factory = createServerFactory({ baseUrl: 'http://docspace.test', selection, fetch: docspaceFetch });
    route = createMcpRoute({
      factory,
      selection,
      authenticate: async () => ({
        credential: { kind: 'apiKey', apiKey: 'test-key' },
        principal: { kind: 'shared' },
      }),
      // Shared principals are never rate limited: the limiter is not called.
      limiter: {} as RateLimiter,
      principalLimit: { name: 'principal', capacity: 1, windowMs: 1000 },
      options: { query: false, headerPrefix: '' },
      maxBodySize: 1_000_000,
      // The default timeout: a pending `AbortSignal.timeout` with a listener is what leaked.
      requestTimeoutMs: 120_000,
      logger: pino({ level: 'silent' }),
    });
    app.post('/mcp', (c) => route.handle(c));
  });
  after(() => route.close());

  for (const era of ['modern', 'legacy'] as const) {
    it(`${era === 'modern' ? MODERN : '2025'} tool calls: the live heap does not grow with the number of calls`, async () => {
      const heapAfter = async (calls: number, from: number) => {
        for (let i = from; i < from + calls; i++) {
          const res = await app.request('http://127.0.0.1/mcp', toolCall(era, i));
          const text = await res.text();
          assert.ok(res.status === 200 && text.includes('Test Owner'), text.slice(0, 300));
        }
        return liveHeap();
      };
      // Warm-up: JIT feedback, caches and the SDK's lazy schemas grow the heap for ~1,000 calls.
      await heapAfter(1000, 1);
      const base = await heapAfter(0, 0);
      const grown = (await heapAfter(GROWTH_CALLS, 2000)) - base;
      assert.ok(
        grown < GROWTH_CALLS * MAX_GROWTH_PER_CALL,
        `live heap grew ${Math.round(grown / GROWTH_CALLS)} B per call`,
      );
    });
  }
});
