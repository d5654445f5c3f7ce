import type { BenchContext } from '../lib/context.js';
import { request } from '../lib/http.js';
import { expectOk, HttpMcp } from '../lib/mcp.js';
import { CLI, sampleProc, startServerProc } from '../lib/procs.js';
import { type MeasureResult, row } from '../lib/report.js';
import { ms, round, type Summary, signedMs, summarize } from '../lib/stats.js';
import { StdioMcp } from '../lib/stdio.js';
import { contentFields, FILE_FIELDS } from '../../src/tools/shape.js';
import { withFields } from './load.js';

/**
 * Overhead per tool call: the DocSpace request a tool makes, timed straight against the
 * emulator, and the same tool through MCP on each leg. Samples are interleaved (direct, 2026,
 * 2025, stdio, direct, …) so drift and GC hit every leg alike.
 */
interface Case {
  tool: string;
  args: Record<string, unknown>;
  /** The REST path the tool requests (what the emulator-direct leg times). */
  path: string;
}

type Leg = 'direct' | 'http-2026' | 'http-2025' | 'stdio';
const LEGS: Leg[] = ['direct', 'http-2026', 'http-2025', 'stdio'];

export interface LegFigures {
  latency: Summary;
  /** This leg minus direct, per percentile (ms). */
  overhead?: { p50: number; p95: number; p99: number };
  /** This leg's p50 over direct's p50. */
  ratio?: number;
}

export async function measureOverhead(
  ctx: BenchContext,
  opts: { samples?: number; legs?: Leg[] } = {},
): Promise<MeasureResult> {
  const { fx } = ctx;
  const samples = opts.samples ?? (ctx.quick ? 150 : 2000);
  const legs = opts.legs ?? LEGS;
  const env = { DOCSPACE_BASE_URL: fx.baseUrl, DOCSPACE_API_KEY: fx.apiKey };
  const server = await startServerProc(env);
  const stdio = legs.includes('stdio') ? new StdioMcp(CLI, env) : undefined;
  const modern = new HttpMcp(`${server.url}/mcp`, 'modern');
  // A 2025 client as clients behave: one session (the default `DOCSPACE_HTTP_SESSIONS=stateful`).
  const legacy = new HttpMcp(`${server.url}/mcp`, 'session');
  expectOk(await legacy.initialize(), '2025 initialize');
  const cases: Case[] = [
    {
      tool: 'get_file_info',
      args: { fileId: fx.fileIds[0] },
      path: withFields(`files/file/${fx.fileIds[0]}`, FILE_FIELDS),
    },
    {
      tool: 'get_folder_content',
      args: { folderId: fx.folderId, count: 50 },
      path: withFields(`files/${fx.folderId}`, contentFields(), { startIndex: 0, count: 50 }),
    },
  ];
  const headers = { authorization: `Bearer ${fx.apiKey}`, accept: 'application/json' };
  const out: Record<string, Record<string, LegFigures>> = {};
  const cpu: Record<
    string,
    {
      calls: number;
      serverMsPerCall: number;
      /** The same on the 2025 leg (a session client). */
      serverMsPerCall2025: number;
      emulatorMsPerCallViaServer: number;
      emulatorMsPerDirectRequest: number;
    }
  > = {};
  const rows = [];
  try {
    for (const c of cases) {
      const once: Record<Leg, () => Promise<void>> = {
        direct: async () => {
          const res = await request(`${fx.baseUrl}/api/2.0/${c.path}`, { headers });
          if (res.status !== 200) throw new Error(`direct ${c.path}: HTTP ${res.status}`);
        },
        'http-2026': async () => void expectOk(await modern.callTool(c.tool, c.args), `${c.tool} (2026)`),
        'http-2025': async () => void expectOk(await legacy.callTool(c.tool, c.args), `${c.tool} (2025)`),
        stdio: async () => {
          const r = await (stdio as StdioMcp).callTool(c.tool, c.args);
          if (r.error || r.result?.isError)
            throw new Error(`${c.tool} (stdio): ${r.error?.message ?? JSON.stringify(r.result?.content)}`);
        },
      };
      const times: Record<string, number[]> = Object.fromEntries(legs.map((l) => [l, []]));
      const warmup = Math.max(30, Math.round(samples / 10));
      for (let i = 0; i < warmup + samples; i++) {
        if (i % 100 === 0) ctx.progress(`overhead ${c.tool} ${Math.max(0, i - warmup)}/${samples}`);
        for (const leg of legs) {
          const t0 = performance.now();
          await once[leg]();
          if (i >= warmup) (times[leg] as number[]).push(performance.now() - t0);
        }
      }
      const direct = summarize(times.direct as number[]);
      const figures: Record<string, LegFigures> = { direct: { latency: direct } };
      for (const leg of legs.filter((l) => l !== 'direct')) {
        const s = summarize(times[leg] as number[]);
        figures[leg] = {
          latency: s,
          overhead: {
            p50: round(s.p50 - direct.p50),
            p95: round(s.p95 - direct.p95),
            p99: round(s.p99 - direct.p99),
          },
          ratio: round(s.p50 / direct.p50, 2),
        };
      }
      // CPU per call does not depend on what else the machine runs, unlike latency: measure it
      // on the 2026 leg alone, for the server and for the emulator behind it.
      const cpuCalls = Math.max(100, Math.round(samples / 2));
      const s0 = sampleProc(server.pid);
      const e0 = sampleProc(ctx.emulator.pid);
      for (let i = 0; i < cpuCalls; i++) await once['http-2026']();
      const s1 = sampleProc(server.pid);
      const e1 = sampleProc(ctx.emulator.pid);
      const d0 = sampleProc(ctx.emulator.pid);
      for (let i = 0; i < cpuCalls; i++) await once.direct();
      const d1 = sampleProc(ctx.emulator.pid);
      const l0 = sampleProc(server.pid);
      for (let i = 0; i < cpuCalls; i++) await once['http-2025']();
      const l1 = sampleProc(server.pid);
      cpu[c.tool] = {
        calls: cpuCalls,
        serverMsPerCall: round((s1.cpuMs - s0.cpuMs) / cpuCalls),
        serverMsPerCall2025: round((l1.cpuMs - l0.cpuMs) / cpuCalls),
        emulatorMsPerCallViaServer: round((e1.cpuMs - e0.cpuMs) / cpuCalls),
        emulatorMsPerDirectRequest: round((d1.cpuMs - d0.cpuMs) / cpuCalls),
      };
      out[c.tool] = figures;
      for (const leg of legs.filter((l) => l !== 'direct')) {
        const f = figures[leg] as LegFigures;
        const o = f.overhead as { p50: number; p95: number; p99: number };
        rows.push(
          row(
            `Overhead ${c.tool}${c.tool === 'get_folder_content' ? ' (50 items)' : ''}, ${leg}`,
            'p50 < 1 ms',
            `p50 ${signedMs(o.p50)} (p95 ${signedMs(o.p95)}, p99 ${signedMs(o.p99)}); ${ms(f.latency.p50)} vs direct ${ms(direct.p50)}, ×${f.ratio}`,
            o.p50 < 1,
          ),
        );
      }
      const k = cpu[c.tool] as (typeof cpu)[string];
      rows.push(
        row(
          `Server CPU per ${c.tool} call, 1 client (2026 HTTP / 2025 session)`,
          '—',
          `${ms(k.serverMsPerCall)} / ${ms(k.serverMsPerCall2025)} (emulator: ${ms(k.emulatorMsPerCallViaServer)} per call via the server, ${ms(k.emulatorMsPerDirectRequest)} per direct request)`,
        ),
      );
    }
  } finally {
    await legacy.close().catch(() => undefined);
    await stdio?.close();
    await server.stop();
  }
  return { name: 'overhead', rows, data: { samplesPerLeg: samples, cases: out, cpu } };
}
