import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { HttpServerHandle } from '../../../src/http/start.js';
import { API_KEY, INIT, rpc, startServer } from '../../e2e/transport/helpers.js';

const MB = 1024 * 1024;

/** INIT padded with spaces to exactly `bytes` bytes: valid JSON of a chosen size. */
function paddedInit(bytes: number): Buffer {
  const text = JSON.stringify(INIT);
  return Buffer.from(text + ' '.repeat(bytes - text.length));
}

/** POSTs `body` as JSON; the status, or 'closed' when the server hung up before answering. */
function post(url: string, body: Buffer): Promise<number | 'closed'> {
  return new Promise((resolve) => {
    const req = request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'content-length': String(body.length),
      },
    });
    let status: number | 'closed' = 'closed';
    req.on('response', (res) => {
      res.resume();
      status = res.statusCode ?? 0;
    });
    // The server may close the connection before the whole body was sent (EPIPE, reset): the
    // answer, if one came, still counts. Settled once the request is fully done with.
    req.on('error', () => undefined);
    req.on('socket', (socket) => socket.on('error', () => undefined));
    req.on('close', () => resolve(status));
    req.end(body);
  });
}

describe('large request bodies cannot exhaust the server', () => {
  let oauth: HttpServerHandle;
  let budgeted: HttpServerHandle;
  before(async () => {
    oauth = await startServer({
      DOCSPACE_OAUTH_BASE_URL: 'http://127.0.0.1:9/',
      DOCSPACE_OAUTH_CLIENT_ID: 'app-id',
      DOCSPACE_SECRET: 'f'.repeat(40),
      DOCSPACE_SERVER_RATE_LIMITS_MCP_CAPACITY: '0',
    });
    budgeted = await startServer({
      DOCSPACE_API_KEY: API_KEY,
      DOCSPACE_MAX_BODY_SIZE: String(4 * MB),
      DOCSPACE_MAX_BODY_IN_FLIGHT: String(6 * MB),
    });
  });
  after(async () => {
    await oauth.close();
    await budgeted.close();
  });

  it('eight concurrent 40 MB unauthenticated POSTs are refused unread: RSS stays flat, /healthz stays fast', async () => {
    const body = paddedInit(40 * MB);
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    let slowest = 0;
    let probing = true;
    const probes = (async () => {
      while (probing) {
        const started = performance.now();
        const res = await fetch(`${oauth.url}/healthz`);
        await res.body?.cancel();
        slowest = Math.max(slowest, performance.now() - started);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    // node:http writes the one buffer as it is (fetch would copy it per request, and this
    // process's RSS is the server's too).
    const statuses = await Promise.all(Array.from({ length: 8 }, () => post(`${oauth.url}/mcp`, body)));
    probing = false;
    await probes;
    clearInterval(sampler);
    for (const s of statuses) assert.ok(s === 401 || s === 'closed', `refused, got ${s}`);
    const grew = (peak - baseline) / MB;
    assert.ok(grew < 150, `RSS grew by ${grew.toFixed(0)} MB while refusing 320 MB of bodies`);
    assert.ok(slowest < 1000, `/healthz took ${slowest.toFixed(0)} ms during the flood`);
  });

  it('body bytes in flight are bounded across requests: 503 beyond the budget, served again once it frees', async () => {
    const size = 4 * MB - 1024;
    const held = paddedInit(size);
    // A request that declared 4 MB and sends it slowly holds that much of the 6 MB budget.
    let answer!: Promise<number>;
    const holding = request(`${budgeted.url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'content-length': String(size),
      },
    });
    answer = new Promise((resolve, reject) => {
      holding.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      holding.on('error', reject);
    });
    holding.write(held.subarray(0, 1024));
    await new Promise((r) => setTimeout(r, 200));

    const refused = await rpc(`${budgeted.url}/mcp`, paddedInit(size).toString());
    assert.equal(refused.status, 503);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    const message = ((await refused.json()) as { error: { message: string } }).error.message;
    assert.match(message, /too much request data at once/);

    const small = await rpc(`${budgeted.url}/mcp`, INIT);
    assert.equal(small.status, 200, 'a small request still fits');
    await small.body?.cancel();

    holding.end(held.subarray(1024));
    assert.equal(await answer, 200);
    const later = await rpc(`${budgeted.url}/mcp`, paddedInit(size).toString());
    assert.equal(later.status, 200, 'the budget was given back');
    await later.body?.cancel();
  });
});
