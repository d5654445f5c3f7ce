/**
 * The server as people run it, for end-to-end and browser tests: the same start-up path as the
 * CLI (`loadConfig` + `startHttpServer`, or the demo's `startDemo`), the whole middleware stack,
 * on loopback port 0. Partial assemblies are for unit and integration tests only.
 */
import { type Config, loadConfig } from '../../src/config/load.js';
import { type Demo, type DemoOptions, startDemo } from '../../src/demo.js';
import { type HttpServerHandle, startHttpServer } from '../../src/http/start.js';
import { createLogger } from '../../src/log.js';

export interface Logs {
  /** Every log line (JSON) at debug level. */
  lines: string[];
  /** Parsed lines whose `msg` matches. */
  find(msg: string | RegExp): Record<string, unknown>[];
}

export function collectLogs(lines: string[] = []): Logs {
  return {
    lines,
    find: (msg) =>
      lines
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => (typeof msg === 'string' ? l.msg === msg : msg.test(String(l.msg)))),
  };
}

function loggerFor(logs?: Logs) {
  return logs
    ? createLogger({
        level: 'debug',
        pretty: false,
        destination: { write: (l: string) => void logs.lines.push(l) },
      })
    : createLogger({ level: process.env.DEBUG_TESTS ? 'debug' : 'silent', pretty: false });
}

/** `docspace-mcp demo` (seeded emulator + server with OAuth on), on free ports. */
export function startDemoServer(
  opts: { argv?: string[]; logs?: Logs; serverOptions?: DemoOptions['serverOptions'] } = {},
): Promise<Demo> {
  return startDemo({
    argv: ['--port', '0', ...(opts.argv ?? [])],
    emulatorPort: 0,
    logger: loggerFor(opts.logs),
    serverOptions: opts.serverOptions,
  });
}

export interface ServeOptions {
  logs?: Logs;
  /** fetch for DocSpace calls (fault injection, spies); the CLI uses the default. */
  fetch?: typeof fetch;
}

/** `docspace-mcp serve` over HTTP with this environment (port 0 on 127.0.0.1 unless given). */
export async function startServe(
  env: Record<string, string>,
  opts: ServeOptions = {},
): Promise<HttpServerHandle & { config: Config }> {
  const config = loadConfig({
    env: { DOCSPACE_TRANSPORT: 'http', DOCSPACE_HOST: '127.0.0.1', DOCSPACE_PORT: '0', ...env },
  });
  const server = await startHttpServer(config, { logger: loggerFor(opts.logs), fetch: opts.fetch });
  return Object.assign(server, { config });
}
