// `node dist/bench/ab.js <other checkout> [--clients 20] [--calls 3000] [--rounds 4]
// [--other-env '{"DOCSPACE_LOG_LEVEL":"warn"}'] [--load mix|file|folder50]
// [--leg modern|legacy|session] [--other-leg modern|legacy|session]`: the same
// load through this build's server and another build's (a checkout of another commit,
// built), in interleaved rounds against one emulator, and the server CPU per call and calls/s of
// each. On a shared 2-core VM the speed of the machine drifts by up to 2× within an hour, so two
// separate `npm run bench` runs cannot tell a 10 % change apart; interleaving can. `.` as the other
// checkout with `--other-env` compares a setting on this build; with `--other-leg` it compares
// two protocol legs of this build (e.g. `--leg session --other-leg modern`: the 2025 leg against
// the 2026 one). `--load`: the mixed read load (default), `get_file_info` alone, or
// `get_folder_content` of 50 items alone. Legs: `modern` 2026-07-28; `session` a 2025 client
// keeping its `Mcp-Session-Id` (each client its own session); `legacy` 2025 without a session.
import { existsSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { discoverFixtures } from './lib/context.js';
import { closeAgent } from './lib/http.js';
import { type Era, expectOk, HttpMcp } from './lib/mcp.js';
import {
  NO_RATE_LIMITS,
  type ServerProc,
  sampleProc,
  startEmulatorProc,
  startServerProc,
} from './lib/procs.js';
import { summarize } from './lib/stats.js';
import { mix } from './measures/load.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} takes a positive whole number`);
  return value;
}

const other = process.argv[2];
if (!other || other.startsWith('--')) {
  process.stderr.write(
    'usage: node dist/bench/ab.js <other checkout> [--clients N] [--calls N] [--rounds N] [--other-env JSON]\n',
  );
  process.exit(2);
}
const otherCli = join(resolve(other), 'dist', 'src', 'cli.js');
if (!existsSync(otherCli)) {
  process.stderr.write(`${otherCli} does not exist: build that checkout first (npm ci && npm run build).\n`);
  process.exit(2);
}
const clients = flag('clients', 20);
const calls = flag('calls', 3000);
const rounds = flag('rounds', 4);
const otherEnv = parseOtherEnv();
const leg = choice('leg', ['modern', 'legacy', 'session'], 'modern') as Era;
const otherLeg = choice('other-leg', ['modern', 'legacy', 'session'], leg) as Era;
const load = choice('load', ['mix', 'file', 'folder50'], 'mix');

function choice(name: string, allowed: string[], fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = process.argv[i + 1] ?? '';
  if (!allowed.includes(value)) {
    process.stderr.write(`--${name} takes one of ${allowed.join(', ')}\n`);
    process.exit(2);
  }
  return value;
}

const emulator = await startEmulatorProc(600);
const servers: { name: string; proc: ServerProc; leg: Era; cpu: number[]; rate: number[] }[] = [];
try {
  const fx = await discoverFixtures(emulator);
  const env = { DOCSPACE_BASE_URL: fx.baseUrl, DOCSPACE_API_KEY: fx.apiKey, ...NO_RATE_LIMITS };
  const legName = (l: Era) => (leg === otherLeg ? '' : ` (${l})`);
  servers.push({
    name: `this build${legName(leg)}`,
    proc: await startServerProc(env),
    leg,
    cpu: [],
    rate: [],
  });
  servers.push({
    name: `${Object.keys(otherEnv).length > 0 ? `${other} ${JSON.stringify(otherEnv)}` : other}${legName(otherLeg)}`,
    proc: await startServerProc({ ...env, ...otherEnv }, [], 0, { cli: otherCli }),
    leg: otherLeg,
    cpu: [],
    rate: [],
  });

  const pick = (i: number): { tool: string; args: Record<string, unknown> } => {
    if (load === 'file')
      return { tool: 'get_file_info', args: { fileId: fx.fileIds[i % fx.fileIds.length] } };
    if (load === 'folder50')
      return { tool: 'get_folder_content', args: { folderId: fx.folderId, count: 50 } };
    return mix(fx, i);
  };
  // One client per worker, opened (a 2025 session's `initialize`) before the clock starts and
  // kept for every round, as a client keeps its connection.
  const connected = new Map<ServerProc, HttpMcp[]>();
  const clientsOf = async (s: (typeof servers)[0]) => {
    let list = connected.get(s.proc);
    if (!list) {
      list = [];
      for (let i = 0; i < clients; i++) {
        const mcp = new HttpMcp(`${s.proc.url}/mcp`, s.leg);
        if (s.leg !== 'modern') expectOk(await mcp.initialize(), '2025 initialize');
        list.push(mcp);
      }
      connected.set(s.proc, list);
    }
    return list;
  };
  const round = async (s: (typeof servers)[0], count: number) => {
    const list = await clientsOf(s);
    const before = sampleProc(s.proc.pid).cpuMs;
    const started = performance.now();
    let next = 0;
    const worker = async (mcp: HttpMcp) => {
      while (next < count) {
        const c = pick(next++);
        expectOk(await mcp.callTool(c.tool, c.args), c.tool);
      }
    };
    await Promise.all(list.map(worker));
    return {
      cpu: (sampleProc(s.proc.pid).cpuMs - before) / count,
      rate: count / ((performance.now() - started) / 1000),
    };
  };
  // Warm-up: JIT and caches, untimed.
  for (const s of servers) await round(s, Math.min(1500, calls));
  for (let r = 0; r < rounds; r++) {
    // ABBA order, so a machine slowing down or speeding up hits both alike.
    const order = r % 2 === 0 ? servers : [...servers].reverse();
    for (const s of order) {
      process.stderr.write(`[round ${r + 1}/${rounds}] ${s.name}\n`);
      const got = await round(s, calls);
      s.cpu.push(got.cpu);
      s.rate.push(got.rate);
    }
  }
  const what = { mix: 'mixed read', file: 'get_file_info', folder50: 'get_folder_content (50 items)' }[load];
  process.stdout.write(
    `\n${clients} clients, ${rounds} rounds of ${calls} ${what} calls each; load average ${os.loadavg()[0]?.toFixed(2)} at the end\n`,
  );
  for (const s of servers) {
    const cpu = summarize(s.cpu);
    const rate = summarize(s.rate);
    process.stdout.write(
      `${s.name.padEnd(24)}\n  server CPU per call: median ${cpu.p50.toFixed(3)} ms (min ${cpu.min.toFixed(3)}); calls/s: median ${Math.round(rate.p50)}\n`,
    );
  }
  const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]];
  const ratio = summarize(a.cpu).p50 / summarize(b.cpu).p50;
  process.stdout.write(`CPU per call, this build / other: ×${ratio.toFixed(2)}\n`);
  // Per round, in ABBA order: a ratio that holds round after round is a change, not drift.
  const perRound = a.cpu.map((x, i) => (x / (b.cpu[i] as number)).toFixed(2));
  process.stdout.write(`  per round: ${perRound.map((r) => `×${r}`).join(' ')}\n`);
} finally {
  for (const s of servers) await s.proc.stop();
  await emulator.stop();
  closeAgent();
}

/** `--other-env '{"NAME":"value"}'`: settings only the other server gets. */
function parseOtherEnv(): Record<string, string> {
  const at = process.argv.indexOf('--other-env');
  if (at < 0) return {};
  try {
    const parsed: unknown = JSON.parse(process.argv[at + 1] ?? '');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
    }
  } catch {
    // fall through to the usage message
  }
  process.stderr.write(
    '--other-env wants a JSON object of environment variables, e.g. \'{"DOCSPACE_LOG_LEVEL":"warn"}\'\n',
  );
  process.exit(2);
}
