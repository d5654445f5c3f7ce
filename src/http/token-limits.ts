import type { MiddlewareHandler } from 'hono';
import type { HttpEnv } from './env.js';
import type { Limit, RateLimiter } from './rate-limit.js';
import { withHeaders } from './rate-limit.js';

/**
 * Limits on `/oauth/token` beyond the per-IP one: per client at one address, and per refresh
 * family. A whole office behind one NAT shares an IP, so the IP limit is sized for many people,
 * and one client refreshing eagerly is held back by its own limits without locking out the rest.
 */
export interface TokenLimits {
  /** Per client id and IP (a CIMD client id is shared by every install of that client). */
  client: Limit;
  /** Per refresh family (the grant a refresh token belongs to). */
  grant: Limit;
}

/** The client id a token request names, in its form or its Basic credentials (RFC 6749 §2.3.1). */
function clientIdOf(form: URLSearchParams, authorization: string | undefined): string | undefined {
  const basic = authorization?.match(/^basic\s+(\S+)$/i);
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const id = decoded.slice(0, Math.max(0, decoded.indexOf(':')));
    try {
      return decodeURIComponent(id.replace(/\+/g, ' ')) || undefined;
    } catch {
      return id || undefined;
    }
  }
  return form.get('client_id') ?? undefined;
}

/** The refresh family: our refresh tokens carry their grant id before the first dot. */
function familyOf(form: URLSearchParams): string | undefined {
  if (form.get('grant_type') !== 'refresh_token') return undefined;
  const token = form.get('refresh_token') ?? '';
  const dot = token.indexOf('.');
  return dot > 0 ? token.slice(0, Math.min(dot, 64)) : undefined;
}

export function tokenEndpointLimits(limiter: RateLimiter, limits: TokenLimits): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    if (c.req.method !== 'POST') return next();
    // Hono keeps the body it read: the token endpoint reads the same text again.
    const form = new URLSearchParams(await c.req.text());
    const ip = c.get('clientIp');
    const client = clientIdOf(form, c.req.header('authorization'));
    const family = familyOf(form);
    const headers: Record<string, string> = {};
    const checks: [Limit, string, string][] = [];
    if (client) checks.push([limits.client, `${client.slice(0, 200)}|${ip}`, 'this client at this address']);
    if (family) checks.push([limits.grant, family, 'this sign-in']);
    for (const [limit, key, who] of checks) {
      const decision = await limiter.check(limit, key, 'oauth');
      if (decision.refused) {
        c.set('refusal', `rate limit "${limit.name}" reached for ${who}`);
        return decision.refused;
      }
      Object.assign(headers, decision.headers);
    }
    await next();
    c.res = withHeaders(c.res, headers);
  };
}
