import type { Context, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { errorPage, htmlResponse, wantsHtml } from '../pages/html.js';
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

/**
 * Endpoints that carry no cookies and no ambient authority (metadata, registration, token,
 * revocation, introspection): a page on another origin gains nothing by calling them, and
 * browser-based MCP clients live on their own origin, so the Origin check does not apply there
 * (CORS, `DOCSPACE_SERVER_CORS_OAUTH_ORIGIN`, says who may read the answers). The pages people
 * click — authorize, consent, callback, connections — stay same-origin.
 */
function cookieless(path: string): boolean {
  return (
    path.startsWith('/.well-known/') ||
    path === '/oauth/register' ||
    path === '/oauth/token' ||
    path === '/oauth/revoke' ||
    path === '/oauth/introspect'
  );
}

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
 * A refusal at the edge: the reason goes into the request's access-log line (with its request
 * id), and a person in a browser gets a page with that id as the reference, not raw JSON.
 */
export function refuse(
  c: Context<HttpEnv>,
  status: number,
  reason: string,
  opts: { demo?: boolean; headers?: Record<string, string> } = {},
): Response {
  c.set('refusal', reason);
  if (wantsHtml(c.req.raw)) {
    const title = c.req.path.startsWith('/oauth/')
      ? 'This sign-in cannot continue'
      : 'This request was refused';
    return htmlResponse(
      errorPage(title, reason, c.get('requestId'), { demo: opts.demo }),
      status,
      opts.headers,
    );
  }
  return errorResponse(shapeForPath(c.req.path), status, reason, { headers: opts.headers });
}

/**
 * `Origin: null` that the browser itself vouches for: `Sec-Fetch-Site` is set by the browser
 * only (no page script can), and `same-origin` means one of our own pages sent it. Browsers
 * send `null` on their own form posts under some referrer policies or privacy settings; a
 * page on another site that hides its origin gets `cross-site` and is still refused.
 */
function ownPageWithHiddenOrigin(origin: string, fetchSite: string | undefined): boolean {
  return origin === 'null' && fetchSite === 'same-origin';
}

/**
 * Host allow-list and Origin check (403), the DNS-rebinding defence the MCP spec requires.
 * A request without `Origin` (non-browser clients) passes the Origin check.
 */
export function hostAndOriginGuard(
  policy: OriginPolicy,
  opts: { demo?: boolean } = {},
): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    if (policy.allowedHostnames.length > 0) {
      const host = c.req.header('host');
      const hostname = host ? hostnameOf(host) : undefined;
      if (!hostname || !policy.allowedHostnames.includes(hostname)) {
        const what = host ? `Host "${host.slice(0, 100)}" is not allowed` : 'The Host header is missing';
        return refuse(c, 403, `${what}; add it to DOCSPACE_SERVER_ALLOWED_HOSTNAMES if it is yours.`, opts);
      }
    }
    const origin = c.req.header('origin');
    const oauthPath = OAUTH_PREFIXES.some((p) => c.req.path.startsWith(p));
    const effective =
      oauthPath && policy.oauthOrigins
        ? { ...policy, corsOrigins: [...policy.corsOrigins, ...policy.oauthOrigins] }
        : policy;
    if (
      origin !== undefined &&
      !cookieless(c.req.path) &&
      !ownPageWithHiddenOrigin(origin, c.req.header('sec-fetch-site')) &&
      !originAllowed(origin, effective)
    ) {
      return refuse(c, 403, `Origin "${origin.slice(0, 100)}" is not allowed.`, opts);
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
export function corsFor(
  origins: string[],
  maxAgeMs: number,
  methods: string[],
  opts: { onlyWithOrigin?: boolean } = {},
): MiddlewareHandler<HttpEnv> {
  if (origins.length === 0) return async (_c, next) => next();
  const any = origins.includes('*');
  const withCors = cors({
    origin: (origin) => (any ? '*' : origins.includes(origin) ? origin : null),
    allowMethods: methods,
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: maxAgeMs > 0 ? Math.floor(maxAgeMs / 1000) : undefined,
  });
  if (!opts.onlyWithOrigin) return withCors;
  // Browsers send Origin on every cross-origin request; without one, CORS headers mean nothing
  // (for answers no cache keeps, such as MCP's). Skipping the middleware then also keeps the
  // route's answer as it was made: Hono's cors touches the response before the route runs, and
  // the route's answer is then copied through a stream.
  return (c, next) => (c.req.header('origin') === undefined ? next() : withCors(c, next));
}
