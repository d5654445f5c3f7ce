import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { HttpServerHandle } from '../../../src/http/start.js';
import { API_KEY, INIT, rpc, startServer } from '../../e2e/transport/helpers.js';

/** A raw request, because fetch will not let a test forge the Host header. */
function rawPost(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('HTTP guards', () => {
  let server: HttpServerHandle;
  let mcp: string;
  before(async () => {
    server = await startServer({
      DOCSPACE_API_KEY: API_KEY,
      DOCSPACE_MAX_BODY_SIZE: '64KB',
      DOCSPACE_SERVER_RATE_LIMITS_MCP_CAPACITY: '20',
      DOCSPACE_SERVER_RATE_LIMITS_MCP_WINDOW: '60000',
    });
    mcp = `${server.url}/mcp`;
  });
  after(() => server.close());

  it('refuses a foreign Host with 403 and a JSON-RPC body (DNS rebinding)', async () => {
    const res = await rawPost(mcp, { host: 'evil.example.com' }, JSON.stringify(INIT));
    assert.equal(res.status, 403);
    const body = JSON.parse(res.body);
    assert.equal(body.jsonrpc, '2.0');
    assert.match(body.error.message, /evil\.example\.com/);
  });

  it('accepts the loopback Host with a port', async () => {
    const res = await rawPost(mcp, { host: `localhost:${server.port}` }, JSON.stringify(INIT));
    assert.equal(res.status, 200);
  });

  it('refuses a cross-site Origin with 403 but lets a loopback origin through with CORS headers', async () => {
    const bad = await rpc(mcp, INIT, { origin: 'https://evil.example.com' });
    assert.equal(bad.status, 403);
    const good = await rpc(mcp, INIT, { origin: 'http://localhost:6274' });
    assert.equal(good.status, 200);
    assert.equal(good.headers.get('access-control-allow-origin'), '*');
    const exposed = good.headers.get('access-control-expose-headers') ?? '';
    for (const h of [
      'WWW-Authenticate',
      'Mcp-Protocol-Version',
      'Mcp-Session-Id',
      'RateLimit-Remaining',
      'Retry-After',
    ]) {
      assert.ok(exposed.includes(h), `${h} exposed`);
    }
  });

  // Browsers send `Origin: null` on a page's own form post under some referrer policies; only
  // `Sec-Fetch-Site: same-origin` (set by the browser, never by a page) vouches for it.
  for (const [fetchSite, status] of [
    ['same-origin', 200],
    ['cross-site', 403],
    ['same-site', 403],
    [undefined, 403],
  ] as const) {
    it(`Origin: null with Sec-Fetch-Site ${fetchSite ?? '(absent)'} → ${status}`, async () => {
      const headers: Record<string, string> = { origin: 'null', authorization: `Bearer ${API_KEY}` };
      if (fetchSite) headers['sec-fetch-site'] = fetchSite;
      const res = await rawPost(mcp, headers, JSON.stringify(INIT));
      assert.equal(res.status, status, res.body);
    });
  }

  it('a refused browser navigation gets a page with the reference that the log line carries', async () => {
    const res = await fetch(`${server.url}/mcp`, {
      headers: { origin: 'https://evil.example', accept: 'text/html', 'x-request-id': 'ref-guard-1' },
    });
    assert.equal(res.status, 403);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    const html = await res.text();
    assert.match(html, /ref-guard-1/);
    assert.match(html, /evil\.example/);
  });

  it('answers a CORS preflight from an allowed origin', async () => {
    const res = await fetch(mcp, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://127.0.0.1:3000',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'mcp-protocol-version',
      },
    });
    assert.equal(res.status, 204);
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);
  });

  it('refuses an oversized body with 413 before parsing it', async () => {
    const huge = JSON.stringify({ ...INIT, params: { ...INIT.params, pad: 'x'.repeat(100 * 1024) } });
    const res = await rpc(mcp, huge);
    assert.equal(res.status, 413);
    assert.equal(((await res.json()) as { jsonrpc: string }).jsonrpc, '2.0');
  });

  it('answers a flood with 429 and Retry-After, and counts it in /metrics', async () => {
    let refused: Response | undefined;
    for (let i = 0; i < 30 && !refused; i++) {
      const res = await rpc(
        mcp,
        { jsonrpc: '2.0', id: i, method: 'tools/list' },
        { 'mcp-protocol-version': '2025-06-18' },
      );
      if (res.status === 429) refused = res;
      else {
        // Answers that pass carry the limit's state and the request id, set once on the way out.
        assert.equal(res.status, 200);
        assert.match(res.headers.get('ratelimit-remaining') ?? '', /^\d+$/);
        assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
        assert.match(await res.text(), /"jsonrpc":"2.0"/);
      }
    }
    assert.ok(refused, 'a request was refused');
    const retry = Number(refused.headers.get('retry-after'));
    assert.ok(retry >= 1 && retry <= 60, `Retry-After ${retry}`);
    assert.equal(refused.headers.get('ratelimit-remaining'), '0');
    assert.equal(((await refused.json()) as { error: { code: number } }).error.code, -32000);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, /docspace_mcp_rate_limited_total\{limit="mcp"\} \d+/);
  });

  it('answers unknown routes 404 and wrong methods 405 in JSON', async () => {
    const missing = await fetch(`${server.url}/nowhere`);
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('content-type'), 'application/json');
    const wrong = await fetch(`${server.url}/healthz`, { method: 'POST' });
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET');
  });

  it('echoes a sane X-Request-ID and makes one otherwise', async () => {
    const given = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
    assert.equal(given.headers.get('x-request-id'), 'abc-123');
    const made = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'bad id\twith junk' } });
    assert.match(made.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });
});

describe('trusted proxy hops', () => {
  for (const hops of [0, 1]) {
    it(`${hops ? 'trusts' : 'ignores'} X-Forwarded-For with DOCSPACE_SERVER_PROXY_HOPS=${hops}`, async () => {
      const server = await startServer({
        DOCSPACE_API_KEY: API_KEY,
        DOCSPACE_SERVER_PROXY_HOPS: String(hops),
        DOCSPACE_SERVER_RATE_LIMITS_MCP_CAPACITY: '2',
        DOCSPACE_SERVER_RATE_LIMITS_MCP_WINDOW: '60000',
      });
      try {
        const statusFrom = async (ip: string) => {
          const res = await rpc(`${server.url}/mcp`, INIT, { 'x-forwarded-for': ip });
          await res.body?.cancel();
          return res.status;
        };
        assert.equal(await statusFrom('203.0.113.1'), 200);
        assert.equal(await statusFrom('203.0.113.1'), 200);
        assert.equal(await statusFrom('203.0.113.1'), 429);
        // Behind a trusted proxy another client has its own budget; without one, the header is a lie.
        assert.equal(await statusFrom('203.0.113.2'), hops ? 200 : 429);
      } finally {
        await server.close();
      }
    });
  }
});
