import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import { type ErrorShape, errorResponse } from './errors.js';
import type { Metrics } from './metrics.js';

export interface Limit {
  /** Name in the store key, the metric label and the `RateLimit-Policy`. */
  name: string;
  capacity: number;
  windowMs: number;
}

export interface LimitDecision {
  /** Headers for every response of the limited route. */
  headers: Record<string, string>;
  /** A ready 429 response when the limit is exceeded. */
  refused?: Response;
}

/**
 * A fixed-window counter per (limit, key) kept in the `Store`, so several instances on Redis
 * share it. A store outage lets requests through (logged): refusing every request because the
 * limiter is down would turn a degraded store into an outage.
 */
export class RateLimiter {
  constructor(
    private readonly store: Store,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {}

  async check(limit: Limit, key: string, shape: ErrorShape): Promise<LimitDecision> {
    if (limit.capacity <= 0) return { headers: {} };
    const windowSeconds = Math.max(1, Math.ceil(limit.windowMs / 1000));
    let count: number;
    let resetSeconds: number;
    try {
      ({ count, resetSeconds } = await this.store.increment(`ratelimit:${limit.name}:${key}`, windowSeconds));
    } catch (err) {
      this.log.warn(
        { err, limit: limit.name },
        'rate limiter store unavailable; letting the request through',
      );
      return { headers: {} };
    }
    const reset = String(Math.max(1, Math.ceil(resetSeconds)));
    const headers: Record<string, string> = {
      'RateLimit-Limit': String(limit.capacity),
      'RateLimit-Remaining': String(Math.max(0, limit.capacity - count)),
      'RateLimit-Reset': reset,
      'RateLimit-Policy': `${limit.capacity};w=${windowSeconds}`,
    };
    if (count <= limit.capacity) return { headers };
    this.metrics.rateLimited.inc({ limit: limit.name });
    return {
      headers,
      refused: errorResponse(shape, 429, `Too many requests; try again in ${reset} s.`, {
        headers: { ...headers, 'Retry-After': reset },
      }),
    };
  }
}

/** Copies rate-limit headers onto a response (responses from the SDK have immutable headers). */
export function withHeaders(res: Response, headers: Record<string, string>): Response {
  const entries = Object.entries(headers);
  if (entries.length === 0) return res;
  try {
    for (const [k, v] of entries) res.headers.set(k, v);
    return res;
  } catch {
    const copy = new Response(res.body, res);
    for (const [k, v] of entries) copy.headers.set(k, v);
    return copy;
  }
}
