import { createMcpHandler, type McpServer } from '@modelcontextprotocol/server';
import type { Context } from 'hono';
import type { Logger } from 'pino';
import type { Authenticate, Principal } from '../http/authenticate.js';
import { readJsonBody } from '../http/body.js';
import type { HttpEnv } from '../http/env.js';
import { errorResponse, RPC } from '../http/errors.js';
import { type Limit, type RateLimiter, withHeaders } from '../http/rate-limit.js';
import { type AdmitDeps, admit, requireJson, selectionFor } from './admit.js';
import type { ServerRequest } from './server.js';
import type { SessionRoute } from './sessions.js';

/**
 * Streamable HTTP on `/mcp`, both eras through the SDK's `createMcpHandler`.
 *
 * The 2025 leg is the SDK's stateless one (no `Mcp-Session-Id`), on purpose: credentials and
 * per-request settings are read from every request instead of being frozen at `initialize`
 * (a bug of the reference), any instance can answer any request, and nothing needs expiring.
 * Progress still reaches 2025 clients on the POST's own SSE response. The cost: a 2025 client
 * cannot be sent requests (elicitation, sampling); the tools layer checks `canElicit` and
 * explains instead of asking. See docs/configuration.md "HTTP sessions".
 * With `DOCSPACE_HTTP_SESSIONS=stateful` (the default) 2025 `initialize` and requests naming a
 * session go to src/mcp/sessions.ts instead; only sessionless 2025 requests stay stateless.
 */
export interface McpRouteDeps extends AdmitDeps {
  factory: (req: ServerRequest) => McpServer;
  limiter: RateLimiter;
  principalLimit: Limit;
  maxBodySize: number;
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
      const server = deps.factory(carried?.serverRequest ?? { credential: undefined });
      // The SDK is handed the request as Hono made it, whose signal only knows the client going
      // away; a timeout or a `notifications/cancelled` closes the one-request instance instead,
      // which aborts the tool's signal (and its DocSpace calls) in either era.
      carried?.onAbort(() => void server.close().catch(() => undefined));
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
    // --- 2025 sessions (src/mcp/sessions.ts): GET and DELETE naming a session ---
    if (deps.sessions && raw.method !== 'POST' && (await deps.sessions.wants(raw, undefined)))
      return deps.sessions.handle(c, undefined);
    if (raw.method !== 'POST') {
      return errorResponse('jsonrpc', 405, `Method ${raw.method} is not allowed on /mcp; use POST.`, {
        headers: { Allow: 'POST, OPTIONS' },
      });
    }
    const notJson = requireJson(raw);
    if (notJson) return notJson;
    const body = await readJsonBody(raw, deps.maxBodySize);
    if (!body.ok) return body.response;
    const message = body.value as {
      id?: unknown;
      method?: unknown;
      params?: { name?: unknown; requestId?: unknown };
    } | null;
    if (message && typeof message === 'object' && !Array.isArray(message)) {
      if (typeof message.method === 'string') c.set('mcpMethod', message.method.slice(0, 64));
      if (message.method === 'tools/call' && typeof message.params?.name === 'string')
        c.set('toolName', message.params.name.slice(0, 64));
    }
    // --- 2025 sessions: `initialize` and requests naming a session; the rest stays stateless ---
    if (deps.sessions && (await deps.sessions.wants(raw, body.value)))
      return deps.sessions.handle(c, body.value);

    const auth = await admit(c, deps);
    if (!auth.ok) return auth.response;

    const key = principalKey(auth.principal);
    const limit = key ? await deps.limiter.check(deps.principalLimit, key, 'jsonrpc') : { headers: {} };
    if ('refused' in limit && limit.refused) return limit.refused;

    const selection = selectionFor(deps, auth.options);
    if (selection instanceof Response) return selection;

    const serverRequest: ServerRequest = {
      credential: auth.credential,
      selection,
      requestId: c.get('requestId'),
      userAgent: deps.userAgent,
      principal: auth.principal,
      // One request, one method: a tools/call instance needs only the tool it names.
      toolName: c.get('toolName'),
    };
    // 2025 clients cancel with a separate `notifications/cancelled` POST, which the stateless
    // leg would hand to a fresh instance that knows nothing of the call: match it here.
    const owner = `${auth.principal.kind}|${auth.principal.userId ?? ''}|${auth.principal.clientId ?? ''}|${c.get('clientIp')}`;
    if (message?.method === 'notifications/cancelled') {
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
    };
    // The body was read above, so the SDK gets the parsed value and the request itself: a
    // copy (for a signal that also fires on our timeout) cost a whole WHATWG Request per call;
    // the factory's `onAbort` hook cancels instead.
    const pending = handler.fetch(raw, {
      parsedBody: body.value,
      authInfo: {
        token: '',
        clientId: auth.principal.clientId ?? '',
        scopes: [],
        extra: { serverRequest, onAbort } satisfies Carried as unknown as Record<string, unknown>,
      },
    });
    pending.catch(finish);
    const first = await (timedOut ? Promise.race([pending, timedOut]) : pending);
    if (first === 'timeout') {
      finish();
      return errorResponse(
        'jsonrpc',
        504,
        `The request took longer than ${deps.requestTimeoutMs} ms and was cancelled.`,
        { code: RPC.serverError },
      );
    }
    let res = first;
    // A JSON answer is complete once here; a stream (SSE: progress, the 2025 leg) is not, and
    // the timeout and cancel key stay until it ends. Tool calls are counted by the factory's
    // `onToolResult`, not here.
    if (res.body && /^text\/event-stream/i.test(res.headers.get('content-type') ?? ''))
      res = whenStreamEnds(res, signal, finish);
    else finish();
    return withHeaders(res, limit.headers);
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

/** Calls `onDone` once a streamed body has ended, was cancelled, or the request was aborted. */
function whenStreamEnds(res: Response, signal: AbortSignal, onDone: () => void): Response {
  const body = res.body as ReadableStream<Uint8Array>;
  const done = () => {
    signal.removeEventListener('abort', done);
    onDone();
  };
  signal.addEventListener('abort', done, { once: true });
  const passed = body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({ flush: done }));
  return new Response(passed, { status: res.status, statusText: res.statusText, headers: res.headers });
}
