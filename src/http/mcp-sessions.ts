import {
  type InitializeRequestParams,
  isInitializeRequest,
  isLegacyRequest,
  type JSONRPCMessage,
  LATEST_PROTOCOL_VERSION,
  type McpServer,
  SUPPORTED_PROTOCOL_VERSIONS,
  WebStandardStreamableHTTPServerTransport,
} from '@modelcontextprotocol/server';
import { ServerResponse } from 'node:http';
import type { Context } from 'hono';
import type { Logger } from 'pino';
import type { ServerRequest } from '../mcp/server.js';
import type { SessionBus } from '../store/bus.js';
import { createStoreEventStore } from '../store/event-store.js';
import type { Store } from '../store/store.js';
import { selectTools, type ToolSelection } from '../tools/selection.js';
import { refusedCall } from '../mcp/access.js';
import { type AdmitDeps, type Admitted, admit, selectionFor, serverRequestFor } from './admit.js';
import type { Principal } from './authenticate.js';
import type { HttpEnv } from './env.js';
import { HttpError, RPC } from './errors.js';
import { type Limit, type RateLimiter, withHeaders } from './rate-limit.js';

/**
 * Sessions for 2025-era clients on `/mcp` (the SDK's Streamable HTTP server transport with
 * `Mcp-Session-Id`, an event store and a retry interval), so the server can send them requests
 * (confirmations, sampling) and their streams can resume. 2026-07-28 clients never get here.
 *
 * What the stateless leg did well stays: every request authenticates and its credential is the
 * one the next DocSpace call uses (a refreshed token takes effect at once); a session belongs to
 * the principal that opened it (anyone else's credential with its id → 404, as if unknown);
 * `DELETE` ends it and an ended id answers 404; sessions expire when idle; opening one is
 * capped per principal and per instance.
 *
 * Across instances: the session's record (owner and `initialize` parameters) is in the
 * configured store, so an instance that has never seen the session rebuilds it by replaying the
 * handshake into a fresh server; events for `Last-Event-ID` are in the store too; and a client's
 * answers to the server's requests (and its cancellations) are published on the session bus to
 * the instance whose tool call waits for them. See docs/deployment.md. Refusals are thrown and
 * answered as JSON-RPC errors by the app's error handler.
 */
export interface SessionDeps extends AdmitDeps {
  factory: (req: ServerRequest) => McpServer;
  store: Store;
  /**
   * Where resumable events go; default `store`. On the memory store a separate one, so a burst
   * of events cannot evict sign-ins and grants when the bound is reached.
   */
  eventStore?: Store;
  /** 32 bytes sealing stored events (derived from the server secret). */
  eventKey?: Buffer;
  /** Only with a shared (Redis) store: forwards client answers between instances. */
  bus?: SessionBus;
  limiter: RateLimiter;
  principalLimit: Limit;
  maxBodySize: number;
  idleMs: number;
  maxSessions: number;
  maxPerPrincipal: number;
  /** SSE `retry:` suggested to clients (ms). Default 1000. */
  retryIntervalMs?: number;
  userAgent?: string;
  logger: Logger;
}

export interface SessionRoute {
  /** Whether a request belongs here: a 2025 `initialize`, or a 2025 request naming a session. */
  wants(req: Request, parsedBody: unknown): Promise<boolean>;
  /**
   * `admitted`: the request's authentication when the caller already did it (it is not done
   * twice); `limited`: the per-person rate limit was already counted for this request.
   */
  handle(c: Context<HttpEnv>, parsedBody: unknown, admitted?: Admitted, limited?: boolean): Promise<Response>;
  readonly size: number;
  /** Closes this instance's copies; the sessions live on in the store (rolling restarts). */
  close(): Promise<void>;
}

interface SessionRecord {
  owner: string;
  init: InitializeRequestParams;
}

interface Local {
  id: string;
  owner: string;
  /** The record as stored, for refreshing its expiry only while it is still there. */
  stored: string;
  transport: WebStandardStreamableHTTPServerTransport;
  server: McpServer;
  serverRequest: ServerRequest;
  selection: ToolSelection;
  /** The connection's access level its tools were registered for (src/mcp/access.ts). */
  level?: string;
  /** What `initialize` settled on; the session keeps it whatever a later header says. */
  protocolVersion: string;
  lastSeen: number;
  /** Responses not yet finished (open SSE streams). */
  open: number;
  closed: boolean;
}

/** How long resumable events are kept; a reconnect comes within seconds. */
const EVENT_TTL_SECONDS = 600;
const recordKey = (id: string) => `mcp-session:${id}`;

function ownerOf(p: Principal): string {
  return `${p.kind}|${p.userId ?? ''}|${p.clientId ?? ''}`;
}

function notFound(): HttpError {
  return new HttpError(
    404,
    'session_not_found',
    'Session not found or ended: start a new one with initialize.',
    {
      rpcCode: RPC.unauthorized,
    },
  );
}

const tooMany = () =>
  new HttpError(503, 'too_many_sessions', 'Too many open sessions; try again later.', {
    headers: { 'Retry-After': '30' },
  });

const INTERNAL_URL = 'http://session.internal/mcp';
const INTERNAL_HEADERS = {
  accept: 'application/json, text/event-stream',
  'content-type': 'application/json',
};

export function createSessionRoute(deps: SessionDeps): SessionRoute {
  const locals = new Map<string, Local>();
  const ttlSeconds = Math.max(1, Math.ceil(deps.idleMs / 1000));
  const sweepMs = Math.min(60_000, Math.max(500, Math.floor(deps.idleMs / 4)));
  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const local of locals.values()) {
      if (now - local.lastSeen <= deps.idleMs) continue;
      if (local.open === 0) void closeLocal(local);
      // Only a stream open: the session lives while its record does (ended or expired elsewhere).
      else
        void deps.store.get(recordKey(local.id)).then(
          async (stored) => {
            if (stored === undefined) await closeLocal(local);
          },
          () => undefined,
        );
    }
  }, sweepMs);
  sweeper.unref();

  deps.bus?.subscribe((payload) => {
    let parsed: { sid?: unknown; messages?: unknown };
    try {
      parsed = JSON.parse(payload) as typeof parsed;
    } catch {
      return;
    }
    const local = typeof parsed.sid === 'string' ? locals.get(parsed.sid) : undefined;
    if (!local || !Array.isArray(parsed.messages)) return;
    void local.transport
      .handleRequest(
        new Request(INTERNAL_URL, {
          method: 'POST',
          headers: { ...INTERNAL_HEADERS, 'mcp-session-id': local.id },
        }),
        { parsedBody: parsed.messages },
      )
      .catch(() => undefined);
  });

  async function closeLocal(local: Local): Promise<void> {
    if (local.closed) return;
    local.closed = true;
    if (locals.get(local.id) === local) locals.delete(local.id);
    await local.server.close().catch(() => undefined);
  }

  function countFor(owner: string): number {
    let n = 0;
    for (const local of locals.values()) if (local.owner === owner) n++;
    return n;
  }

  async function build(
    id: string,
    record: SessionRecord,
    stored: string,
    serverRequest: ServerRequest,
    selection: ToolSelection,
  ): Promise<Local> {
    const owner = record.owner;
    const asked = record.init?.protocolVersion;
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => id,
      eventStore: createStoreEventStore(deps.eventStore ?? deps.store, id, EVENT_TTL_SECONDS, deps.eventKey),
      retryInterval: deps.retryIntervalMs ?? 1000,
      maxRequestBodySize: deps.maxBodySize,
      onsessionclosed: async () => {
        await deps.store.delete(recordKey(id));
        deps.logger.debug({ sessionId: id }, 'mcp session ended by the client');
      },
    });
    const server = deps.factory(serverRequest);
    const local: Local = {
      id,
      owner,
      stored,
      transport,
      server,
      serverRequest,
      selection,
      level: serverRequest.access?.level,
      protocolVersion: SUPPORTED_PROTOCOL_VERSIONS.includes(asked) ? asked : LATEST_PROTOCOL_VERSION,
      lastSeen: Date.now(),
      open: 0,
      closed: false,
    };
    transport.onclose = () => {
      local.closed = true;
      if (locals.get(id) === local) locals.delete(id);
    };
    transport.onerror = (err) =>
      deps.logger.debug({ err: err.message, sessionId: id }, 'mcp session transport');
    await server.connect(transport);
    locals.set(id, local);
    return local;
  }

  /** Rebuilds a session this instance has not seen (another instance opened it, or a restart). */
  async function revive(
    id: string,
    stored: string,
    record: SessionRecord,
    serverRequest: ServerRequest,
    selection: ToolSelection,
  ): Promise<Local> {
    const local = await build(id, record, stored, serverRequest, selection);
    // The client's handshake again, answered into the void: the fresh server learns the
    // protocol version and the client's capabilities (can it be asked?) as the first one did.
    const init = await local.transport.handleRequest(
      new Request(INTERNAL_URL, { method: 'POST', headers: INTERNAL_HEADERS }),
      { parsedBody: { jsonrpc: '2.0', id: 'revive', method: 'initialize', params: record.init } },
    );
    await init.text().catch(() => undefined);
    await local.transport.handleRequest(
      new Request(INTERNAL_URL, {
        method: 'POST',
        headers: { ...INTERNAL_HEADERS, 'mcp-session-id': id },
      }),
      { parsedBody: { jsonrpc: '2.0', method: 'notifications/initialized' } },
    );
    deps.logger.debug({ sessionId: id }, 'mcp session rebuilt from the store');
    return local;
  }

  async function wants(req: Request, parsedBody: unknown): Promise<boolean> {
    const named = req.headers.has('mcp-session-id');
    if (req.method !== 'POST') return named;
    if (!named && !isInitializeRequest(parsedBody)) return false;
    return isLegacyRequest(req, parsedBody, { maxRequestBodySize: deps.maxBodySize });
  }

  async function handle(
    c: Context<HttpEnv>,
    parsedBody: unknown,
    admitted?: Admitted,
    limited = false,
  ): Promise<Response> {
    const raw = c.req.raw;
    // A preflight CORS did not answer (no origins configured): nothing to authenticate.
    if (!admitted && raw.method === 'OPTIONS') return new Response(null, { status: 204 });
    const auth = admitted ?? (await admit(c, deps));
    const principal = auth.principal;
    const limit =
      principal.kind === 'shared' || limited
        ? { headers: {} }
        : await deps.limiter.check(
            deps.principalLimit,
            principal.userId ?? principal.clientId ?? '',
            'jsonrpc',
          );
    if ('refused' in limit && limit.refused) return limit.refused;
    const selection = selectionFor(deps, auth.options);
    const owner = ownerOf(principal);
    const serverRequest = serverRequestFor(c, auth, selection, deps.userAgent);

    const id = raw.headers.get('mcp-session-id');
    let local: Local | undefined;
    if (!id) {
      if (raw.method !== 'POST' || !isInitializeRequest(parsedBody))
        throw new HttpError(400, 'session_missing', 'Mcp-Session-Id header is required.', {
          rpcCode: RPC.invalidRequest,
        });
      if (locals.size >= deps.maxSessions) throw tooMany();
      // The shared credential is everyone's: only the total cap applies to it.
      if (principal.kind !== 'shared' && countFor(owner) >= deps.maxPerPrincipal)
        throw new HttpError(
          429,
          'too_many_sessions',
          `You have ${deps.maxPerPrincipal} sessions open; close one (DELETE /mcp) or wait for one to expire.`,
          { headers: { 'Retry-After': String(Math.ceil(deps.idleMs / 1000)) } },
        );
      const newId = crypto.randomUUID();
      const record: SessionRecord = { owner, init: parsedBody.params };
      const stored = JSON.stringify(record);
      await deps.store.set(recordKey(newId), stored, ttlSeconds);
      local = await build(newId, record, stored, serverRequest, selection);
      deps.logger.debug({ sessionId: newId }, 'mcp session opened');
    } else {
      const stored = await deps.store.get(recordKey(id));
      local = locals.get(id);
      if (stored === undefined) {
        // Ended (DELETE on any instance) or expired.
        if (local) await closeLocal(local);
        throw notFound();
      }
      let record: SessionRecord;
      try {
        record = JSON.parse(stored) as SessionRecord;
      } catch {
        throw notFound();
      }
      // Someone else's session is no session at all to this caller.
      if (record.owner !== owner) throw notFound();
      if (!local || local.closed) {
        if (locals.size >= deps.maxSessions) throw tooMany();
        local = await revive(id, stored, record, serverRequest, selection);
      } else if (local.level !== auth.access?.level) {
        // The person changed this connection's access on /connections: the session's tools are
        // registered again for the new level (tools/list follows at once, in both directions).
        await closeLocal(local);
        local = await revive(id, stored, record, serverRequest, selection);
      }
      // Idle expiry counts from the last request on any instance.
      await deps.store.compareAndSet(recordKey(id), stored, stored, ttlSeconds);
      // This request's credential is the one the session's next DocSpace call uses.
      local.serverRequest.credential = auth.credential;
      local.serverRequest.requestId = c.get('requestId');
      // The connection's access level as of this request (lowered on /connections meanwhile?).
      local.serverRequest.access = auth.access;
      const withheld = refusedCall(parsedBody, local.selection, auth.access);
      if (withheld) return Response.json(withheld);
      refuseNarrowedAway(parsedBody, selection, local.selection);
      if (deps.bus && raw.method === 'POST') {
        const answers = clientAnswers(parsedBody);
        if (answers.length > 0) await deps.bus.publish(JSON.stringify({ sid: id, messages: answers }));
      }
    }
    return serve(local, raw, parsedBody, auth.principal, limit.headers, outgoingOf(c));
  }

  async function serve(
    local: Local,
    raw: Request,
    parsedBody: unknown,
    principal: Principal,
    headers: Record<string, string>,
    outgoing?: ServerResponse,
  ): Promise<Response> {
    local.lastSeen = Date.now();
    local.open++;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      local.open--;
      local.lastSeen = Date.now();
    };
    // Resumability (priming events, a tool closing its stream) follows the protocol version;
    // a client whose header names an older revision than its session's still gets them.
    const given = raw.headers.get('mcp-protocol-version');
    let req = raw;
    if (given && given !== local.protocolVersion && SUPPORTED_PROTOCOL_VERSIONS.includes(given)) {
      const headers = new Headers(raw.headers);
      headers.set('mcp-protocol-version', local.protocolVersion);
      req = new Request(raw.url, { method: raw.method, headers, signal: raw.signal });
    }
    let res: Response;
    try {
      res = await local.transport.handleRequest(req, {
        parsedBody,
        authInfo: { token: '', clientId: principal.clientId ?? '', scopes: [] },
      });
    } catch (err) {
      finish();
      throw err;
    }
    if (/^text\/event-stream/i.test(res.headers.get('content-type') ?? '') && res.body) {
      // The Node response closes when the stream has ended or the client went away: one listener,
      // where a TransformStream per answer cost ≈ 12 % of the CPU of a session call (bench/ab).
      if (outgoing) {
        outgoing.once('close', finish);
        return withHeaders(res, headers);
      }
      const passed = res.body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({ flush: finish }));
      raw.signal.addEventListener('abort', finish, { once: true });
      res = new Response(passed, { status: res.status, statusText: res.statusText, headers: res.headers });
    } else finish();
    return withHeaders(res, headers);
  }

  return {
    wants,
    handle,
    get size() {
      return locals.size;
    },
    async close() {
      clearInterval(sweeper);
      await Promise.all([...locals.values()].map(closeLocal));
    },
  };
}

/** The Node response under a request served by @hono/node-server (absent under `app.request`). */
function outgoingOf(c: Context<HttpEnv>): ServerResponse | undefined {
  const env = c.env as { outgoing?: unknown } | undefined;
  return env?.outgoing instanceof ServerResponse ? env.outgoing : undefined;
}

/** Responses to the server's requests, and cancellations: what another instance may wait for. */
function clientAnswers(body: unknown): JSONRPCMessage[] {
  const messages = Array.isArray(body) ? body : [body];
  return messages.filter(
    (m): m is JSONRPCMessage =>
      !!m &&
      typeof m === 'object' &&
      ('result' in m || 'error' in m || (m as { method?: unknown }).method === 'notifications/cancelled'),
  );
}

/**
 * The session's tools were registered when it opened; a later request that narrows the tools
 * (per-request headers) still cannot call what it narrowed away: a JSON-RPC error answering the
 * call (HTTP 200, as the MCP server would answer an unknown tool).
 */
function refuseNarrowedAway(body: unknown, now: ToolSelection, opened: ToolSelection): void {
  if (now === opened || now.dynamic) return;
  const messages = Array.isArray(body) ? body : [body];
  let allowed: Set<string> | undefined;
  for (const m of messages) {
    const call = m as { id?: unknown; method?: unknown; params?: { name?: unknown } } | null;
    if (call?.method !== 'tools/call' || typeof call.params?.name !== 'string') continue;
    allowed ??= new Set(selectTools(now).map((t) => t.name));
    if (!allowed.has(call.params.name))
      throw new HttpError(
        200,
        'tool_not_available',
        `Tool ${call.params.name} is not available with this request's settings.`,
        { rpcCode: RPC.invalidParams, id: call.id ?? null },
      );
  }
}
