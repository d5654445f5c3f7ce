import type { JSONRPCMessage, McpServer } from '@modelcontextprotocol/server';
import type { Context } from 'hono';
import type { Logger } from 'pino';
import { envelopeError } from '../mcp/envelope.js';
import type { ServerRequest } from '../mcp/server.js';
import { SseServerTransport } from '../mcp/sse-transport.js';
import { refusedCall } from '../mcp/access.js';
import { type AdmitDeps, admit, requireJson, selectionFor, serverRequestFor } from './admit.js';
import type { Principal } from './authenticate.js';
import { type BodyBudget, readJsonBody } from './body.js';
import type { HttpEnv } from './env.js';
import { HttpError, RPC } from './errors.js';

interface Session {
  transport: SseServerTransport;
  server: McpServer;
  owner: string;
  serverRequest: ServerRequest;
  expiresAt: number;
}

export interface SseDeps extends AdmitDeps {
  factory: (req: ServerRequest) => McpServer;
  maxBodySize: number;
  /** Body bytes in flight across all requests (shared with `/mcp`). */
  bodyBudget?: BodyBudget;
  /** 0 = sessions never expire. */
  ttlMs: number;
  /** 0 = no sweeping (expired sessions still refuse messages). */
  sweepIntervalMs: number;
  maxSessions: number;
  /** Sessions one principal may hold at once (under `maxSessions`). */
  maxSessionsPerPrincipal?: number;
  keepAliveMs?: number;
  userAgent?: string;
  logger: Logger;
}

export interface SseRoutes {
  open(c: Context<HttpEnv>): Promise<Response>;
  message(c: Context<HttpEnv>): Promise<Response>;
  readonly size: number;
  closeAll(): Promise<void>;
}

function ownerOf(p: Principal): string {
  return `${p.kind}|${p.userId ?? ''}|${p.clientId ?? ''}`;
}

/**
 * The legacy HTTP+SSE transport (MCP 2024-11-05): `GET /sse` opens an event stream whose first
 * event names the POST endpoint, `POST /messages?sessionId=…` delivers client messages, and
 * every server message travels on the stream. Kept for clients of the reference server.
 *
 * Unlike the reference, the session is found from the `sessionId` query parameter the endpoint
 * event advertises (what SDK SSE clients send) or `Mcp-Session-Id`. A session is bound to the
 * principal that opened it; each POST must authenticate as the same one. Sessions expire,
 * are bounded in number, and close cleanly on shutdown. Refusals are thrown and answered as
 * JSON-RPC errors by the app's error handler.
 */
export function createSseRoutes(deps: SseDeps): SseRoutes {
  const sessions = new Map<string, Session>();
  /** Open sessions per holder, so one person cannot take the whole `maxSessions`. */
  const held = new Map<string, number>();
  const perPrincipal = deps.maxSessionsPerPrincipal ?? deps.maxSessions;
  const sweeper =
    deps.sweepIntervalMs > 0 && deps.ttlMs > 0
      ? setInterval(() => {
          const now = Date.now();
          for (const [, s] of sessions) if (s.expiresAt <= now) void s.transport.close();
        }, deps.sweepIntervalMs)
      : undefined;
  sweeper?.unref();

  async function open(c: Context<HttpEnv>): Promise<Response> {
    const raw = c.req.raw;
    const auth = await admit(c, deps);
    const selection = selectionFor(deps, auth.options);
    if (sessions.size >= deps.maxSessions) {
      throw new HttpError(
        503,
        'too_many_sessions',
        'Too many open SSE sessions; try again later or use /mcp.',
        {
          headers: { 'Retry-After': '30' },
        },
      );
    }
    // Everyone on a shared credential is one principal: count them by address instead.
    const holder = auth.principal.kind === 'shared' ? `shared|${c.get('clientIp')}` : ownerOf(auth.principal);
    const holding = held.get(holder) ?? 0;
    if (holding >= perPrincipal) {
      throw new HttpError(
        503,
        'too_many_sessions',
        `You already have ${holding} open SSE sessions, your own limit; close one or use /mcp.`,
        { headers: { 'Retry-After': '30' } },
      );
    }
    held.set(holder, holding + 1);
    const id = crypto.randomUUID();
    const transport = new SseServerTransport(id, `/messages?sessionId=${id}`, deps.keepAliveMs ?? 15_000);
    const serverRequest = serverRequestFor(c, auth, selection, deps.userAgent);
    const server = deps.factory(serverRequest);
    const session: Session = {
      transport,
      server,
      owner: ownerOf(auth.principal),
      serverRequest,
      expiresAt: deps.ttlMs > 0 ? Date.now() + deps.ttlMs : Number.POSITIVE_INFINITY,
    };
    sessions.set(id, session);
    transport.onclose = () => {
      sessions.delete(id);
      const left = (held.get(holder) ?? 1) - 1;
      if (left > 0) held.set(holder, left);
      else held.delete(holder);
      void server.close().catch(() => undefined);
    };
    raw.signal.addEventListener('abort', () => void transport.close(), { once: true });
    await server.connect(transport);
    deps.logger.debug({ sessionId: id }, 'sse session opened');
    return new Response(transport.stream, {
      status: 200,
      headers: {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-cache, no-transform',
        'X-Accel-Buffering': 'no',
        'Mcp-Session-Id': id,
      },
    });
  }

  async function message(c: Context<HttpEnv>): Promise<Response> {
    const raw = c.req.raw;
    const id = c.req.query('sessionId') ?? raw.headers.get('mcp-session-id') ?? '';
    if (!id)
      throw new HttpError(400, 'session_missing', 'Missing sessionId: open a session with GET /sse first.', {
        rpcCode: RPC.invalidRequest,
      });
    const session = sessions.get(id);
    if (!session || session.expiresAt <= Date.now()) {
      if (session) void session.transport.close();
      throw new HttpError(
        404,
        'session_not_found',
        'Session not found or expired: open a new one with GET /sse.',
        {
          rpcCode: RPC.unauthorized,
        },
      );
    }
    requireJson(raw);
    // The session's tools were fixed when it opened; a message only proves who sends it.
    const auth = await admit(c, deps, { query: false });
    if (ownerOf(auth.principal) !== session.owner) {
      throw new HttpError(403, 'session_of_another', 'This session belongs to another user.', {
        rpcCode: RPC.invalidRequest,
      });
    }
    // A refreshed token replaces the one the session opened with.
    session.serverRequest.credential = auth.credential;
    session.serverRequest.access = auth.access;
    const body = await readJsonBody(raw, deps.maxBodySize, deps.bodyBudget);
    // The session answers on its stream, later; the bytes count until the message is handed over.
    body.release();
    const messages = Array.isArray(body.value) ? body.value : [body.value];
    for (const m of messages) {
      if (!m || typeof m !== 'object' || (m as { jsonrpc?: unknown }).jsonrpc !== '2.0') {
        throw new HttpError(400, 'not_jsonrpc', 'Invalid Request: not a JSON-RPC 2.0 message.', {
          rpcCode: RPC.invalidRequest,
        });
      }
    }
    for (const m of messages) {
      const refused =
        envelopeError(m) ?? refusedCall(m, session.serverRequest.selection ?? deps.selection, auth.access);
      if (refused) void session.transport.send(refused as JSONRPCMessage).catch(() => undefined);
      else session.transport.deliver(m as JSONRPCMessage, raw);
    }
    return new Response('Accepted', { status: 202, headers: { 'Content-Type': 'text/plain' } });
  }

  return {
    open,
    message,
    get size() {
      return sessions.size;
    },
    async closeAll() {
      if (sweeper) clearInterval(sweeper);
      await Promise.all([...sessions.values()].map((s) => s.transport.close()));
    },
  };
}
