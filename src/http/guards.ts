import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { HttpEnv } from './env.js';
import { errorResponse, shapeForPath } from './errors.js';

export interface OriginPolicy {
  /** Bare hostnames accepted in `Host` (and in `Origin`); empty turns both checks off. */
  allowedHostnames: string[];
  /** Origins listed for CORS; an explicit entry (not `*`) is also accepted by the Origin check. */
  corsOrigins: string[];
  /**
   * Origins listed for CORS on the OAuth and metadata routes: accepted there too, so a browser
   * client listed only for OAuth is not refused by the Origin check it was configured past.
   */
  oauthOrigins?: string[];
}

const OAUTH_PREFIXES = ['/oauth/', '/.well-known/'];

function hostnameOf(hostHeader: string): string | undefined {
  try {
    return new URL(`http://${hostHeader}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/** Whether a browser `Origin` may call us (DNS rebinding, cross-site pages). */
export function originAllowed(origin: string, policy: OriginPolicy): boolean {
  if (policy.corsOrigins.includes(origin)) return true;
  if (policy.allowedHostnames.length === 0) return policy.corsOrigins.includes('*');
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin === 'null') return false;
  const host = url.hostname.toLowerCase();
  return policy.allowedHostnames.includes(host.startsWith('[') ? host : host);
}

/**
 * Host allow-list and Origin check (403), the DNS-rebinding defence the MCP spec requires.
 * A request without `Origin` (non-browser clients) passes the Origin check.
 */
export function hostAndOriginGuard(policy: OriginPolicy): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const shape = shapeForPath(c.req.path);
    if (policy.allowedHostnames.length > 0) {
      const host = c.req.header('host');
      const hostname = host ? hostnameOf(host) : undefined;
      if (!hostname || !policy.allowedHostnames.includes(hostname)) {
        const what = host ? `Host "${host.slice(0, 100)}" is not allowed` : 'The Host header is missing';
        return errorResponse(
          shape,
          403,
          `${what}; add it to DOCSPACE_SERVER_ALLOWED_HOSTNAMES if it is yours.`,
        );
      }
    }
    const origin = c.req.header('origin');
    const oauthPath = OAUTH_PREFIXES.some((p) => c.req.path.startsWith(p));
    const effective =
      oauthPath && policy.oauthOrigins
        ? { ...policy, corsOrigins: [...policy.corsOrigins, ...policy.oauthOrigins] }
        : policy;
    if (origin !== undefined && !originAllowed(origin, effective)) {
      return errorResponse(shape, 403, `Origin "${origin.slice(0, 100)}" is not allowed.`);
    }
    await next();
  };
}

export const EXPOSED_HEADERS = [
  'WWW-Authenticate',
  'Mcp-Protocol-Version',
  'Mcp-Session-Id',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'RateLimit-Policy',
  'Retry-After',
  'X-Request-ID',
];

/** CORS for a route family; request headers are reflected so `Mcp-Param-*` headers work. */
export function corsFor(origins: string[], maxAgeMs: number, methods: string[]): MiddlewareHandler<HttpEnv> {
  if (origins.length === 0) return async (_c, next) => next();
  const any = origins.includes('*');
  return cors({
    origin: (origin) => (any ? '*' : origins.includes(origin) ? origin : null),
    allowMethods: methods,
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: maxAgeMs > 0 ? Math.floor(maxAgeMs / 1000) : undefined,
  });
}
