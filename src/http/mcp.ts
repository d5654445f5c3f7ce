import { createMcpHandler, type McpServer } from '@modelcontextprotocol/server';
import type { Context } from 'hono';
import type { Logger } from 'pino';
import { envelopeError } from '../mcp/envelope.js';
import { closeExchange, type ServerFactory, type ServerRequest } from '../mcp/server.js';
import type { ToolSelection } from '../tools/selection.js';
import {
  type AdmitDeps,
  type Admitted,
  admit,
  requireJson,
  selectionFor,
  serverRequestFor,
} from './admit.js';
import type { Authenticate, Principal } from './authenticate.js';
import { type BodyBudget, readJsonBody } from './body.js';
import type { HttpEnv } from './env.js';
import { HttpError, RPC } from './errors.js';
import type { SessionRoute } from './mcp-sessions.js';
import { type Limit, type RateLimiter, withHeaders } from './rate-limit.js';

/**
 * Streamable HTTP on `/mcp`, both eras through the SDK's `createMcpHandler`.
 *
 * The 2025 leg is the SDK's stateless one (no `Mcp-Session-Id`), on purpose: credentials and
 * per-request settings are read from every request instead of being frozen at `initialize`
 * (a bug of the reference), any instance can answer any request, and nothing needs expiring.
 * Progress still reaches 2025 clients on the POST's own SSE response. The cost: a 2025 client
 * cannot be sent requests (elicitation, sampling); the tools layer checks `canElicit` and
 * confirms destructive calls in two calls instead of asking. See docs/configuration.md "HTTP sessions".
 * With `DOCSPACE_HTTP_SESSIONS=stateful` (the default) 2025 `initialize` and requests naming a
 * session go to src/http/mcp-sessions.ts instead; only sessionless 2025 requests stay stateless.
 * Refusals are thrown (`HttpError`, `AuthError`, `SelectionError`) and answered as JSON-RPC
 * errors by the app's error handler (src/http/app.ts).
 */
export interface McpRouteDeps extends AdmitDeps {
  factory: ServerFactory;
  limiter: RateLimiter;
  principalLimit: Limit;
  maxBodySize: number;
  /** Body bytes in flight across all requests (shared with the SSE routes). */
  bodyBudget?: BodyBudget;
  /** 0 = no timeout. */
  requestTimeoutMs: number;
  userAgent?: string;
  logger: Logger;
  /** 2025 sessions (`DOCSPACE_HTTP_SESSIONS=stateful`); without it the 2025 leg is stateless. */
  sessions?: SessionRoute;
}

export type { Authenticate };

interface Carried {
  serverRequest: ServerRequest;
  /**
   * Runs `fn` when the client disconnects, cancels or the request times out, unless the request
   * has finished first. Not a listener on the request's signal: that signal is kept alive by
   * the forwarded `Request`, and a listener holding the per-request server would go with it.
   */
  onAbort(fn: () => void): void;
}

export interface McpRoute {
  handle(c: Context<HttpEnv>): Promise<Response>;
  /** Aborts open modern exchanges (listen streams); call after in-flight requests drained. */
  close(): Promise<void>;
}

function principalKey(p: Principal): string | undefined {
  if (p.kind === 'shared') return undefined;
  return p.userId ?? p.clientId;
}

export function createMcpRoute(deps: McpRouteDeps): McpRoute {
  const handler = createMcpHandler(
    (ctx) => {
      const carried = ctx.authInfo?.extra as Carried | undefined;
      // The edge always authenticates first; an instance without a request gets no credential.
      const server = deps.factory(carried?.serverRequest ?? { credential: undefined }, ctx.era);
      // The SDK is handed the request as Hono made it, whose signal only knows the client going
      // away; a timeout or a `notifications/cancelled` closes the one-request instance instead,
      // which aborts the tool's signal (and its DocSpace calls) in either era.
      // A pooled instance is closed only while it still serves this request.
      if (carried) carried.onAbort(() => closeExchange(server, carried.serverRequest));
      return server;
    },
    {
      maxRequestBodySize: deps.maxBodySize,
      onerror: (err) => deps.logger.debug({ err: err.message }, 'mcp handler rejected a request'),
    },
  );

  /** In-flight tool calls by owner and JSON-RPC id, for `notifications/cancelled`. */
  const cancellable = new Map<string, AbortController>();

  async function handle(c: Context<HttpEnv>): Promise<Response> {
    const raw = c.req.raw;
    // --- 2025 sessions (src/http/mcp-sessions.ts): GET and DELETE naming a session ---
    if (deps.sessions && raw.method !== 'POST' && (await deps.sessions.wants(raw, undefined)))
      return deps.sessions.handle(c, undefined);
    if (raw.method !== 'POST') {
      throw new HttpError(
        405,
        'method_not_allowed',
        `Method ${raw.method} is not allowed on /mcp; use POST.`,
        {
          headers: { Allow: 'POST, OPTIONS' },
        },
      );
    }
    requireJson(raw);

    // Who is asking comes from the headers alone: a request that cannot authenticate, is over
    // its limit or asks for tools it cannot have is refused before its body is read.
    const auth = await admit(c, deps);

    // --- 2025 sessions: a request naming a session; the session route limits it itself ---
    if (deps.sessions && raw.headers.has('mcp-session-id')) {
      const named = await readJsonBody(raw, deps.maxBodySize, deps.bodyBudget);
      try {
        if (await deps.sessions.wants(raw, named.value))
          return await deps.sessions.handle(c, named.value, auth);
        // A session id on a 2026-07-28 request means nothing: answered as any other.
        const selection = selectionFor(deps, auth.options);
        return await answer(c, raw, named.value, auth, {}, selection, named.release);
      } finally {
        named.release();
      }
    }

    const key = principalKey(auth.principal);
    const limit = key ? await deps.limiter.check(deps.principalLimit, key, 'jsonrpc') : { headers: {} };
    if ('refused' in limit && limit.refused) return limit.refused;

    const selection = selectionFor(deps, auth.options);

    const body = await readJsonBody(raw, deps.maxBodySize, deps.bodyBudget);
    try {
      // --- 2025 sessions: `initialize` opens one; the rest stays stateless ---
      if (deps.sessions && (await deps.sessions.wants(raw, body.value))) {
        try {
          return await deps.sessions.handle(c, body.value, auth, true);
        } finally {
          body.release();
        }
      }
      return await answer(c, raw, body.value, auth, limit.headers, selection, body.release);
    } catch (err) {
      body.release();
      throw err;
    }
  }

  async function answer(
    c: Context<HttpEnv>,
    raw: Request,
    parsed: unknown,
    auth: Admitted,
    limitHeaders: Record<string, string>,
    selection: ToolSelection,
    releaseBody: () => void,
  ): Promise<Response> {
    const message = parsed as {
      id?: unknown;
      method?: unknown;
      params?: { name?: unknown; requestId?: unknown };
    } | null;
    if (message && typeof message === 'object' && !Array.isArray(message)) {
      if (typeof message.method === 'string') c.set('mcpMethod', message.method.slice(0, 64));
      if (message.method === 'tools/call' && typeof message.params?.name === 'string')
        c.set('toolName', message.params.name.slice(0, 64));
    }

    const serverRequest: ServerRequest = {
      ...serverRequestFor(c, auth, selection, deps.userAgent),
      // One request, one method: a tools/call instance needs only the tool it names.
      toolName: c.get('toolName'),
      method: c.get('mcpMethod'),
    };
    const refused = envelopeError(parsed);
    if (refused) {
      releaseBody();
      return withHeaders(
        new Response(JSON.stringify(refused), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        }),
        limitHeaders,
      );
    }
    // 2025 clients cancel with a separate `notifications/cancelled` POST, which the stateless
    // leg would hand to a fresh instance that knows nothing of the call: match it here.
    const owner = `${auth.principal.kind}|${auth.principal.userId ?? ''}|${auth.principal.clientId ?? ''}|${c.get('clientIp')}`;
    if (message?.method === 'notifications/cancelled') {
      releaseBody();
      cancellable.get(`${owner}|${JSON.stringify(message.params?.requestId)}`)?.abort();
      return new Response(null, { status: 202 });
    }
    // One plain controller per request, aborted by the client going away, a matching
    // `notifications/cancelled` or the timeout. Not `AbortSignal.any`/`AbortSignal.timeout`: in
    // Node 20 those stay in memory, with all their listeners reach, until they abort
    // (docs/performance.md §1). Every listener and timer is removed in `finish`.
    const cancel = new AbortController();
    const signal = cancel.signal;
    const onClientGone = () => cancel.abort(raw.signal.reason);
    if (raw.signal.aborted) onClientGone();
    else raw.signal.addEventListener('abort', onClientGone, { once: true });
    const cancelKey =
      c.get('toolName') && message?.id !== undefined ? `${owner}|${JSON.stringify(message.id)}` : undefined;
    if (cancelKey && cancellable.size < MAX_CANCELLABLE) cancellable.set(cancelKey, cancel);
    let timer: NodeJS.Timeout | undefined;
    const timedOut =
      deps.requestTimeoutMs > 0
        ? new Promise<'timeout'>((resolve) => {
            timer = setTimeout(() => {
              resolve('timeout');
              cancel.abort(new DOMException('The request timed out.', 'TimeoutError'));
            }, deps.requestTimeoutMs);
          })
        : undefined;
    let abortHooks: (() => void)[] = [];
    const runAbortHooks = () => {
      for (const hook of abortHooks) hook();
      abortHooks = [];
    };
    signal.addEventListener('abort', runAbortHooks, { once: true });
    const onAbort = (fn: () => void) => {
      if (signal.aborted) fn();
      else abortHooks.push(fn);
    };
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      raw.signal.removeEventListener('abort', onClientGone);
      signal.removeEventListener('abort', runAbortHooks);
      abortHooks = [];
      if (cancelKey && cancellable.get(cancelKey) === cancel) cancellable.delete(cancelKey);
      releaseBody();
    };
    // The body was read above, so the SDK gets the parsed value and the request itself: a
    // copy (for a signal that also fires on our timeout) cost a whole WHATWG Request per call;
    // the factory's `onAbort` hook cancels instead.
    const pending = handler.fetch(raw, {
      parsedBody: parsed,
      authInfo: {
        token: '',
        clientId: auth.principal.clientId ?? '',
        scopes: [],
        extra: { serverRequest, onAbort } satisfies Carried as unknown as Record<string, unknown>,
      },
    });
    pending.catch(finish);
    const first = await (timedOut ? Promise.race([pending, timedOut]) : pending);
    const timeoutMessage = `The request took longer than ${deps.requestTimeoutMs} ms and was cancelled.`;
    if (first === 'timeout') {
      finish();
      throw new HttpError(504, 'timeout', timeoutMessage);
    }
    let res = first;
    // A JSON answer is complete once here; a stream (SSE: progress, the 2025 leg) is not, and
    // the timeout and cancel key stay until it ends. Tool calls are counted by the factory's
    // `onToolResult`, not here. A timeout on a stream answers the request on it, then ends it.
    // Content type first: `res.body` would turn @hono/node-server's lightweight JSON answer into
    // a WHATWG Response read back as a stream (≈ 11 % of a call's CPU, with the two in app.ts/guards.ts).
    if (/^text\/event-stream/i.test(res.headers.get('content-type') ?? '') && res.body) {
      const timeoutAnswer =
        message && typeof message === 'object' && !Array.isArray(message) && message.id !== undefined
          ? { jsonrpc: '2.0', id: message.id, error: { code: RPC.serverError, message: timeoutMessage } }
          : undefined;
      res = whenStreamEnds(res, signal, finish, timeoutAnswer);
    } else finish();
    return withHeaders(res, limitHeaders);
  }

  return {
    handle,
    close: async () => {
      await deps.sessions?.close();
      await handler.close();
    },
  };
}

const MAX_CANCELLABLE = 10_000;

/**
 * Calls `onDone` once a streamed body has ended, was cancelled, or the request was aborted.
 * When the abort is the request timeout, `timeoutAnswer` (the request's JSON-RPC error) is sent
 * as the stream's last event first, so the client gets an answer rather than a bare end.
 */
function whenStreamEnds(
  res: Response,
  signal: AbortSignal,
  onDone: () => void,
  timeoutAnswer?: object,
): Response {
  const body = res.body as ReadableStream<Uint8Array>;
  let controller: TransformStreamDefaultController<Uint8Array> | undefined;
  let ended = false;
  const done = () => {
    signal.removeEventListener('abort', aborted);
    onDone();
  };
  const aborted = () => {
    const timedOut = (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError';
    if (timedOut && timeoutAnswer && controller && !ended) {
      ended = true;
      try {
        controller.enqueue(
          new TextEncoder().encode(`event: message\ndata: ${JSON.stringify(timeoutAnswer)}\n\n`),
        );
        controller.terminate();
      } catch {
        // the client already went away
      }
    }
    done();
  };
  signal.addEventListener('abort', aborted, { once: true });
  const passed = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      start: (c) => {
        controller = c;
      },
      flush: () => {
        ended = true;
        done();
      },
    }),
  );
  return new Response(passed, { status: res.status, statusText: res.statusText, headers: res.headers });
}
