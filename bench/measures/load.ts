import { type BenchContext, type Fixtures, pool, sleep } from '../lib/context.js';
import { request } from '../lib/http.js';
import { expectOk, HttpMcp, isOk } from '../lib/mcp.js';
import { sampleProc, startServerProc, watchProc } from '../lib/procs.js';
import { type MeasureResult, row } from '../lib/report.js';
import { MB, mb, ms, round, type Summary, summarize } from '../lib/stats.js';
import { contentFields, FILE_FIELDS, FOLDER_FIELDS, PERSON_FIELDS } from '../../src/tools/shape.js';

/**
 * Throughput and memory: N concurrent clients, each a loop of self-contained 2026-07-28 POSTs
 * over keep-alive connections, with a mix of read tools, for a fixed time. The same mix is run
 * straight against the emulator so its own ceiling sits beside ours.
 */
export interface Call {
  tool: string;
  args: Record<string, unknown>;
  path: string;
}

/**
 * A REST path with the `fields` filter the tool sends, so the emulator-direct request is the
 * same request the tool makes (the fields come from the tools' own lists).
 */
export function withFields(path: string, fields: readonly string[], query: Record<string, number> = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) q.append(k, String(v));
  for (const f of fields) q.append('fields', f);
  return `${path}?${q.toString()}`;
}

/** The mixed read load: five tools in turn, with the REST path each one wraps. */
export function mix(fx: Fixtures, i: number): Call {
  const fileId = fx.fileIds[i % fx.fileIds.length] as number;
  switch (i % 5) {
    case 0:
      return {
        tool: 'get_file_info',
        args: { fileId },
        path: withFields(`files/file/${fileId}`, FILE_FIELDS),
      };
    case 1:
      return {
        tool: 'get_folder_info',
        args: { folderId: fx.folderId },
        path: withFields(`files/folder/${fx.folderId}`, FOLDER_FIELDS),
      };
    case 2:
      return {
        tool: 'get_folder_content',
        args: { folderId: fx.folderId, count: 20 },
        path: withFields(`files/${fx.folderId}`, contentFields(), { startIndex: 0, count: 20 }),
      };
    case 3:
      return {
        tool: 'get_room_info',
        args: { roomId: fx.roomId },
        path: withFields(`files/rooms/${fx.roomId}`, FOLDER_FIELDS),
      };
    default:
      return {
        tool: 'get_current_user',
        args: {},
        path: withFields('people/@self', PERSON_FIELDS),
      };
  }
}

export interface LevelFigures {
  clients: number;
  seconds: number;
  calls: number;
  errors: number;
  firstError?: string;
  callsPerSecond: number;
  latency: Summary;
  /** Server (or emulator, for direct) CPU as % of one core, and its max RSS. */
  cpuPercent: number;
  emulatorCpuPercent: number;
  benchCpuPercent: number;
  maxRss: number;
}

type Target = 'mcp' | 'direct';

async function runLevel(
  target: Target,
  clients: number,
  seconds: number,
  fx: Fixtures,
  mcp: HttpMcp,
  pids: { server: number; emulator: number },
): Promise<LevelFigures> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let counter = 0;
  const serverWatch = watchProc(pids.server);
  const emuWatch = watchProc(pids.emulator);
  const benchCpu = process.cpuUsage();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const headers = { authorization: `Bearer ${fx.apiKey}`, accept: 'application/json' };
  const worker = async () => {
    while (performance.now() < deadline) {
      const call = mix(fx, counter++);
      const t0 = performance.now();
      try {
        if (target === 'mcp') {
          const r = await mcp.callTool(call.tool, call.args);
          if (!isOk(r))
            throw new Error(
              `${call.tool}: HTTP ${r.status} ${r.error?.message ?? JSON.stringify(r.result?.content).slice(0, 200)}`,
            );
        } else {
          const res = await request(`${fx.baseUrl}/api/2.0/${call.path}`, { headers });
          if (res.status !== 200) throw new Error(`${call.path}: HTTP ${res.status}`);
        }
        latencies.push(performance.now() - t0);
      } catch (e) {
        errors++;
        firstError ??= (e as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
  const elapsed = (performance.now() - started) / 1000;
  const s = serverWatch.stop();
  const e = emuWatch.stop();
  const b = process.cpuUsage(benchCpu);
  const watched = target === 'mcp' ? s : e;
  return {
    clients,
    seconds: round(elapsed, 2),
    calls: latencies.length,
    errors,
    firstError,
    callsPerSecond: Math.round(latencies.length / elapsed),
    latency: summarize(latencies),
    cpuPercent: Math.round((s.cpuMs / (elapsed * 1000)) * 100),
    emulatorCpuPercent: Math.round((e.cpuMs / (elapsed * 1000)) * 100),
    benchCpuPercent: Math.round(((b.user + b.system) / 1000 / (elapsed * 1000)) * 100),
    maxRss: watched.maxRss,
  };
}

export async function measureLoad(
  ctx: BenchContext,
  opts: { levels?: number[]; seconds?: number } = {},
): Promise<MeasureResult> {
  const { fx } = ctx;
  const levels = opts.levels ?? (ctx.quick ? [1, 10, 50] : [1, 10, 50, 200]);
  const seconds = opts.seconds ?? (ctx.quick ? 1.5 : 10);
  const server = await startServerProc(
    { DOCSPACE_BASE_URL: fx.baseUrl, DOCSPACE_API_KEY: fx.apiKey },
    [],
    0,
    { heapProbe: true },
  );
  const mcp = new HttpMcp(`${server.url}/mcp`, 'modern');
  const pids = { server: server.pid, emulator: ctx.emulator.pid };
  const memory: Record<string, number> = {};
  const rounds: number[] = [];
  const heapRounds: number[] = [];
  const heap: Record<string, number> = {};
  const mcpLevels: LevelFigures[] = [];
  const directLevels: LevelFigures[] = [];
  try {
    await sleep(1000);
    memory.idle = sampleProc(server.pid).rss;
    heap.idle = (await server.heap()).heapUsed;
    const warm = ctx.quick ? 500 : 5000;
    await pool(warm, 10, async (i) => {
      const c = mix(fx, i);
      expectOk(await mcp.callTool(c.tool, c.args), `warm-up ${c.tool}`);
    });
    await sleep(1000);
    memory.afterWarmup = sampleProc(server.pid).rss;
    heap.afterWarmup = (await server.heap()).heapUsed;
    for (const clients of levels) {
      ctx.progress(`throughput: ${clients} clients through MCP for ${seconds}s`);
      mcpLevels.push(await runLevel('mcp', clients, seconds, fx, mcp, pids));
      ctx.progress(`throughput: ${clients} clients straight to the emulator for ${seconds}s`);
      directLevels.push(await runLevel('direct', clients, seconds, fx, mcp, pids));
    }
    // Steady state: equal rounds of 50-client load; the live heap after each must not climb.
    const perRound = ctx.quick ? 1000 : 10_000;
    for (let r = 0; r < 3; r++) {
      ctx.progress(`memory: round ${r + 1}/3 of ${perRound} calls`);
      await pool(perRound, 50, async (i) => {
        const c = mix(fx, i);
        expectOk(await mcp.callTool(c.tool, c.args), `round ${c.tool}`);
      });
      await sleep(500);
      rounds.push(sampleProc(server.pid).rss);
      heapRounds.push((await server.heap()).heapUsed);
    }
    ctx.progress('memory: settling after load');
    await sleep(ctx.quick ? 2000 : 5000);
    memory.afterLoad = sampleProc(server.pid).rss;
    heap.afterLoad = (await server.heap()).heapUsed;
    memory.afterLoadAndGc = sampleProc(server.pid).rss;
  } finally {
    await server.stop();
  }
  memory.underLoad = Math.max(...mcpLevels.map((l) => l.maxRss));
  // The steady-state rounds come after the levels and can raise RSS past the levels' peak (short
  // quick-mode levels do): "back down" is measured from the highest RSS seen while loaded.
  memory.peak = Math.max(memory.underLoad, ...rounds);
  const at50 = mcpLevels.find((l) => l.clients === 50);
  const direct50 = directLevels.find((l) => l.clients === 50);
  const rows = mcpLevels.map((l, i) => {
    const d = directLevels[i] as LevelFigures;
    return row(
      `Throughput, ${l.clients} client${l.clients > 1 ? 's' : ''} (mixed reads, 2026 HTTP)`,
      l.clients === 50 ? '≥ 2,000 calls/s, 0 errors' : '0 errors',
      `${l.callsPerSecond} calls/s, ${l.errors} errors, p50 ${ms(l.latency.p50)} p99 ${ms(l.latency.p99)}, server CPU ${l.cpuPercent}% = ${ms((l.cpuPercent * 10) / Math.max(1, l.callsPerSecond))}/call, emulator ${l.emulatorCpuPercent}%, load generator ${l.benchCpuPercent}% (emulator direct: ${d.callsPerSecond} req/s)`,
      l.errors === 0 && (l.clients !== 50 || l.callsPerSecond >= 2000),
    );
  });
  const growth = (heapRounds[heapRounds.length - 1] as number) - (heapRounds[0] as number);
  const perRound = ctx.quick ? 1000 : 10_000;
  const perCall = growth / (perRound * (heapRounds.length - 1));
  const afterWarm = memory.afterWarmup as number;
  rows.push(
    row('RSS idle / after warm-up', '—', `${mb(memory.idle as number)} / ${mb(afterWarm)}`),
    row('RSS under load (max, all levels)', '< 150 MB', mb(memory.underLoad), memory.underLoad < 150 * MB),
    row(
      `Live heap after GC, 3 rounds of ${perRoundLabel(ctx.quick)} calls`,
      'nothing grows per request',
      `${heapRounds.map(mb).join(' → ')} (${Math.round(perCall)} B/call; RSS ${rounds.map(mb).join(' → ')})`,
      perCall < 100,
    ),
    row(
      'RSS after load (settled, then after a full GC)',
      'comes back down',
      `${mb(memory.afterLoad as number)} → ${mb(memory.afterLoadAndGc as number)} (peak ${mb(memory.peak)}; live heap ${mb(heap.afterLoad as number)} vs ${mb(heap.afterWarmup as number)} after warm-up)`,
      (memory.afterLoadAndGc as number) < memory.peak,
    ),
  );
  return {
    name: 'load',
    rows,
    data: {
      secondsPerLevel: seconds,
      mcp: mcpLevels,
      emulatorDirect: directLevels,
      memory,
      heapUsed: heap,
      steadyRounds: {
        rss: rounds,
        heapUsed: heapRounds,
        callsPerRound: perRound,
        bytesPerCall: Math.round(perCall),
      },
      at50: at50 && {
        callsPerSecond: at50.callsPerSecond,
        serverCpuMsPerCall: round((at50.cpuPercent * 10) / Math.max(1, at50.callsPerSecond), 3),
        direct: direct50?.callsPerSecond,
      },
    },
  };
}

function perRoundLabel(quick: boolean): string {
  return quick ? '1,000' : '10,000';
}
