import { type Emulator, startEmulator } from '../../emulator/index.js';
import { loadConfig } from '../../src/config/load.js';
import { type HttpServerHandle, startHttpServer } from '../../src/http/start.js';
import { createLogger } from '../../src/log.js';
import { requestStateCodec } from '../../src/mcp/request-state.js';
import { addConformanceFixtures } from './fixtures.js';

export interface ConformanceServer {
  server: HttpServerHandle;
  emulator: Emulator;
  close(): Promise<void>;
}

/**
 * The server as the conformance suite sees it: HTTP, both transports, in front of a seeded
 * emulator, auth off (the owner's API key is the shared credential, so requests need no token),
 * rate limits off, fixtures on.
 */
export async function startConformanceServer(): Promise<ConformanceServer> {
  const emulator = await startEmulator({ port: 0, seed: 'demo' });
  const apiKey = emulator.info.users.find((u) => u.role === 'owner')?.apiKey ?? '';
  const config = loadConfig({
    env: {
      DOCSPACE_TRANSPORT: 'http',
      DOCSPACE_HOST: '127.0.0.1',
      DOCSPACE_PORT: '0',
      DOCSPACE_BASE_URL: emulator.url,
      DOCSPACE_API_KEY: apiKey,
      DOCSPACE_SERVER_RATE_LIMITS_MCP_CAPACITY: '0',
      DOCSPACE_SERVER_RATE_LIMITS_PRINCIPAL_CAPACITY: '0',
    },
  });
  const logger = createLogger({ level: process.env.DEBUG_TESTS ? 'debug' : 'silent', pretty: false });
  // The same codec the production server verifies with (keyed by the server secret).
  const codec = requestStateCodec(config.secretValue);
  const server = await startHttpServer(config, {
    logger,
    decorateServer: (s) => addConformanceFixtures(s, codec),
  });
  return {
    server,
    emulator,
    close: async () => {
      await server.close();
      await emulator.close();
    },
  };
}

// `node dist/test/conformance/server.js` runs it alone, for running the suite by hand.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/dist\//, '/dist/'))) {
  const server = await startConformanceServer();
  process.stdout.write(`${server.server.url.replace('127.0.0.1', 'localhost')}/mcp\n`);
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
  process.once('SIGINT', () => void server.close().then(() => process.exit(0)));
}
