import { spawn } from 'node:child_process';
import type { BenchContext } from '../lib/context.js';
import { expectOk, HttpMcp } from '../lib/mcp.js';
import { CLI, startServerProc } from '../lib/procs.js';
import { type MeasureResult, row } from '../lib/report.js';
import { KB, kb, ms, type Summary, summarize } from '../lib/stats.js';
import { StdioMcp } from '../lib/stdio.js';

/** Cold start: process spawn to the first successful `tools/list` answer. */
export async function measureColdStart(
  ctx: BenchContext,
  opts: { runs?: number } = {},
): Promise<MeasureResult> {
  const runs = opts.runs ?? (ctx.quick ? 3 : 15);
  const env = { DOCSPACE_BASE_URL: ctx.fx.baseUrl, DOCSPACE_API_KEY: ctx.fx.apiKey };
  const stdio: number[] = [];
  const http: number[] = [];
  const httpListening: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    ctx.progress(`cold start ${i + 1}/${runs}`);
    bare.push(await bareNode());
    const s = new StdioMcp(CLI, env);
    const r = await s.rpc('tools/list');
    if (r.error || !Array.isArray(r.result?.tools))
      throw new Error(`stdio tools/list failed: ${r.error?.message}`);
    stdio.push(performance.now() - s.spawnedAt);
    await s.close();
    const server = await startServerProc(env);
    try {
      expectOk(await new HttpMcp(`${server.url}/mcp`, 'modern').listTools(), 'HTTP tools/list');
      http.push(performance.now() - server.spawnedAt);
      httpListening.push(server.listeningAt - server.spawnedAt);
    } finally {
      await server.stop();
    }
  }
  const figures = {
    stdio: summarize(stdio),
    http: summarize(http),
    httpListening: summarize(httpListening),
    bareNode: summarize(bare),
  };
  const describe = (s: Summary) => `p50 ${ms(s.p50)} (p95 ${ms(s.p95)}, max ${ms(s.max)}, n=${s.n})`;
  return {
    name: 'coldStart',
    rows: [
      row(
        'Cold start to first tools/list, stdio',
        '< 300 ms',
        describe(figures.stdio),
        figures.stdio.p50 < 300,
      ),
      row('Cold start to first tools/list, HTTP', '< 300 ms', describe(figures.http), figures.http.p50 < 300),
      row('  of which: bare `node -e ""` start', '—', describe(figures.bareNode)),
    ],
    data: figures,
  };
}

/** What Node itself costs to start and exit on this machine: the floor under any cold start. */
function bareNode(): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    child.on('exit', () => resolve(performance.now() - t0));
    child.on('error', reject);
  });
}

/** `tools/list` size, per tool selection, over stdio (the bytes of the JSON-RPC answer line). */
export async function measureToolsList(ctx: BenchContext): Promise<MeasureResult> {
  const base = { DOCSPACE_BASE_URL: ctx.fx.baseUrl, DOCSPACE_API_KEY: ctx.fx.apiKey };
  const variants: [string, Record<string, string>][] = [
    ['every tool (the default: all toolsets)', {}],
    ['read-only', { DOCSPACE_READ_ONLY: 'true' }],
    ['dynamic mode (meta tools)', { DOCSPACE_DYNAMIC: 'true' }],
  ];
  const data: Record<string, { bytes: number; tools: number; tokensApprox: number }> = {};
  const rows = [];
  for (const [label, env] of variants) {
    ctx.progress(`tools/list size: ${label}`);
    const s = new StdioMcp(CLI, { ...base, ...env });
    try {
      const r = await s.rpc('tools/list');
      const tools = r.result?.tools;
      if (!Array.isArray(tools)) throw new Error(`tools/list (${label}) failed: ${r.error?.message}`);
      // The whole JSON-RPC answer as it crosses the wire (the stricter of answer and result).
      const bytes = r.bytes;
      data[label] = { bytes, tools: tools.length, tokensApprox: Math.round(bytes / 4) };
      const budget = label.startsWith('every') ? '< 25 KB' : '—';
      rows.push(
        row(
          `tools/list, ${label}`,
          budget,
          `${kb(bytes)} (${bytes} B, ${tools.length} tools, ≈${Math.round(bytes / 4)} tokens at bytes/4)`,
          label.startsWith('every') ? bytes < 25 * KB : null,
        ),
      );
    } finally {
      await s.close();
    }
  }
  return { name: 'toolsList', rows, data };
}
