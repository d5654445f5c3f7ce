import type { Logger } from 'pino';
import { type Emulator, startEmulator } from '../emulator/index.js';
import { describeConfig } from './config/describe.js';
import { loadConfig } from './config/load.js';
import { type HttpServerHandle, type StartHttpOptions, startHttpServer } from './http/start.js';

async function startSeededEmulator(port: number): Promise<Emulator> {
  try {
    return await startEmulator({ port, host: '127.0.0.1', seed: 'demo' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw err;
    return startEmulator({ port: 0, host: '127.0.0.1', seed: 'demo' });
  }
}

// The demo is the one place that wires the emulator (a separate codebase) to the server.

export interface Demo {
  emulator: Emulator;
  server: HttpServerHandle;
  /** The MCP endpoint to paste into a client. */
  mcpUrl: string;
  /** Whether OAuth sign-in is on (the emulator has a confidential app). */
  oauth: boolean;
  stop(): Promise<void>;
}

export interface DemoOptions {
  /** Flags as on the command line; they override the demo's settings (e.g. `--port 0`). */
  argv?: string[];
  logger: Logger;
  /** Where the emulator listens; 8081 by default, any free port when that one is taken. */
  emulatorPort?: number;
  /** TEST ONLY: test hooks for the server (the CLI passes none). */
  serverOptions?: Pick<StartHttpOptions, 'cimdTestRoute'>;
}

/**
 * A seeded DocSpace emulator plus the MCP server wired to it with OAuth on (the emulator's
 * confidential OAuth app). `docspace-mcp demo` runs this; end-to-end tests start the same.
 */
export async function startDemo(opts: DemoOptions): Promise<Demo> {
  const emulator = await startSeededEmulator(opts.emulatorPort ?? 8081);
  try {
    const app = emulator.info.oauthApps.find((a) => !a.isPublic);
    const env: Record<string, string> = {
      DOCSPACE_TRANSPORT: 'http',
      DOCSPACE_HOST: '127.0.0.1',
      DOCSPACE_PORT: '8080',
      DOCSPACE_BASE_URL: emulator.url,
      DOCSPACE_LOG_LEVEL: process.env.DOCSPACE_LOG_LEVEL ?? 'info',
    };
    if (app) {
      env.DOCSPACE_OAUTH_BASE_URL = emulator.url;
      env.DOCSPACE_OAUTH_CLIENT_ID = app.clientId;
      env.DOCSPACE_OAUTH_CLIENT_SECRET = app.clientSecret;
    }
    const config = loadConfig({ env, argv: opts.argv ?? [], demo: true });
    const server = await startHttpServer(config, { ...opts.serverOptions, logger: opts.logger });
    opts.logger.info(
      { ...describeConfig(config, server.publicBaseUrl), listening: server.url },
      'docspace-mcp demo listening',
    );
    return {
      emulator,
      server,
      mcpUrl: new URL('mcp', server.publicBaseUrl).href,
      oauth: Boolean(app),
      async stop() {
        await server.close();
        await emulator.close();
      },
    };
  } catch (err) {
    await emulator.close();
    throw err;
  }
}

/**
 * `docspace-mcp demo`: the demo on http://127.0.0.1:8080/mcp, with the sign-in and an API key
 * printed. Flags override the demo's settings (e.g. `--port 9000`).
 */
export async function runDemo(argv: string[], logger: Logger): Promise<() => Promise<void>> {
  const demo = await startDemo({ argv, logger });
  const { emulator } = demo;
  const owner = emulator.info.users.find((u) => u.role === 'owner') ?? emulator.info.users[0];
  const lines = [
    '',
    'docspace-mcp demo is running.',
    `  MCP server:        ${demo.mcpUrl}${demo.oauth ? ' (OAuth sign-in on)' : ''}`,
    `  DocSpace emulator: ${emulator.url}`,
  ];
  if (owner) {
    lines.push(`  Sign in as:        ${owner.email} / ${owner.password}`);
    lines.push(`  Or send an API key: Authorization: Bearer ${owner.apiKey}`);
  }
  lines.push('  Stop with Ctrl+C.', '');
  process.stderr.write(`${lines.join('\n')}\n`);
  return demo.stop;
}
