// Fault injection: what a flaky portal does to a client. Counted bursts (not probabilities) keep tests
// deterministic; `setFaults` replaces the whole set, counters restart from the values given.
import type { Context, MiddlewareHandler } from 'hono';
import { errorBody } from './http/envelope.js';

export interface FaultOptions {
  /** Delay added before every matching request is answered. */
  latencyMs?: number;
  /** The next `count` matching requests answer `status` (default 500) with DocSpace's error body. */
  serverErrors?: { count: number; status?: number };
  /** The next `count` matching requests answer 429 with `Retry-After`. */
  rateLimit?: { count: number; retryAfterSeconds?: number };
  /** The next `count` matching requests have their connection destroyed without an answer. */
  dropConnections?: { count: number };
  /** File operations (copy, move, delete, archive, download) take this long before they finish. */
  slowOperationsMs?: number;
  /** File operations finish with this error text instead of succeeding. */
  failOperations?: string;
  /**
   * Every API key, personal token and OAuth token is treated as expired: 401, or on `[AllowAnonymous]`
   * routes what DocSpace answers a signed-out visitor (403, an empty operation list, …).
   */
  expiredTokens?: boolean;
  /** The OAuth server (`/oauth2/*`, `/.well-known/*`) answers 503; applied by the OAuth server itself. */
  oauthDown?: boolean;
  /** OAuth access tokens issued from now on live this many seconds instead of DocSpace's 3600. */
  oauthAccessTokenSeconds?: number;
  /** Only requests whose path matches this regular expression are affected by the request faults. */
  pathPattern?: string;
}

export class FaultController {
  private f: FaultOptions = {};
  private pattern?: RegExp;

  constructor(initial?: FaultOptions) {
    this.set(initial ?? {});
  }

  set(f: FaultOptions): void {
    this.f = structuredClone(f);
    this.pattern = f.pathPattern ? new RegExp(f.pathPattern) : undefined;
  }

  get current(): Readonly<FaultOptions> {
    return this.f;
  }

  private take(key: 'serverErrors' | 'rateLimit' | 'dropConnections'): boolean {
    const b = this.f[key];
    if (!b || b.count <= 0) return false;
    b.count -= 1;
    return true;
  }

  /** Hono middleware applying request-level faults to everything except the admin routes. */
  middleware(): MiddlewareHandler {
    return async (c: Context, next) => {
      const path = new URL(c.req.url).pathname;
      if (path.startsWith('/__emulator')) return next();
      if (this.pattern && !this.pattern.test(path)) return next();
      const f = this.f;
      if (f.latencyMs && f.latencyMs > 0) await new Promise((r) => setTimeout(r, f.latencyMs));
      if (this.take('dropConnections')) {
        const incoming = (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming;
        incoming?.socket?.destroy();
        return c.body(null, 500);
      }
      if (this.take('rateLimit')) {
        c.header('Retry-After', String(f.rateLimit?.retryAfterSeconds ?? 1));
        c.header('X-Ratelimit-Limit', '1500');
        c.header('X-Ratelimit-Remaining', '0');
        return c.json(errorBody('Too many requests', 429), 429);
      }
      if (this.take('serverErrors')) {
        const status = f.serverErrors?.status ?? 500;
        return c.json(errorBody('Internal server error', status), status as 500);
      }
      return next();
    };
  }
}
