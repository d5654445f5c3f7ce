import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Logger } from 'pino';
import { AppError } from '../errors.js';
import { isStoreUnavailable } from '../store/errors.js';
import { requestContext } from './client.js';
import type { HttpEnv } from './env.js';
import { appErrorResponse, errorResponse, shapeForPath } from './errors.js';
import { corsFor, hostAndOriginGuard, type OriginPolicy, refuse } from './guards.js';
import type { ReadyReport } from './health.js';
import type { McpRoute } from './mcp.js';
import type { Metrics } from './metrics.js';
import { clientGuide, landingPage, mcpEndpointPage, type ServerFacts } from './pages.js';
import { htmlResponse, wantsHtml } from '../pages/html.js';
import { type Limit, type RateLimiter, withHeaders } from './rate-limit.js';
import type { SseRoutes } from './sse.js';
import { type TokenLimits, tokenEndpointLimits } from './token-limits.js';

export interface HttpAppDeps {
  logger: Logger;
  metrics: Metrics;
  /** `/metrics` is served only when given. */
  serveMetrics: boolean;
  limiter: RateLimiter;
  proxyHops: number;
  origins: OriginPolicy;
  cors: { mcp: string[]; mcpMaxAgeMs: number; oauth: string[]; oauthMaxAgeMs: number };
  /** Per-IP limits: `mcp` for MCP routes, the rest by OAuth path; `token` per client and per sign-in. */
  limits: { mcp: Limit; byPath: Record<string, Limit>; token?: TokenLimits };
  mcp?: McpRoute;
  sse?: SseRoutes;
  /** The OAuth facade (`createOAuth`), mounted at the root when OAuth is on. */
  oauth?: Hono;
  readiness: () => Promise<ReadyReport>;
  /** What the landing and `/mcp` pages tell a person. */
  facts: ServerFacts;
  /** `docspace-mcp demo`: pages address the person trying it. */
  demo?: boolean;
}

const MCP_PATHS = ['/mcp', '/sse', '/messages'];
const OAUTH_FORM_LIMIT = 64 * 1024;

/** One access-log line and the request metrics, after the response is ready. */
function accessLog(logger: Logger, metrics: Metrics): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const ms = performance.now() - started;
    const route = c.res.status === 404 ? 'unmatched' : c.req.routePath;
    metrics.httpRequests.inc({ route, method: c.req.method, status: String(c.res.status) });
    metrics.httpDuration.observe({ route }, ms / 1000);
    const principal = c.get('principal');
    const line = {
      requestId: c.get('requestId'),
      ip: c.get('clientIp'),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(ms * 10) / 10,
      mcpMethod: c.get('mcpMethod'),
      tool: c.get('toolName'),
      user: principal?.userId,
      client: principal?.clientId,
      auth: principal?.kind,
      refused: c.get('refusal'),
    };
    const quiet = c.req.path === '/healthz' || c.req.path === '/readyz' || c.req.path === '/metrics';
    if (quiet) logger.debug(line, 'request');
    else logger.info(line, line.refused ? 'request refused' : 'request');
  };
}

function perIpLimit(
  limiter: RateLimiter,
  limit: (path: string) => Limit | undefined,
): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const l = limit(c.req.path);
    if (!l || c.req.method === 'OPTIONS') return next();
    const decision = await limiter.check(l, c.get('clientIp'), shapeForPath(c.req.path));
    if (decision.refused) {
      c.set('refusal', `rate limit "${l.name}" reached for this address`);
      return decision.refused;
    }
    await next();
    // Headers are set in place; assigning `c.res` again would make Hono copy the response
    // (reading its body as a stream), which is dear for every JSON answer.
    const limited = withHeaders(c.res, decision.headers);
    if (limited !== c.res) c.res = limited;
  };
}

function only(
  method: string,
  handler: (c: Parameters<MiddlewareHandler<HttpEnv>>[0]) => Promise<Response> | Response,
) {
  return (c: Parameters<MiddlewareHandler<HttpEnv>>[0]) => {
    if (c.req.method !== method && !(method === 'GET' && c.req.method === 'HEAD')) {
      return errorResponse(
        shapeForPath(c.req.path),
        405,
        `Method ${c.req.method} is not allowed; use ${method}.`,
        {
          headers: { Allow: method },
        },
      );
    }
    return handler(c);
  };
}

/**
 * The HTTP face of the server: guards in front (request id, Host and Origin, CORS, per-IP rate
 * limits, body limits), then MCP, OAuth, health and metrics routes. Decides nothing about tools
 * or DocSpace; each route family brings its own handler.
 */
export function createHttpApp(deps: HttpAppDeps): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  app.use('*', requestContext(deps.proxyHops));
  app.use('*', accessLog(deps.logger, deps.metrics));

  // Probes and scrapers address pods by IP, so these come before the Host check.
  app.all(
    '/healthz',
    only('GET', (c) => c.json({ status: 'ok' })),
  );
  app.all(
    '/readyz',
    only('GET', async (c) => {
      const report = await deps.readiness();
      return c.json(report, report.ready ? 200 : 503);
    }),
  );
  if (deps.serveMetrics) {
    app.all(
      '/metrics',
      only('GET', (c) =>
        c.body(deps.metrics.render(), 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }),
      ),
    );
  }

  app.use('*', hostAndOriginGuard(deps.origins, { demo: deps.demo }));
  for (const path of MCP_PATHS) {
    app.use(
      path,
      corsFor(deps.cors.mcp, deps.cors.mcpMaxAgeMs, ['GET', 'POST', 'OPTIONS'], { onlyWithOrigin: true }),
    );
  }
  app.use('/oauth/*', corsFor(deps.cors.oauth, deps.cors.oauthMaxAgeMs, ['GET', 'POST', 'OPTIONS']));
  app.use('/.well-known/*', corsFor(deps.cors.oauth, deps.cors.oauthMaxAgeMs, ['GET', 'OPTIONS']));
  app.use(
    '*',
    perIpLimit(deps.limiter, (path) => {
      if (MCP_PATHS.includes(path)) return deps.limits.mcp;
      for (const [prefix, limit] of Object.entries(deps.limits.byPath))
        if (path.startsWith(prefix)) return limit;
      return undefined;
    }),
  );
  for (const forms of ['/oauth/*', '/connections/*']) {
    app.use(
      forms,
      bodyLimit({
        maxSize: OAUTH_FORM_LIMIT,
        onError: (c) => refuse(c, 413, `The request body is larger than ${OAUTH_FORM_LIMIT} bytes.`),
      }),
    );
  }

  app.all(
    '/',
    only('GET', () => htmlResponse(landingPage(deps.facts), 200)),
  );
  app.all(
    '/docs/clients.md',
    only('GET', async (c) => {
      const guide = await clientGuide();
      return guide === undefined
        ? errorResponse('plain', 404, 'The client guides are not installed with this server.')
        : c.body(guide, 200, {
            'content-type': 'text/plain; charset=utf-8',
            'x-content-type-options': 'nosniff',
          });
    }),
  );
  if (deps.oauth && deps.limits.token)
    app.use('/oauth/token', tokenEndpointLimits(deps.limiter, deps.limits.token));
  if (deps.mcp) {
    const mcp = deps.mcp;
    app.all('/mcp', (c) => {
      // A person who opened the URL in a browser: explain, instead of a protocol error.
      if (c.req.method === 'GET' && wantsHtml(c.req.raw) && !c.req.header('authorization'))
        return htmlResponse(mcpEndpointPage(deps.facts), 200);
      return mcp.handle(c);
    });
  }
  if (deps.sse) {
    const sse = deps.sse;
    app.all(
      '/sse',
      only('GET', (c) => sse.open(c)),
    );
    app.all(
      '/messages',
      only('POST', (c) => sse.message(c)),
    );
  }
  if (deps.oauth) app.route('/', deps.oauth);

  app.notFound((c) =>
    errorResponse(shapeForPath(c.req.path), 404, `No route ${c.req.method} ${c.req.path}.`, { code: -32601 }),
  );
  // The one place a failure thrown by a route becomes an answer, in the route's shape (JSON-RPC on
  // the MCP routes): refusals as they are, the store away as "retry", anything else as a 500
  // with a reference. The OAuth routes answer their own (src/oauth/context.ts).
  app.onError((err, c) => {
    const ref = c.get('requestId');
    if (err instanceof AppError && err.expose) return appErrorResponse(shapeForPath(c.req.path), err);
    if (isStoreUnavailable(err)) {
      // The store (Redis) is away: say "retry", not "your token is bad" (a 401 would make
      // clients drop tokens that are fine) and not a 500 (nothing is broken here).
      deps.logger.warn({ requestId: ref, reason: err.message }, 'store unavailable');
      return errorResponse(
        shapeForPath(c.req.path),
        503,
        'The server’s session store is unavailable; retry shortly.',
        { headers: { 'Retry-After': '5' } },
      );
    }
    deps.logger.error({ err, requestId: ref }, 'unhandled error');
    return errorResponse(shapeForPath(c.req.path), 500, `Internal error (reference ${ref}).`, {
      code: -32603,
    });
  });
  return app;
}
