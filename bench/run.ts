// `npm run bench [-- --quick] [-- --only overhead,load,…] [-- --strict] [-- --write-docs]`: starts the emulator and the server
// as separate processes on loopback, runs each measurement, prints one table and writes
// bench/results.json. See docs/performance.md.
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchContext, discoverFixtures } from './lib/context.js';
import { closeAgent } from './lib/http.js';
import { extraServerEnv, startEmulatorProc } from './lib/procs.js';
import { formatMarkdown, formatTable, type MeasureResult, row } from './lib/report.js';
import { measureLargeFiles } from './measures/large.js';
import { measureLegs } from './measures/legs.js';
import { measureLoad } from './measures/load.js';
import { measureOAuth } from './measures/oauth.js';
import { measureOverhead } from './measures/overhead.js';
import { measureSessions } from './measures/sessions.js';
import { measureColdStart, measureToolsList } from './measures/startup.js';

const MEASURES: Record<string, (ctx: BenchContext) => Promise<MeasureResult>> = {
  overhead: (c) => measureOverhead(c),
  load: (c) => measureLoad(c),
  legs: (c) => measureLegs(c),
  coldStart: (c) => measureColdStart(c),
  toolsList: (c) => measureToolsList(c),
  oauth: (c) => measureOAuth(c),
  sessions: (c) => measureSessions(c),
  largeFiles: (c) => measureLargeFiles(c),
};

export function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memory: `${Math.round(os.totalmem() / 1024 ** 3)} GB`,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    /** 1-minute load average when the run started: anything near the core count skews every figure. */
    loadAverage: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  };
}

const START = '<!-- bench:table:start -->';
const END = '<!-- bench:table:end -->';

/** The page with the block between the markers replaced by this run's machine line and table. */
function withTable(page: string, at: string, m: ReturnType<typeof machine>, table: string): string {
  const i = page.indexOf(START);
  const j = page.indexOf(END);
  if (i < 0 || j < i) throw new Error('docs/performance.md has no bench:table markers');
  const head =
    `Run finished ${at.slice(0, 16).replace('T', ' ')} UTC on ${m.cpus} × ${m.cpuModel} (\`nproc\` ${m.cpus}), ${m.memory}, ` +
    `${m.platform}, Node ${m.node}; load average ${m.loadAverage} at start.`;
  return `${page.slice(0, i + START.length)}\n${head}\n\n${table}\n${page.slice(j)}`;
}

function progressWriter() {
  const tty = process.stderr.isTTY;
  const started = performance.now();
  let last = '';
  return {
    update(msg: string) {
      const line = `[${((performance.now() - started) / 1000).toFixed(0).padStart(3)}s] ${msg}`;
      if (tty) process.stderr.write(`\r\x1b[K${line}`);
      else if (msg !== last) process.stderr.write(`${line}\n`);
      last = msg;
    },
    done() {
      if (tty) process.stderr.write('\r\x1b[K');
    },
  };
}

async function main(argv: string[]): Promise<number> {
  const quick = argv.includes('--quick');
  const onlyArg =
    argv.find((a) => a.startsWith('--only='))?.slice(7) ??
    (argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined);
  const names = onlyArg ? onlyArg.split(',').map((s) => s.trim()) : Object.keys(MEASURES);
  const unknown = names.filter((n) => !MEASURES[n]);
  if (unknown.length) {
    process.stderr.write(
      `unknown measurement: ${unknown.join(', ')} (known: ${Object.keys(MEASURES).join(', ')})\n`,
    );
    return 2;
  }
  const m = machine();
  if (m.loadAverage > m.cpus / 2) {
    process.stderr.write(
      `warning: load average ${m.loadAverage} on ${m.cpus} cores: other work is running and will skew the figures\n`,
    );
  }
  const progress = progressWriter();
  progress.update('starting the emulator');
  const emulator = await startEmulatorProc(600);
  const results: MeasureResult[] = [];
  let failed = false;
  try {
    const ctx: BenchContext = {
      quick,
      emulator,
      fx: await discoverFixtures(emulator),
      progress: (m) => progress.update(m),
    };
    for (const name of names) {
      progress.update(name);
      try {
        results.push(await (MEASURES[name] as (c: BenchContext) => Promise<MeasureResult>)(ctx));
      } catch (e) {
        failed = true;
        results.push({
          name,
          rows: [row(`${name}: could not run`, '—', (e as Error).message.slice(0, 300), false)],
          data: { error: (e as Error).message },
        });
      }
    }
  } finally {
    progress.done();
    await emulator.stop();
    closeAgent();
  }
  const rows = results.flatMap((r) => r.rows);
  const extra = Object.keys(extraServerEnv());
  process.stdout.write(
    `\ndocspace-mcp bench (${quick ? 'quick' : 'full'}) — ${m.cpus} × ${m.cpuModel}, Node ${m.node}, load average ${m.loadAverage} at start\n`,
  );
  if (process.env.BENCH_CLI)
    process.stdout.write(`server under test: ${process.env.BENCH_CLI} (BENCH_CLI), not this tree's\n`);
  if (extra.length)
    process.stdout.write(
      `experiment: every server ran with ${extra.join(', ')} changed (BENCH_SERVER_ENV)\n`,
    );
  process.stdout.write('\n');
  process.stdout.write(`${formatTable(rows)}\n\n`);
  // Only a complete full run is the record; quick and partial runs must not overwrite it.
  const file = onlyArg ? 'results.only.json' : quick ? 'results.quick.json' : 'results.json';
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', file);
  const report = {
    mode: quick ? 'quick' : 'full',
    serverEnvChanged: extra,
    serverCli: process.env.BENCH_CLI ?? null,
    at: new Date().toISOString(),
    machine: m,
    rows,
    results: Object.fromEntries(results.map((r) => [r.name, r.data])),
    markdown: formatMarkdown(rows),
  };
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`Wrote ${out}\n`);
  // The page's table is this tree's: a run of another build (BENCH_CLI) never replaces it.
  if (argv.includes('--write-docs') && !onlyArg && !quick && !process.env.BENCH_CLI) {
    const docs = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'performance.md');
    writeFileSync(docs, withTable(readFileSync(docs, 'utf8'), report.at, m, formatMarkdown(rows)));
    process.stdout.write(`Updated ${docs}\n`);
  }
  // A measurement that could not run is a broken harness; a missed budget fails only with --strict
  // (shared CI runners are too noisy to gate on).
  return failed || (argv.includes('--strict') && rows.some((r) => r.pass === false)) ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
