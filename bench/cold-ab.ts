// `node dist/bench/cold-ab.js <other checkout> [runs]`: stdio cold start of this build and another,
// interleaved (ABBA): wall time from spawn to the first `tools/list` answer, and the CPU time the
// process used until then (from /proc, which a busy machine distorts less than wall time): in
// clock ticks (10 ms) and, to the nanosecond, summed over its threads from /proc/<pid>/task/*/schedstat.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CLI, sampleProc } from './lib/procs.js';
import { cleanEnv } from './lib/stdio.js';
import { summarize } from './lib/stats.js';

const other = process.argv[2];
const runs = Number(process.argv[3] ?? '12');
if (!other) {
  process.stderr.write('usage: node dist/bench/cold-ab.js <other checkout> [runs]\n');
  process.exit(2);
}
const otherCli = join(resolve(other), 'dist', 'src', 'cli.js');
if (!existsSync(otherCli)) {
  process.stderr.write(`${otherCli} does not exist: build that checkout first.\n`);
  process.exit(2);
}

const LIST = `${JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/list',
  params: {
    _meta: {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientCapabilities': {},
      'io.modelcontextprotocol/clientInfo': { name: 'cold-ab', version: '1' },
    },
  },
})}\n`;

/** CPU time of every thread of `pid` in ms (schedstat's first field is ns on a CPU), or NaN. */
function schedCpuMs(pid: number): number {
  try {
    let ns = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    }
    return ns / 1e6;
  } catch {
    return Number.NaN;
  }
}

function once(cli: string): Promise<{ wall: number; cpu: number; sched: number }> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cli], {
      env: {
        ...cleanEnv(),
        DOCSPACE_TRANSPORT: 'stdio',
        DOCSPACE_BASE_URL: 'http://127.0.0.1:9',
        DOCSPACE_API_KEY: 'cold-start',
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (!out.includes('\n')) return;
      const wall = performance.now() - started;
      const cpu = child.pid ? sampleProc(child.pid).cpuMs : Number.NaN;
      const sched = child.pid ? schedCpuMs(child.pid) : Number.NaN;
      child.kill('SIGKILL');
      if (!out.includes('"tools"')) reject(new Error(`no tools/list answer: ${out.slice(0, 200)}`));
      else resolvePromise({ wall, cpu, sched });
    });
    child.on('error', reject);
    child.stdin.write(LIST);
  });
}

const legs = [
  { name: 'this build', cli: CLI, wall: [] as number[], cpu: [] as number[], sched: [] as number[] },
  { name: other, cli: otherCli, wall: [] as number[], cpu: [] as number[], sched: [] as number[] },
];
for (const l of legs) await once(l.cli); // disk cache warm
for (let r = 0; r < runs; r++) {
  for (const l of r % 2 === 0 ? legs : [...legs].reverse()) {
    const got = await once(l.cli);
    l.wall.push(got.wall);
    l.cpu.push(got.cpu);
    l.sched.push(got.sched);
  }
}
for (const l of legs) {
  const w = summarize(l.wall);
  const c = summarize(l.cpu);
  const t = summarize(l.sched);
  process.stdout.write(
    `${l.name.padEnd(24)} first tools/list: wall p50 ${w.p50.toFixed(0)} ms, CPU p50 ${c.p50.toFixed(0)} ms (min ${c.min.toFixed(0)}), schedstat CPU p50 ${t.p50.toFixed(1)} ms (min ${t.min.toFixed(1)})\n`,
  );
}
const [a, b] = legs as [(typeof legs)[0], (typeof legs)[0]];
process.stdout.write(
  `this / other: wall ×${(summarize(a.wall).p50 / summarize(b.wall).p50).toFixed(2)}, CPU ×${(summarize(a.cpu).p50 / summarize(b.cpu).p50).toFixed(2)}, schedstat CPU ×${(summarize(a.sched).p50 / summarize(b.sched).p50).toFixed(3)}\n`,
);
