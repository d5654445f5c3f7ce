import type { Logger } from 'pino';
import { type Emulator, startEmulator } from '../emulator/index.js';
import { describeConfig } from './config/describe.js';
import { loadConfig } from './config/load.js';
import { DEMO_OWNED, flagOf, SETTINGS } from './config/settings.js';
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

/**
 * The environment and flags with the demo's own settings in place of the person's: variables
 * (and aliases) and flags of `DEMO_OWNED` settings are dropped, and the ones given are reported.
 */
function demoSettings(
  given: Record<string, string | undefined>,
  argv: string[],
  own: Record<string, string>,
): { env: Record<string, string | undefined>; argv: string[]; ignored: string[] } {
  const owned = new Set(DEMO_OWNED.flatMap((key) => [SETTINGS[key].env, ...(SETTINGS[key].aliases ?? [])]));
  const ownedFlags = new Set(DEMO_OWNED.map((key) => flagOf(SETTINGS[key].env)));
  const env: Record<string, string | undefined> = {};
  const ignored: string[] = [];
  for (const [name, value] of Object.entries(given)) {
    if (!owned.has(name)) env[name] = value;
    else if (value !== undefined && value !== '') ignored.push(name);
  }
  const flags: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const name = arg.split('=')[0] as string;
    if (!ownedFlags.has(name)) flags.push(arg);
    else {
      ignored.push(name);
      // Every owned setting takes a value: `--flag value` drops the value too.
      if (!arg.includes('=')) i++;
    }
  }
  return { env: { ...env, ...own }, argv: flags, ignored };
}

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
  /** Flags as on the command line; they override the environment (e.g. `--port 0`), except owned ones. */
  argv?: string[];
  /**
   * Settings read as `serve` reads them (the CLI passes `process.env`; none by default), except
   * the ones the demo owns (`DEMO_OWNED`): portal, credentials, OAuth app and transport.
   */
  env?: Record<string, string | undefined>;
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
    const { env, argv, ignored } = demoSettings(opts.env ?? {}, opts.argv ?? [], {
      DOCSPACE_TRANSPORT: 'http',
      DOCSPACE_BASE_URL: emulator.url,
      ...(app && {
        DOCSPACE_OAUTH_BASE_URL: emulator.url,
        DOCSPACE_OAUTH_CLIENT_ID: app.clientId,
        DOCSPACE_OAUTH_CLIENT_SECRET: app.clientSecret,
      }),
    });
    // With OAuth on, DocSpace keys from clients are the operator's explicit choice: the demo
    // makes it (unless told otherwise), so the API key it prints works too.
    if (app && env.DOCSPACE_REQUEST_AUTHORIZATION_HEADER === undefined)
      env.DOCSPACE_REQUEST_AUTHORIZATION_HEADER = 'yes';
    if (ignored.length > 0)
      opts.logger.warn({ ignored }, 'the demo ignores these settings: it uses its own emulator');
    const config = loadConfig({ env, argv, demo: true });
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
 * printed. Settings come from the environment and flags as for `serve` (e.g. `DOCSPACE_PORT`,
 * `--port 9000`), except the ones the demo owns.
 */
export async function runDemo(argv: string[], logger: Logger): Promise<() => Promise<void>> {
  const demo = await startDemo({ argv, env: process.env, logger });
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
