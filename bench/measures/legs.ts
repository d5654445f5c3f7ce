import { type BenchContext, sleep } from '../lib/context.js';
import { type Era, expectOk, HttpMcp } from '../lib/mcp.js';
import { sampleProc, startServerProc, watchProc } from '../lib/procs.js';
import { type MeasureResult, row } from '../lib/report.js';
import { MB, mb, ms, round } from '../lib/stats.js';

/**
 * The issue-20 figures, per protocol leg: 50 clients, each on its own keep-alive connection,
 * calling `get_file_info` (then `get_folder_content` of 50 items) as fast as answers come, on a
 * fresh server per leg so its RSS belongs to that leg alone. The 2025 leg is a client as clients
 * behave: `initialize`, then every call in its session (`Mcp-Session-Id`). Reported: calls/s,
 * the server's CPU per call (from /proc, whatever else the machine runs), its peak RSS, and
 * RSS after each of three equal rounds (flat = no growth with load).
 */
const LEGS: { era: Era; label: string }[] = [
  { era: 'modern', label: '2026-07-28' },
  { era: 'session', label: '2025 (session)' },
];

export interface LegFigures {
  leg: string;
  clients: number;
  file: { calls: number; seconds: number; callsPerSecond: number; cpuMsPerCall: number };
  folder50: { calls: number; cpuMsPerCall: number };
  maxRss: number;
  roundRss: number[];
}

export async function measureLegs(
  ctx: BenchContext,
  opts: { clients?: number; rounds?: number; callsPerRound?: number } = {},
): Promise<MeasureResult> {
  const { fx } = ctx;
  const clients = opts.clients ?? 50;
  const rounds = opts.rounds ?? 3;
  const perRound = opts.callsPerRound ?? (ctx.quick ? 1000 : 6000);
  const folderCalls = ctx.quick ? 300 : 2000;
  const env = { DOCSPACE_BASE_URL: fx.baseUrl, DOCSPACE_API_KEY: fx.apiKey };
  const figures: LegFigures[] = [];
  for (const { era, label } of LEGS) {
    const server = await startServerProc(env);
    try {
      const connections: HttpMcp[] = [];
      for (let i = 0; i < clients; i++) {
        const mcp = new HttpMcp(`${server.url}/mcp`, era);
        if (era !== 'modern') expectOk(await mcp.initialize(), `${label} initialize`);
        connections.push(mcp);
      }
      const drive = async (count: number, call: (mcp: HttpMcp, i: number) => Promise<void>) => {
        let next = 0;
        await Promise.all(
          connections.map(async (mcp) => {
            while (next < count) await call(mcp, next++);
          }),
        );
      };
      const file = async (mcp: HttpMcp, i: number) => {
        const fileId = fx.fileIds[i % fx.fileIds.length];
        expectOk(await mcp.callTool('get_file_info', { fileId }), `get_file_info (${label})`);
      };
      const folder = async (mcp: HttpMcp) => {
        const args = { folderId: fx.folderId, count: 50 };
        expectOk(await mcp.callTool('get_folder_content', args), `get_folder_content (${label})`);
      };
      ctx.progress(`legs: ${label} warm-up`);
      await drive(ctx.quick ? 300 : 2000, file);
      await drive(ctx.quick ? 100 : 500, folder);
      await sleep(500);
      const watch = watchProc(server.pid);
      const roundRss: number[] = [];
      let calls = 0;
      const started = performance.now();
      for (let r = 0; r < rounds; r++) {
        ctx.progress(`legs: ${label}, round ${r + 1}/${rounds} of ${perRound} get_file_info calls`);
        await drive(perRound, file);
        calls += perRound;
        roundRss.push(sampleProc(server.pid).rss);
      }
      const seconds = (performance.now() - started) / 1000;
      const fileCpu = watch.stop();
      ctx.progress(`legs: ${label}, ${folderCalls} get_folder_content (50 items) calls`);
      const f0 = sampleProc(server.pid).cpuMs;
      await drive(folderCalls, folder);
      const folderCpu = sampleProc(server.pid).cpuMs - f0;
      figures.push({
        leg: label,
        clients,
        file: {
          calls,
          seconds: round(seconds, 2),
          callsPerSecond: Math.round(calls / seconds),
          cpuMsPerCall: round(fileCpu.cpuMs / calls, 3),
        },
        folder50: { calls: folderCalls, cpuMsPerCall: round(folderCpu / folderCalls, 3) },
        maxRss: Math.max(fileCpu.maxRss, sampleProc(server.pid).rss),
        roundRss,
      });
      await Promise.all(connections.map((c) => c.close().catch(() => undefined)));
    } finally {
      await server.stop();
    }
  }
  const rows = [];
  for (const f of figures) {
    rows.push(
      row(
        `get_file_info, ${f.clients} clients, ${f.leg}: server CPU per call`,
        '≤ 0.6 ms',
        `${ms(f.file.cpuMsPerCall)} (${f.file.callsPerSecond} calls/s, ${f.file.calls} calls)`,
        f.file.cpuMsPerCall <= 0.6,
      ),
      row(
        `get_folder_content (50 items), ${f.clients} clients, ${f.leg}: server CPU per call`,
        '≤ 0.9 ms',
        ms(f.folder50.cpuMsPerCall),
        f.folder50.cpuMsPerCall <= 0.9,
      ),
      row(
        `RSS under ${f.clients}-client load, ${f.leg}`,
        '≤ 150 MB, flat across rounds',
        `peak ${mb(f.maxRss)}; after each round ${f.roundRss.map(mb).join(' → ')}`,
        f.maxRss <= 150 * MB && isFlat(f.roundRss),
      ),
    );
  }
  const modern = figures.find((f) => f.leg === '2026-07-28');
  const legacy = figures.find((f) => f.leg !== '2026-07-28');
  if (modern && legacy) {
    const ratio = legacy.file.cpuMsPerCall / modern.file.cpuMsPerCall;
    rows.push(
      row(
        'get_file_info CPU per call, 2025 leg / 2026 leg',
        '≤ ×1.15',
        `×${ratio.toFixed(2)} (same run; bench/ab.js . --leg session --other-leg modern interleaves them)`,
        ratio <= 1.15,
      ),
    );
  }
  return { name: 'legs', rows, data: { clients, rounds, callsPerRound: perRound, legs: figures } };
}

/** RSS after the last round within 10 % (or 10 MB) of the first: load does not make it climb. */
function isFlat(rss: number[]): boolean {
  const first = rss[0] ?? 0;
  const last = rss[rss.length - 1] ?? 0;
  return last - first <= Math.max(10 * MB, first * 0.1);
}
