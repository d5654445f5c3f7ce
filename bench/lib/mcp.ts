import { type HttpResponse, request } from './http.js';

/**
 * A minimal MCP client that speaks just enough of both eras to drive the server, with no SDK
 * in the hot path (its own cost would be charged to the server otherwise).
 */
export const MODERN = '2026-07-28';
export const LEGACY = '2025-11-25';

/**
 * `legacy`: 2025 requests without a session (the stateless leg); `session`: a 2025 client as
 * clients behave, keeping the `Mcp-Session-Id` its `initialize` answer gave (the default
 * `DOCSPACE_HTTP_SESSIONS=stateful` leg).
 */
export type Era = 'modern' | 'legacy' | 'session';

export interface RpcResult {
  /** The JSON-RPC `result`, or undefined when the answer was an error. */
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
  status: number;
  bytes: number;
}

export class McpError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'McpError';
  }
}

let nextId = 1;

/** Reads a JSON body or the last JSON-RPC message of an SSE body. */
export function parseRpc(res: HttpResponse): RpcResult {
  const text = res.body.toString('utf8');
  const type = String(res.headers['content-type'] ?? '');
  let json: string | undefined = text;
  if (type.startsWith('text/event-stream')) {
    json = undefined;
    for (const line of text.split('\n')) {
      if (!line.startsWith('data:')) continue;
      const data = line.slice(5).trim();
      if (data.includes('"result"') || data.includes('"error"')) json = data;
    }
  }
  if (!json)
    return {
      status: res.status,
      bytes: res.body.length,
      error: { code: 0, message: `HTTP ${res.status}, no JSON-RPC answer` },
    };
  try {
    const msg = JSON.parse(json) as {
      result?: Record<string, unknown>;
      error?: { code: number; message: string };
    };
    return { status: res.status, bytes: res.body.length, result: msg.result, error: msg.error };
  } catch {
    return {
      status: res.status,
      bytes: res.body.length,
      error: { code: 0, message: `HTTP ${res.status}, unparsable body` },
    };
  }
}

/** One MCP-over-HTTP client; every POST stands alone, except in a 2025 session. */
export class HttpMcp {
  private sessionId: string | undefined;

  constructor(
    readonly url: string,
    readonly era: Era,
    private readonly auth?: string,
  ) {}

  private headers(method: string, name?: string): Record<string, string> {
    const h: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    };
    if (this.auth) h.authorization = `Bearer ${this.auth}`;
    if (this.era === 'modern') {
      h['mcp-protocol-version'] = MODERN;
      h['mcp-method'] = method;
      if (name !== undefined) h['mcp-name'] = name;
    } else if (method !== 'initialize') {
      h['mcp-protocol-version'] = LEGACY;
      if (this.sessionId !== undefined) h['mcp-session-id'] = this.sessionId;
    }
    return h;
  }

  body(method: string, params: Record<string, unknown>): string {
    const p =
      this.era === 'modern'
        ? {
            ...params,
            _meta: {
              'io.modelcontextprotocol/protocolVersion': MODERN,
              'io.modelcontextprotocol/clientCapabilities': {},
              'io.modelcontextprotocol/clientInfo': { name: 'docspace-mcp-bench', version: '1' },
            },
          }
        : params;
    return JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params: p });
  }

  async rpc(method: string, params: Record<string, unknown> = {}, name?: string): Promise<RpcResult> {
    const res = await request(this.url, {
      method: 'POST',
      headers: this.headers(method, name),
      body: this.body(method, params),
    });
    if (method === 'initialize' && this.era === 'session') {
      const sid = res.headers['mcp-session-id'];
      this.sessionId = typeof sid === 'string' ? sid : undefined;
    }
    return parseRpc(res);
  }

  /**
   * What a 2025 client does once before calling tools. In the `session` era the session id is
   * kept for every later request and `notifications/initialized` is sent, as clients do; in
   * `legacy` nothing is kept (the server's session, if it opened one, is never named again).
   */
  async initialize(): Promise<RpcResult> {
    const r = await this.rpc('initialize', {
      protocolVersion: LEGACY,
      capabilities: {},
      clientInfo: { name: 'docspace-mcp-bench', version: '1' },
    });
    if (this.era === 'session') {
      if (this.sessionId === undefined) throw new McpError('no_session', 'initialize opened no session');
      await request(this.url, {
        method: 'POST',
        headers: this.headers('notifications/initialized'),
        body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
      });
    }
    return r;
  }

  /** Ends the 2025 session (DELETE), when there is one. */
  async close(): Promise<void> {
    if (this.sessionId === undefined) return;
    await request(this.url, { method: 'DELETE', headers: this.headers('delete') });
    this.sessionId = undefined;
  }

  listTools(): Promise<RpcResult> {
    return this.rpc('tools/list', {});
  }

  callTool(name: string, args: Record<string, unknown>): Promise<RpcResult> {
    return this.rpc('tools/call', { name, arguments: args }, name);
  }
}

/** A tool call that worked: a result that is not `isError`. Throws with the reason otherwise. */
export function expectOk(r: RpcResult, what: string): Record<string, unknown> {
  if (r.error) throw new McpError('rpc_error', `${what}: ${r.error.message}`);
  if (!r.result) throw new McpError('no_result', `${what}: HTTP ${r.status} without a result`);
  if (r.result.isError === true) {
    const content = r.result.content as Array<{ text?: string }> | undefined;
    throw new McpError('tool_error', `${what}: ${content?.[0]?.text ?? 'tool error'}`);
  }
  return r.result;
}

/** True when a tool call or list succeeded; the load loop counts the rest as errors. */
export function isOk(r: RpcResult): boolean {
  return r.status === 200 && !!r.result && r.result.isError !== true;
}
