import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Logger } from 'pino';
import { AppError } from '../errors.js';
import { errorResponse, shapeForPath } from './errors.js';

/** What `listen` serves: a Hono app, or a late-bound stand-in for one. */
export interface FetchApp {
  fetch(req: Request, env: unknown): Response | Promise<Response>;
}

export interface ListenOptions {
  host: string;
  port: number;
  logger: Logger;
  /** How long in-flight requests may take to finish after shutdown starts. */
  shutdownTimeoutMs: number;
  /** Closes streams that never end by themselves (SSE sessions, listen streams). */
  closeLongLived?: () => Promise<void>;
}

/**
 * The socket could not be bound (port taken, privileged port, address not on this machine).
 * Carries what a person needs to act on it; the CLI words the fix with the setting names.
 */
export class ListenError extends AppError {
  declare readonly code: 'listen_failed';
  constructor(
    readonly host: string,
    readonly port: number,
    /** The system's code: EADDRINUSE, EACCES, EADDRNOTAVAIL, … */
    readonly reason: string,
  ) {
    super('listen_failed', `cannot listen on ${host.includes(':') ? `[${host}]` : host}:${port} (${reason})`);
  }
}

export interface RunningHttpServer {
  /** `http://host:port` as bound (port 0 resolved). */
  url: string;
  port: number;
  /** Requests currently being answered (long-lived streams not counted). */
  readonly inFlight: number;
  /**
   * Graceful stop: refuse new requests (503), let in-flight ones finish within the timeout,
   * then close long-lived streams and every connection. Idempotent.
   */
  shutdown(): Promise<void>;
}

/** Streams that stay open until closed: they must not hold a drain. */
function isLongLived(req: IncomingMessage): boolean {
  const path = (req.url ?? '').split('?')[0];
  return (req.method === 'GET' && path === '/sse') || req.headers['mcp-method'] === 'subscriptions/listen';
}

export async function listen(app: FetchApp, opts: ListenOptions): Promise<RunningHttpServer> {
  let draining = false;
  const inFlight = new Set<ServerResponse>();
  let server!: Server;
  await new Promise<void>((resolve, reject) => {
    server = serve(
      {
        fetch: (req, env) => {
          if (draining) {
            const path = new URL(req.url).pathname;
            return errorResponse(shapeForPath(path), 503, 'The server is shutting down; retry shortly.', {
              headers: { Connection: 'close', 'Retry-After': '5' },
            });
          }
          return app.fetch(req, env as never);
        },
        hostname: opts.host,
        port: opts.port,
      },
      () => resolve(),
    ) as Server;
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new ListenError(opts.host, opts.port, err.code ?? err.message)),
    );
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (isLongLived(req)) return;
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let stopping: Promise<void> | undefined;
  async function shutdown(): Promise<void> {
    stopping ??= (async () => {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      opts.logger.info({ inFlight: inFlight.size }, 'shutting down: draining in-flight requests');
      const deadline = Date.now() + opts.shutdownTimeoutMs;
      while (inFlight.size > 0 && Date.now() < deadline) {
        server.closeIdleConnections();
        await new Promise((r) => setTimeout(r, 50));
      }
      if (inFlight.size > 0)
        opts.logger.warn({ inFlight: inFlight.size }, 'shutdown timeout: closing unfinished requests');
      await opts.closeLongLived?.().catch((err) => opts.logger.warn({ err }, 'closing streams failed'));
      server.closeAllConnections();
      await closed;
    })();
    return stopping;
  }

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    get inFlight() {
      return inFlight.size;
    },
    shutdown,
  };
}
