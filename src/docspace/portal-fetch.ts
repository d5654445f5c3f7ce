import http from 'node:http';
import type https from 'node:https';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';

/** `node:https` (and TLS under it) is loaded on the first https call: ≈ 8 ms off every start. */
const requireBuiltin = createRequire(import.meta.url);
let httpsModule: typeof https | undefined;
const loadHttps = (): typeof https => {
  httpsModule ??= requireBuiltin('node:https') as typeof https;
  return httpsModule;
};

/**
 * `fetch` for DocSpace API calls, on `node:http` with keep-alive agents.
 *
 * Why not the global `fetch`: in a loopback micro-benchmark an API call through undici's WHATWG
 * layer (request object, body streams, abort plumbing) cost 0.19–0.32 ms of CPU against
 * 0.13–0.14 ms on `node:http`, and a tool call makes one to three of them (docs/performance.md). Only what the DocSpace client sends
 * takes this path — no body, a string or bytes, `redirect: 'manual'` — everything else (form
 * uploads, followed redirects) goes to the global `fetch`, so callers see `fetch` semantics either
 * way. JSON answers are read whole before the `Response` is made (they are parsed whole anyway);
 * any other body (downloads) stays a stream.
 */
export function createPortalFetch(opts: PortalFetchOptions = {}): typeof fetch {
  const agentOptions: http.AgentOptions = {
    keepAlive: true,
    maxSockets: opts.maxSockets ?? 256,
    maxFreeSockets: 64,
    // Idle sockets are closed before a Node or nginx peer's own keep-alive timeout (5 s, 75 s)
    // would close them under a request.
    timeout: opts.idleTimeoutMs ?? 4_000,
    scheduling: 'lifo',
  };
  const agents: { 'http:': http.Agent; 'https:'?: https.Agent } = { 'http:': new http.Agent(agentOptions) };
  const fallback = opts.fallback ?? globalThis.fetch;

  const portalFetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = input instanceof URL ? input : typeof input === 'string' ? new URL(input) : undefined;
    const body = init.body;
    if (
      !url ||
      init.redirect !== 'manual' ||
      // Headers as a plain record only (what the DocSpace client sends).
      init.headers instanceof Headers ||
      Array.isArray(init.headers) ||
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      !(body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array)
    ) {
      return fallback(input, init);
    }
    const agent =
      url.protocol === 'http:'
        ? agents['http:']
        : (agents['https:'] ??= new (loadHttps().Agent)({ ...agentOptions, ...opts.tls }));
    return exchange(agent, url, init, body ?? undefined, true);
  };
  return portalFetch as typeof fetch;
}

export interface PortalFetchOptions {
  maxSockets?: number;
  idleTimeoutMs?: number;
  /**
   * Extra trusted CAs for https portals (tests). Certificates are always verified; in production
   * a private CA is added with `NODE_EXTRA_CA_CERTS`, as for any Node program.
   */
  tls?: { ca?: string | Buffer };
  /** Where requests this path does not take go (default: the global `fetch`). */
  fallback?: typeof fetch;
}

/** Statuses whose answers have no body: `new Response` refuses one for them. */
const NULL_BODY = new Set([101, 204, 205, 304]);

function exchange(
  agent: http.Agent,
  url: URL,
  init: RequestInit,
  body: string | Uint8Array | undefined,
  mayRetry: boolean,
): Promise<Response> {
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const send = url.protocol === 'https:' ? loadHttps().request : http.request;
  return new Promise<Response>((resolve, reject) => {
    const headers = { ...(init.headers as Record<string, string> | undefined) };
    // Node frames a DELETE (or GET) body with neither a length nor chunks unless told the length.
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const req = send(url, { agent, method: init.method ?? 'GET', headers, signal });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (signal?.aborted) return reject(signal.reason);
      // A kept-alive socket the peer closed as we reused it: the request never reached it, so
      // sending it once more on a fresh socket is safe for any method (what Node's docs advise).
      if (mayRetry && req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) {
        return resolve(exchange(agent, url, init, body, false));
      }
      reject(new TypeError('fetch failed', { cause: err }));
    });
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      const headers = toHeaders(res.rawHeaders);
      if (NULL_BODY.has(status) || init.method === 'HEAD') {
        res.resume();
        return resolve(new Response(null, { status, statusText: res.statusMessage, headers }));
      }
      if (!/json/i.test(headers.get('content-type') ?? '')) {
        const stream = Readable.toWeb(res) as ReadableStream<Uint8Array>;
        return resolve(new Response(stream, { status, statusText: res.statusMessage, headers }));
      }
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      const failed = (err: unknown) =>
        reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: err }));
      res.on('error', failed);
      res.on('close', () => {
        if (!res.complete) failed(new Error('the connection closed before the answer was complete'));
      });
      res.on('end', () => {
        const whole = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
        resolve(new Response(whole, { status, statusText: res.statusMessage, headers }));
      });
    });
    req.end(body);
  });
}

function toHeaders(raw: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  return headers;
}

/** The process-wide instance the DocSpace client uses unless a `fetch` is injected. */
export const portalFetch: typeof fetch = createPortalFetch();
