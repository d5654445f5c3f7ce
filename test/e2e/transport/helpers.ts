import { loadConfig } from '../../../src/config/load.js';
import { type HttpServerHandle, startHttpServer } from '../../../src/http/start.js';
import { createLogger } from '../../../src/log.js';

export const API_KEY = 'sk-test-key';

/** Starts the real HTTP server on 127.0.0.1:0 with env overrides; logs silenced unless DEBUG_TESTS. */
export async function startServer(
  env: Record<string, string> = {},
  fetchImpl?: typeof fetch,
  /** When given, every log line (JSON) is collected here at debug level. */
  logs?: string[],
): Promise<HttpServerHandle> {
  const config = loadConfig({
    env: {
      DOCSPACE_TRANSPORT: 'http',
      DOCSPACE_HOST: '127.0.0.1',
      DOCSPACE_PORT: '0',
      DOCSPACE_BASE_URL: 'http://127.0.0.1:9/',
      ...env,
    },
  });
  const logger = logs
    ? createLogger({
        level: 'debug',
        pretty: false,
        destination: { write: (line: string) => void logs.push(line) },
      })
    : createLogger({ level: process.env.DEBUG_TESTS ? 'debug' : 'silent', pretty: false });
  return startHttpServer(config, { logger, fetch: fetchImpl });
}

/** A modern (2026-07-28) JSON-RPC POST without the SDK, for wire-level checks. */
export function rpc(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
};
