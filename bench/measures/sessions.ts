import http from 'node:http';
import type { BenchContext } from '../lib/context.js';
import { request } from '../lib/http.js';
import { startServerProc } from '../lib/procs.js';
import { type MeasureResult, row } from '../lib/report.js';
import { kb, mb } from '../lib/stats.js';

/**
 * Memory per session. `/mcp` keeps none on either era (each POST stands alone), so the one
 * sessionful leg is the deprecated HTTP+SSE transport (`GET /sse` + `POST /messages`), which
 * 2024 clients still use: open N sessions, initialize each, and compare the live heap.
 */
function openSse(url: string, auth: string): Promise<{ endpoint: string; close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      url,
      { headers: { accept: 'text/event-stream', authorization: `Bearer ${auth}` } },
      (res) => {
        if (res.statusCode !== 200) return reject(new Error(`GET /sse: HTTP ${res.statusCode}`));
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          const m = /event: endpoint\ndata: (\S+)\n/.exec(buffer);
          if (m) {
            buffer = '';
            resolve({ endpoint: m[1] as string, close: () => req.destroy() });
          }
        });
      },
    );
    req.on('error', reject);
  });
}

export async function measureSessions(
  ctx: BenchContext,
  opts: { sessions?: number } = {},
): Promise<MeasureResult> {
  const { fx } = ctx;
  const n = opts.sessions ?? (ctx.quick ? 50 : 200);
  const server = await startServerProc(
    { DOCSPACE_BASE_URL: fx.baseUrl, DOCSPACE_API_KEY: fx.apiKey, DOCSPACE_TRANSPORT: 'http' },
    [],
    0,
    { heapProbe: true },
  );
  const open: { close: () => void }[] = [];
  try {
    const before = await server.heap();
    ctx.progress(`sessions: opening ${n} legacy SSE sessions`);
    for (let i = 0; i < n; i++) {
      const s = await openSse(`${server.url}/sse`, fx.apiKey);
      open.push(s);
      const init = JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2024-11-05',
          capabilities: {},
          clientInfo: { name: 'bench', version: '1' },
        },
      });
      const post = await request(new URL(s.endpoint, server.url).toString(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${fx.apiKey}` },
        body: init,
      });
      if (post.status !== 202 && post.status !== 200) throw new Error(`POST /messages: HTTP ${post.status}`);
    }
    const withSessions = await server.heap();
    for (const s of open) s.close();
    open.length = 0;
    await new Promise((r) => setTimeout(r, 500));
    const after = await server.heap();
    const perSession = (withSessions.heapUsed - before.heapUsed) / n;
    return {
      name: 'sessions',
      rows: [
        row('Sessions on /mcp (both eras)', '—', 'none kept: every POST stands alone'),
        row(
          `Memory per legacy SSE session (${n} open)`,
          '—',
          `${kb(perSession)} live heap each; heap ${mb(before.heapUsed)} → ${mb(withSessions.heapUsed)} → ${mb(after.heapUsed)} after closing`,
        ),
      ],
      data: {
        sessions: n,
        heapBefore: before.heapUsed,
        heapWith: withSessions.heapUsed,
        heapAfterClose: after.heapUsed,
        rssWith: withSessions.rss,
        bytesPerSession: Math.round(perSession),
      },
    };
  } finally {
    for (const s of open) s.close();
    await server.stop();
  }
}
