import type { HttpServerHandle } from '../../../src/http/start.js';
import { collectLogs, startServe } from '../../helpers/assembled.js';

export const API_KEY = 'sk-test-key';

/** `docspace-mcp serve` over HTTP on 127.0.0.1:0 with env overrides (DocSpace unreachable unless given). */
export async function startServer(
  env: Record<string, string> = {},
  fetchImpl?: typeof fetch,
  /** When given, every log line (JSON) is collected here at debug level. */
  logs?: string[],
): Promise<HttpServerHandle> {
  return startServe(
    { DOCSPACE_BASE_URL: 'http://127.0.0.1:9/', ...env },
    { fetch: fetchImpl, logs: logs ? collectLogs(logs) : undefined },
  );
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
