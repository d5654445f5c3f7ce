#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import nodeModule from 'node:module';
import { pathToFileURL } from 'node:url';
import { ConfigError, describeConfig, helpText, loadConfig, SETTINGS, VERSION } from './config/index.js';
import { createLogger, type Logger } from './log.js';

/** Stops on SIGTERM/SIGINT after `stop` drains; a second signal exits at once. */
function onSignals(logger: Logger, stop: () => Promise<void>): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const handler = (signal: NodeJS.Signals) => {
      if (stopping) process.exit(1);
      stopping = true;
      logger.info({ signal }, 'stopping');
      stop().then(
        () => resolve(0),
        (err) => {
          logger.error({ err }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', handler);
    process.on('SIGINT', handler);
  });
}

/** The transport asked for, even when the rest of the configuration is invalid. */
function requestedTransport(argv: string[]): string {
  const i = argv.findIndex((a) => a === '--transport' || a.startsWith('--transport='));
  const raw =
    i < 0 ? process.env.DOCSPACE_TRANSPORT : argv[i]?.includes('=') ? argv[i]?.split('=')[1] : argv[i + 1];
  const parsed = SETTINGS.transport.schema.safeParse(raw);
  return parsed.success ? parsed.data : 'invalid';
}

/** DOCSPACE_LOG_LEVEL when it is valid, for logging before (or without) a loaded config. */
function envLogLevel(): string {
  const parsed = SETTINGS.logLevel.schema.safeParse(process.env.DOCSPACE_LOG_LEVEL);
  return parsed.success ? parsed.data : 'info';
}

/** One line for a socket that could not be bound: what happened and what to change. */
function listenFailure(err: { host: string; port: number; reason: string }): string {
  const where = `${err.host.includes(':') ? `[${err.host}]` : err.host}:${err.port}`;
  switch (err.reason) {
    case 'EADDRINUSE':
      return `docspace-mcp cannot listen on ${where}: port ${err.port} is already in use (another docspace-mcp, or another program). Stop that program, or choose a free port with DOCSPACE_PORT or --port.`;
    case 'EACCES':
      return `docspace-mcp cannot listen on ${where}: port ${err.port} needs privileges this user does not have. Use a port above 1023 with DOCSPACE_PORT or --port, and put a reverse proxy in front for 80/443.`;
    case 'EADDRNOTAVAIL':
      return `docspace-mcp cannot listen on ${where}: ${err.host} is not an address of this machine. Set DOCSPACE_HOST or --host to one of its addresses (0.0.0.0 for all).`;
    default:
      return `docspace-mcp cannot listen on ${where} (${err.reason}). Check DOCSPACE_HOST and DOCSPACE_PORT.`;
  }
}

async function serve(argv: string[]): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({ env: process.env, argv });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const logger = createLogger({ level: envLogLevel() });
    if (requestedTransport(argv) === 'stdio') {
      const { runStdio } = await import('./mcp/stdio.js');
      logger.error(
        { issues: err.issues },
        'configuration invalid; serving stdio with every tool call returning the error',
      );
      await runStdio({ logger, configError: err.message });
      return 0;
    }
    process.stderr.write(`${err.message}\n`);
    return 1;
  }
  const logger = createLogger({ level: config.logLevel });
  for (const warning of config.warnings) logger.warn(warning);
  // Each transport loads its own modules: stdio never pays for Hono, OAuth or Redis.
  if (config.transport === 'stdio') {
    const { runStdio } = await import('./mcp/stdio.js');
    logger.info(describeConfig(config), 'docspace-mcp serving stdio');
    await runStdio({ logger, config });
    return 0;
  }
  const { startHttpServer } = await import('./http/start.js');
  const { ListenError } = await import('./http/serve.js');
  let server: Awaited<ReturnType<typeof startHttpServer>>;
  try {
    server = await startHttpServer(config, { logger });
  } catch (err) {
    if (!(err instanceof ListenError)) throw err;
    process.stderr.write(`${listenFailure(err)}\n`);
    return 1;
  }
  logger.info(
    { ...describeConfig(config, server.publicBaseUrl), listening: server.url },
    'docspace-mcp listening',
  );
  return onSignals(logger, () => server.close());
}

export async function main(argv: string[]): Promise<number> {
  const command = argv[0] && !argv[0].startsWith('-') ? argv[0] : 'serve';
  const rest = argv[0] === command ? argv.slice(1) : argv;
  if (command === 'emulator') {
    // Loaded only for this command: `serve` never pays for the emulator's module graph.
    const { runEmulatorCli } = await import('../emulator/cli.js');
    await runEmulatorCli(rest);
    return 0;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(helpText());
    return 0;
  }
  if (rest.includes('--version') || rest.includes('-v')) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (command === 'serve') return serve(rest);
  if (command === 'demo') {
    const logger = createLogger({ level: envLogLevel() });
    const { runDemo } = await import('./demo.js');
    const { ListenError } = await import('./http/serve.js');
    let stop: () => Promise<void>;
    try {
      stop = await runDemo(rest, logger);
    } catch (err) {
      if (!(err instanceof ListenError)) throw err;
      process.stderr.write(`${listenFailure(err)}\n`);
      return 1;
    }
    return onSignals(logger, stop);
  }
  process.stderr.write(`Unknown command "${command}". Run docspace-mcp --help.\n`);
  return 2;
}

const invoked = process.argv[1] ? pathToFileURL(realpathSync(process.argv[1])).href : '';
if (invoked === import.meta.url) {
  // Node >= 22.1 caches compiled modules on disk: the transport's module graph (loaded by
  // main with import()) then starts faster from the second launch on. Absent on Node 20.
  (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
      else
        process.stderr.write(
          `docspace-mcp failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
        );
      process.exit(1);
    },
  );
}
