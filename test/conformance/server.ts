import { loadConfig } from '../../src/config/load.js';
import { type HttpServerHandle, startHttpServer } from '../../src/http/start.js';
import { createLogger } from '../../src/log.js';
import { addConformanceFixtures } from './fixtures.js';

/**
 * The server as the conformance suite sees it: HTTP, both transports, auth off (a shared API key
 * for an unreachable portal — the scenarios only call fixtures), rate limits off, fixtures on.
 */
export async function startConformanceServer(): Promise<HttpServerHandle> {
  const config = loadConfig({
    env: {
      DOCSPACE_TRANSPORT: 'http',
      DOCSPACE_HOST: '127.0.0.1',
      DOCSPACE_PORT: '0',
      DOCSPACE_BASE_URL: 'http://127.0.0.1:9/',
      DOCSPACE_API_KEY: 'sk-conformance',
      DOCSPACE_SERVER_RATE_LIMITS_MCP_CAPACITY: '0',
      DOCSPACE_SERVER_RATE_LIMITS_PRINCIPAL_CAPACITY: '0',
    },
  });
  const logger = createLogger({ level: process.env.DEBUG_TESTS ? 'debug' : 'silent', pretty: false });
  return startHttpServer(config, { logger, decorateServer: addConformanceFixtures });
}

// `node dist/test/conformance/server.js` runs it alone, for running the suite by hand.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/dist\//, '/dist/'))) {
  const server = await startConformanceServer();
  process.stdout.write(`${server.url.replace('127.0.0.1', 'localhost')}/mcp\n`);
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
  process.once('SIGINT', () => void server.close().then(() => process.exit(0)));
}
