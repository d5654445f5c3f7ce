import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import type { HttpEnv } from './env.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The client's IP address, trusting `hops` proxies: each proxy appends the address it got the
 * request from to `X-Forwarded-For`, so the client is `hops` entries from the end of the chain
 * (the socket peer counting as the last entry).
 */
export function clientIp(c: Context, hops: number): string {
  let peer = '';
  try {
    peer = getConnInfo(c).remote.address ?? '';
  } catch {
    // not served by @hono/node-server (in-process tests): no socket peer
  }
  if (hops <= 0) return peer || 'unknown';
  const chain = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  chain.push(peer || 'unknown');
  return chain[Math.max(0, chain.length - 1 - hops)] as string;
}

/**
 * Sets the request id (the caller's `X-Request-ID` when it looks sane, else a new UUID) and the
 * client IP, and echoes the id on the response so people can quote it.
 */
export function requestContext(hops: number): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const given = c.req.header('x-request-id');
    const requestId = given && REQUEST_ID.test(given) ? given : crypto.randomUUID();
    c.set('requestId', requestId);
    c.set('clientIp', clientIp(c, hops));
    await next();
    c.res.headers.set('X-Request-ID', requestId);
  };
}
