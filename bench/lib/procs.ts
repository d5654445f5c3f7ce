import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { request } from './http.js';
import { cleanEnv } from './stdio.js';

const here = dirname(fileURLToPath(import.meta.url));
/**
 * The server every measurement starts: dist/src/cli.js of this tree (seen from dist/bench/lib), or
 * `BENCH_CLI` — another build's cli.js, to measure that build with this bench (a "before" column).
 */
export const CLI = process.env.BENCH_CLI
  ? resolve(process.env.BENCH_CLI)
  : join(here, '..', '..', 'src', 'cli.js');
const EMULATOR_CHILD = join(here, '..', 'emulator-child.js');

export interface EmulatorUser {
  id: string;
  email: string;
  password: string;
  apiKey: string;
  role: string;
}

export interface EmulatorProc {
  pid: number;
  info: {
    baseUrl: string;
    users: EmulatorUser[];
    oauthApps: { clientId: string; clientSecret: string; redirectUris: string[]; isPublic: boolean }[];
  };
  stop(): Promise<void>;
}

export interface ServerProc {
  pid: number;
  /** http://127.0.0.1:PORT */
  url: string;
  /** performance.now() at spawn and when the "listening" line arrived. */
  spawnedAt: number;
  listeningAt: number;
  stop(): Promise<void>;
  /** Full GC then heap figures (only when started with `heapProbe`). */
  heap(): Promise<HeapSample>;
}

export interface HeapSample {
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  rss: number;
}

const GC_HOOK = join(here, '..', 'gc-hook.js');

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
}

/** A child that never became ready is killed, so a failed start leaves nothing running. */
async function killOnFailure<T>(child: ChildProcess, ready: Promise<T>): Promise<T> {
  try {
    return await ready;
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
}

/** Resolves with the first line of `stream` that `pick` accepts, or rejects on exit/timeout. */
function waitForLine<T>(
  child: ChildProcess,
  stream: NodeJS.ReadableStream,
  pick: (line: string) => T | undefined,
  timeoutMs: number,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let tail = '';
    const timer = setTimeout(
      () => done(new Error(`no ready line within ${timeoutMs} ms: ${tail.slice(-400)}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer | string) => {
      buffer += chunk.toString();
      tail = (tail + chunk.toString()).slice(-2000);
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        nl = buffer.indexOf('\n');
        const got = pick(line);
        if (got !== undefined) return done(undefined, got);
      }
    };
    const onExit = (code: number | null) =>
      done(new Error(`process exited (${code}) before it was ready: ${tail.slice(-400)}`));
    const done = (err?: Error, value?: T) => {
      clearTimeout(timer);
      stream.off('data', onData);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(value as T);
    };
    stream.on('data', onData);
    child.on('exit', onExit);
  });
}

export async function startEmulatorProc(files: number): Promise<EmulatorProc> {
  const child = spawn(process.execPath, [EMULATOR_CHILD], {
    env: { ...cleanEnv(), BENCH_EMULATOR_FILES: String(files) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const parseInfo = (line: string) => {
    try {
      const parsed = JSON.parse(line) as EmulatorProc['info'];
      return parsed.baseUrl ? parsed : undefined;
    } catch {
      return undefined;
    }
  };
  const info = await killOnFailure(
    child,
    waitForLine(child, child.stdout as NodeJS.ReadableStream, parseInfo, 15_000),
  );
  return { pid: child.pid as number, info, stop: stopper(child) };
}

/** Every rate limit raised out of reach (the limiter still runs, so its cost is measured). */
export const NO_RATE_LIMITS: Record<string, string> = Object.fromEntries(
  [
    'MCP',
    'PRINCIPAL',
    'OAUTH_SERVER_METADATA',
    'OAUTH_RESOURCE_METADATA',
    'OAUTH_AUTHORIZE',
    'OAUTH_CALLBACK',
    'OAUTH_INTROSPECT',
    'OAUTH_REGISTER',
    'OAUTH_REVOKE',
    'OAUTH_TOKEN',
  ].map((k) => [`DOCSPACE_SERVER_RATE_LIMITS_${k}_CAPACITY`, '100000000']),
);

/**
 * `BENCH_SERVER_ENV='{"DOCSPACE_REQUEST_TIMEOUT":"0"}'` adds settings to every HTTP server the
 * bench starts: for experiments (does this setting move that figure?), never for the record.
 */
export function extraServerEnv(): Record<string, string> {
  const raw = process.env.BENCH_SERVER_ENV;
  return raw ? (JSON.parse(raw) as Record<string, string>) : {};
}

/** A loopback port that was free a moment ago (for servers whose public URL must name their port). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts `docspace-mcp serve` over HTTP on a loopback port (a free one unless `port` is given). */
export async function startServerProc(
  env: Record<string, string>,
  nodeArgs: string[] = [],
  port = 0,
  opts: { heapProbe?: boolean; /** Another build's dist/src/cli.js (A/B runs). */ cli?: string } = {},
): Promise<ServerProc> {
  const quiet = ['warn', 'error', 'fatal', 'silent'].includes(
    { ...env, ...extraServerEnv() }.DOCSPACE_LOG_LEVEL ?? '',
  );
  // Quieter than info, the "listening" line never comes: pick the port here and poll instead.
  if (quiet && port === 0) port = await freePort();
  const spawnedAt = performance.now();
  const args = opts.heapProbe
    ? ['--expose-gc', '--import', pathToFileURL(GC_HOOK).href, ...nodeArgs]
    : nodeArgs;
  const child = spawn(process.execPath, [...args, opts.cli ?? CLI, 'serve'], {
    env: {
      ...cleanEnv(),
      // The default level (info): what people run, and it logs the listening URL we read.
      ...NO_RATE_LIMITS,
      ...env,
      ...extraServerEnv(),
      DOCSPACE_TRANSPORT: env.DOCSPACE_TRANSPORT ?? 'http',
      DOCSPACE_HOST: '127.0.0.1',
      DOCSPACE_PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const listening = (line: string) => /"listening":"(http:\/\/[^"]+)"/.exec(line)?.[1];
  const url = await killOnFailure(
    child,
    quiet
      ? pollHealth(child, `http://127.0.0.1:${port}`)
      : waitForLine(child, child.stderr as NodeJS.ReadableStream, listening, 15_000),
  );
  const listeningAt = performance.now();
  child.stdout?.resume();
  child.stderr?.resume();
  const heap = async (): Promise<HeapSample> => {
    if (!opts.heapProbe) throw new Error('server started without heapProbe');
    const line = waitForLine(
      child,
      child.stderr as NodeJS.ReadableStream,
      (l) => {
        const i = l.indexOf('{"benchHeap"');
        return i >= 0 ? (JSON.parse(l.slice(i)) as { benchHeap: HeapSample }).benchHeap : undefined;
      },
      10_000,
    );
    child.kill('SIGUSR2');
    return line;
  };
  return {
    pid: child.pid as number,
    url: url.replace(/\/+$/, ''),
    spawnedAt,
    listeningAt,
    stop: stopper(child),
    heap,
  };
}

async function pollHealth(child: ChildProcess, url: string): Promise<string> {
  const deadline = performance.now() + 15_000;
  child.stderr?.resume();
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}) before it was ready`);
    try {
      if ((await request(`${url}/healthz`, { timeoutMs: 1000 })).status === 200) return url;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`server at ${url} not healthy within 15 s`);
}

export interface ProcSample {
  /** Resident set size and its peak (VmHWM), bytes. */
  rss: number;
  peakRss: number;
  /** User + system CPU time so far, milliseconds. */
  cpuMs: number;
}

const TICK_MS = 10; // USER_HZ is 100 on every Linux the bench targets (getconf CLK_TCK).

export function sampleProc(pid: number): ProcSample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kbOf = (key: string) =>
    Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 'NaN') * 1024;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at field 3; utime/stime are 14/15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuTicks = Number(fields[11]) + Number(fields[12]);
  return { rss: kbOf('VmRSS'), peakRss: kbOf('VmHWM'), cpuMs: cpuTicks * TICK_MS };
}

/** Samples a process every `everyMs` until stopped; keeps the max RSS and the CPU used. */
export function watchProc(pid: number, everyMs = 200) {
  const first = sampleProc(pid);
  let maxRss = first.rss;
  let last = first;
  const timer = setInterval(() => {
    try {
      last = sampleProc(pid);
      maxRss = Math.max(maxRss, last.rss);
    } catch {
      // the process ended; keep the last sample
    }
  }, everyMs);
  return {
    stop(): { maxRss: number; rss: number; cpuMs: number } {
      clearInterval(timer);
      try {
        last = sampleProc(pid);
        maxRss = Math.max(maxRss, last.rss);
      } catch {
        // ended
      }
      return { maxRss, rss: last.rss, cpuMs: last.cpuMs - first.cpuMs };
    },
  };
}
