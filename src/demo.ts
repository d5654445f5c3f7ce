import type { Logger } from 'pino';
import { type Emulator, startEmulator } from '../emulator/index.js';
import { describeConfig } from './config/describe.js';
import { loadConfig } from './config/load.js';
import { startHttpServer } from './http/start.js';

async function startSeededEmulator(): Promise<Emulator> {
  try {
    return await startEmulator({ port: 8081, host: '127.0.0.1', seed: 'demo' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    return startEmulator({ port: 0, host: '127.0.0.1', seed: 'demo' });
  }
}

// The demo is the one place that wires the emulator (a separate codebase) to the server.

/**
 * `docspace-mcp demo`: a seeded DocSpace emulator plus the MCP server on
 * http://127.0.0.1:8080/mcp with OAuth on (the emulator's confidential OAuth app), and the
 * sign-in and an API key printed. Flags override the demo's settings (e.g. `--port 9000`).
 */
export async function runDemo(argv: string[], logger: Logger): Promise<() => Promise<void>> {
  const emulator = await startSeededEmulator();
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
    // With OAuth on, DocSpace keys from clients are the operator's explicit choice: the demo
    // makes it, so the API key it prints works too.
    env.DOCSPACE_REQUEST_AUTHORIZATION_HEADER = 'yes';
  }
  const config = loadConfig({ env, argv, allowEphemeralSecret: true });
  const server = await startHttpServer(config, { logger });
  logger.info(
    { ...describeConfig(config, server.publicBaseUrl), listening: server.url },
    'docspace-mcp demo listening',
  );
  const owner = emulator.info.users.find((u) => u.role === 'owner') ?? emulator.info.users[0];
  const mcpUrl = new URL('mcp', server.publicBaseUrl).href;
  const lines = [
    '',
    'docspace-mcp demo is running.',
    `  MCP server:        ${mcpUrl}${app ? ' (OAuth sign-in on)' : ''}`,
    `  DocSpace emulator: ${emulator.url}`,
  ];
  if (owner) {
    lines.push(`  Sign in as:        ${owner.email} / ${owner.password}`);
    lines.push(`  Or send an API key: Authorization: Bearer ${owner.apiKey}`);
  }
  lines.push('  Stop with Ctrl+C.', '');
  process.stderr.write(`${lines.join('\n')}\n`);
  return async () => {
    await server.close();
    await emulator.close();
  };
}
