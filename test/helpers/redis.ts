/**
 * Starts a real `redis-server` on a free loopback port for one test run, with no persistence.
 * Used by the store suites and by any suite that needs Redis (multi-instance, restarts).
 *
 * @example
 * if (!skipUnlessRedis('oauth on redis')) {
 *   let redis: RedisServer;
 *   before(async () => { redis = await startRedis(); });
 *   after(() => redis.stop());
 * }
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import { freePort } from './ports.js';

export interface RedisServer {
  /** `redis://127.0.0.1:PORT` (`rediss://` with TLS; `:password@` when one was set). */
  url: string;
  port: number;
  /** With TLS: the self-signed certificate to trust (NODE_EXTRA_CA_CERTS). */
  caFile?: string;
  /** Stops the process (SIGTERM, then SIGKILL) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty; resolves when it answers PING. */
  restart(): Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open but nothing answers. */
  pause(): void;
  resume(): void;
}

export interface StartRedisOptions {
  /** Sets `requirepass`; the URL then carries it. */
  password?: string;
  /** Serves TLS only, with a fresh self-signed certificate for 127.0.0.1 (needs openssl). */
  tls?: boolean;
}

const BINARY = process.env.REDIS_SERVER_BIN ?? 'redis-server';

let installed: boolean | undefined;

// A test run that dies without calling stop() must not leave servers behind.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const proc of running) proc.kill('SIGKILL');
});

export function redisInstalled(): boolean {
  installed ??= spawnSync(BINARY, ['--version'], { stdio: 'ignore' }).status === 0;
  return installed;
}

/**
 * Returns true (and registers a skipped test, loudly) when redis-server is missing; under
 * CI=true it registers a failing test instead, so a CI image without Redis cannot pass.
 */
export function skipUnlessRedis(suite: string): boolean {
  if (redisInstalled()) return false;
  const message = `redis-server not found (${BINARY}): install it (apt-get install redis-server) or set REDIS_SERVER_BIN`;
  if (process.env.CI === 'true') {
    test(`${suite}: redis-server is installed`, () => {
      throw new Error(message);
    });
  } else {
    const bar = '!'.repeat(78);
    console.warn(
      `\n${bar}\n!!! SKIPPING ${suite}: ${message}\n!!! These tests FAIL under CI=true.\n${bar}\n`,
    );
    test(`${suite} (needs redis-server)`, { skip: message }, () => {});
  }
  return true;
}

/** True once the port answers PING (+PONG, or -NOAUTH when a password is set). */
function answersPing(port: number, tls: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const socket: Socket = tls
      ? tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false })
      : createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once(tls ? 'secureConnect' : 'connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(/^(\+PONG|-NOAUTH)/.test(data.toString())));
  });
}

async function waitUntilUp(
  port: number,
  tls: boolean,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited early:\n${output()}`);
    if (await answersPing(port, tls)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not answer PING on port ${port} within 10 s:\n${output()}`);
}

function makeCertificate(certFile: string, keyFile: string): void {
  const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'];
  args.push('-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile);
  const result = spawnSync('openssl', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl could not make a test certificate: ${result.stderr}`);
}

export async function startRedis(opts: StartRedisOptions = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'docspace-mcp-redis-'));
  let port = 0;
  let child: ChildProcess | undefined;
  const tls = opts.tls === true;
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');

  async function launch(): Promise<void> {
    const args = tls
      ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', certFile, '--tls-key-file', keyFile]
      : ['--port', String(port)];
    if (tls) args.push('--tls-ca-cert-file', certFile, '--tls-auth-clients', 'no');
    args.push('--bind', '127.0.0.1', '--save', '', '--appendonly', 'no');
    args.push('--dir', dir, '--daemonize', 'no', '--loglevel', 'warning');
    if (opts.password) args.push('--requirepass', opts.password);
    // stop() removes the directory; a restart after it needs a new one (and certificate).
    mkdirSync(dir, { recursive: true });
    if (tls && !existsSync(certFile)) makeCertificate(certFile, keyFile);
    let output = '';
    const proc = spawn(BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout?.on('data', (d) => (output += d));
    proc.stderr?.on('data', (d) => (output += d));
    child = proc;
    running.add(proc);
    proc.once('exit', () => running.delete(proc));
    try {
      await waitUntilUp(port, tls, proc, () => output);
    } catch (error) {
      proc.kill('SIGKILL');
      throw error;
    }
  }

  async function stop(): Promise<void> {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGCONT');
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }

  // Another process may grab the free port between probe and bind: try a few.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      await launch();
      break;
    } catch (error) {
      if (attempt >= 3) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }

  const auth = opts.password ? `:${encodeURIComponent(opts.password)}@` : '';
  return {
    url: `${tls ? 'rediss' : 'redis'}://${auth}127.0.0.1:${port}`,
    port,
    caFile: tls ? certFile : undefined,
    async stop() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      await stop();
      await launch();
    },
    pause() {
      child?.kill('SIGSTOP');
    },
    resume() {
      child?.kill('SIGCONT');
    },
  };
}
