import type { Logger } from 'pino';
import { loadConfig } from './config/load.js';
import { startHttpServer } from './http/start.js';

/** The part of the emulator's contract (emulator/index.ts) the demo uses; it shares no types with src/. */
interface DemoEmulator {
  url: string;
  close(): Promise<void>;
  info: {
    users: { email: string; password: string; apiKey: string; role: string }[];
    oauthApps: { clientId: string; clientSecret: string; redirectUris: string[]; isPublic: boolean }[];
  };
}
type StartEmulator = (opts: { port?: number; host?: string; seed?: 'demo' | 'empty' }) => Promise<DemoEmulator>;

// Resolved at run time: the emulator ships in dist/emulator, outside src/, and src/ compiles without it.
const EMULATOR_MODULE = '../emulator/index.js';

async function startSeededEmulator(): Promise<DemoEmulator> {
  const { startEmulator } = (await import(EMULATOR_MODULE)) as { startEmulator: StartEmulator };
  try {
    return await startEmulator({ port: 8081, host: '127.0.0.1', seed: 'demo' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    return startEmulator({ port: 0, host: '127.0.0.1', seed: 'demo' });
  }
}

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
  }
  const config = loadConfig({ env, argv });
  const server = await startHttpServer(config, { logger });
  const owner = emulator.info.users.find((u) => u.role === 'owner') ?? emulator.info.users[0];
  const mcpUrl = new URL('mcp', config.publicBaseUrl).href;
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
