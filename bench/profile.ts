// `node dist/bench/profile.js [seconds] [clients] [modern|session|legacy]`: runs the server under
// --cpu-prof with a read load on one protocol leg (default 2026-07-28; `session` is a 2025
// client keeping its session), then prints where its CPU time went (self time by module and by
// function).
// The raw profile stays in bench/profiles/ for Chrome DevTools or speedscope.
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverFixtures } from './lib/context.js';
import { summarizeProfile } from './lib/cpuprofile.js';
import { closeAgent } from './lib/http.js';
import { type Era, expectOk, HttpMcp } from './lib/mcp.js';
import { startEmulatorProc, startServerProc } from './lib/procs.js';

const seconds = Number(process.argv[2] ?? '10');
const clients = Number(process.argv[3] ?? '10');
const leg = (process.argv[4] ?? 'modern') as Era;
if (!['modern', 'session', 'legacy'].includes(leg)) throw new Error('leg: modern, session or legacy');
const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'profiles');
mkdirSync(dir, { recursive: true });

const emulator = await startEmulatorProc(600);
try {
  const fx = await discoverFixtures(emulator);
  const server = await startServerProc({ DOCSPACE_BASE_URL: fx.baseUrl, DOCSPACE_API_KEY: fx.apiKey }, [
    '--cpu-prof',
    `--cpu-prof-dir=${dir}`,
  ]);
  const connections: HttpMcp[] = [];
  for (let c = 0; c < clients; c++) {
    const mcp = new HttpMcp(`${server.url}/mcp`, leg);
    if (leg !== 'modern') expectOk(await mcp.initialize(), '2025 initialize');
    connections.push(mcp);
  }
  const deadline = performance.now() + seconds * 1000;
  let calls = 0;
  let i = 0;
  const worker = async (mcp: HttpMcp) => {
    while (performance.now() < deadline) await one(mcp, i++);
  };
  const one = async (mcp: HttpMcp, i: number) => {
    const fileId = fx.fileIds[i % fx.fileIds.length];
    const call: [string, Record<string, unknown>] =
      i % 3 === 0
        ? ['get_file_info', { fileId }]
        : i % 3 === 1
          ? ['get_folder_content', { folderId: fx.folderId, count: 20 }]
          : ['get_current_user', {}];
    expectOk(await mcp.callTool(...call), call[0]);
    calls++;
  };
  await Promise.all(connections.map(worker));
  await server.stop();
  const latest = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!latest) throw new Error('no profile written');
  const s = summarizeProfile(latest, 40);
  process.stdout.write(`${calls} calls in ${seconds}s with ${clients} clients (${leg}); profile ${latest}\n`);
  const perCall = (ms: number) => (ms / Math.max(1, calls)).toFixed(3);
  process.stdout.write(
    `server CPU sampled: ${s.totalMs} ms (${perCall(s.totalMs)} ms per call)\n\nBy layer (the innermost on the stack):\n`,
  );
  for (const l of s.byLayer)
    process.stdout.write(`  ${String(l.pct).padStart(5)}%  ${perCall(l.ms)} ms/call  ${l.layer}\n`);
  process.stdout.write('\nBy module (self time):\n');
  for (const m of s.byModule) process.stdout.write(`  ${String(m.pct).padStart(5)}%  ${m.module}\n`);
  process.stdout.write('\nOur code and the SDK, inclusive (time with the function on the stack):\n');
  for (const f of s.inclusive) process.stdout.write(`  ${String(f.pct).padStart(5)}%  ${f.name}\n`);
  process.stdout.write('\nBy function (self time):\n');
  for (const f of s.byFunction) process.stdout.write(`  ${String(f.pct).padStart(5)}%  ${f.name}\n`);
} finally {
  await emulator.stop();
  closeAgent();
}
