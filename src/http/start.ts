import { createHmac } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/server';
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import { createActivityLog } from '../activity/log.js';
import { type Audit, createAudit } from '../audit/index.js';
import { createCredentialCheck } from '../auth/credential-check.js';
import { createAuthenticator } from '../auth/index.js';
import type { Config } from '../config/load.js';
import { portalFetch } from '../docspace/portal-fetch.js';
import { requestStateCodec } from '../mcp/request-state.js';
import { createSessionBus, type SessionBus } from '../store/bus.js';
import { selectTools } from '../tools/selection.js';
import { createServerFactory, type ServerRequest } from '../mcp/server.js';
import { createMemoryStore, createStore } from '../store/index.js';
import type { Store } from '../store/store.js';
import { createHttpApp } from './app.js';
import { createEdgeAuthenticator } from './authenticate.js';
import { BodyBudget } from './body.js';
import type { HttpEnv } from './env.js';
import { errorResponse } from './errors.js';
import { createReadiness } from './health.js';
import { createMcpRoute, type McpRoute } from './mcp.js';
import { createSessionRoute } from './mcp-sessions.js';
import { Metrics } from './metrics.js';
import type { CimdTestRoute } from '../oauth/safe-fetch.js';
import { RateLimiter } from './rate-limit.js';
import { listen, type RunningHttpServer } from './serve.js';
import { createSseRoutes, type SseRoutes } from './sse.js';

export interface HttpServerHandle extends RunningHttpServer {
  app: Hono<HttpEnv>;
  /** The public base URL in use (with port 0: the bound one), trailing slash. */
  publicBaseUrl: string;
  metrics: Metrics;
  /** Shuts down, then closes the store. */
  close(): Promise<void>;
}

export interface StartHttpOptions {
  logger: Logger;
  /** fetch for DocSpace calls (tests inject one). */
  fetch?: typeof fetch;
  /** A store to use instead of the configured one (tests, the demo). */
  store?: Store;
  /**
   * TEST ONLY (the conformance harness): adds fixture tools, prompts and resources to every
   * server instance. The CLI never sets it, so production servers never carry fixtures.
   */
  decorateServer?: (server: McpServer) => void;
  /**
   * TEST ONLY (the client compatibility suite): Client ID Metadata Documents of the routed hosts
   * are fetched from a local HTTPS server with a test CA. The CLI never sets it, so production
   * servers fetch documents only from public addresses, trusting only the system's CAs.
   */
  cimdTestRoute?: CimdTestRoute;
}

/** Counts OAuth events for /metrics and passes them on to the audit log. */
function countingAudit(base: Audit, metrics: Metrics): Audit {
  return {
    record(event) {
      metrics.oauthEvents.inc({ event: event.event, outcome: event.outcome });
      base.record(event);
    },
  };
}

/** Times every DocSpace call for /metrics (the DocSpace client takes its fetch as a parameter). */
function timedFetch(inner: typeof fetch, metrics: Metrics): typeof fetch {
  return async (input, init) => {
    const started = performance.now();
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    let status = 'error';
    try {
      const res = await inner(input, init);
      status = String(res.status);
      return res;
    } finally {
      metrics.docspaceDuration.observe({ method, status }, (performance.now() - started) / 1000);
    }
  };
}

/**
 * Builds the HTTP server from the configuration: store, tool selection, authenticator, OAuth
 * facade (when on), `/mcp` and/or `/sse`, guards, health, metrics.
 */
export async function startHttpServer(config: Config, opts: StartHttpOptions): Promise<HttpServerHandle> {
  const { logger } = opts;
  // Listen first: with port 0 the public URL (OAuth issuer, resource) is known only once bound.
  let bound: Hono<HttpEnv> | undefined;
  let sse: SseRoutes | undefined;
  let mcp: McpRoute | undefined;
  let bus: SessionBus | undefined;
  let eventStore: Store | undefined;
  const running = await listen(
    {
      fetch: (req, env) =>
        bound
          ? bound.fetch(req, env as never)
          : errorResponse('plain', 503, 'The server is starting; retry shortly.'),
    },
    {
      host: config.host,
      port: config.port,
      logger,
      shutdownTimeoutMs: config.shutdownTimeout,
      closeLongLived: async () => {
        await Promise.all([sse?.closeAll(), mcp?.close()]);
      },
    },
  );
  try {
    return await build();
  } catch (err) {
    await running.shutdown();
    throw err;
  }

  async function build(): Promise<HttpServerHandle> {
    const publicBaseUrl =
      config.port === 0 && !config.serverBaseUrl ? `${running.url}/` : config.publicBaseUrl;
    const metrics = new Metrics();
    const store =
      opts.store ??
      createStore({
        kind: config.store,
        redisUrl: config.redisUrl || undefined,
        keyPrefix: config.redisKeyPrefix,
      });
    const selection = config.selection;
    // Each person's activity log (OAuth only: without it there is no person and no page).
    const activity =
      config.oauth && config.activityMaxEntries > 0
        ? createActivityLog({
            store,
            settings: { retentionDays: config.activityRetentionDays, maxEntries: config.activityMaxEntries },
            logger,
          })
        : undefined;
    const toolAudit = createAudit(logger, activity?.sink);
    const audit = countingAudit(toolAudit, metrics);
    const baseFactory = createServerFactory({
      baseUrl: config.baseUrl,
      selection,
      logger,
      fetch: timedFetch(opts.fetch ?? portalFetch, metrics),
      requestTimeoutMs: config.apiTimeout,
      confirmKey: config.secretValue || undefined,
      // Not the counting audit: `docspace_mcp_oauth_events_total` is for OAuth events only.
      audit: toolAudit,
      requestState: requestStateCodec(config.secretValue),
      onToolResult: (tool, outcome, durationMs) => {
        metrics.toolCalls.inc({ tool, outcome });
        metrics.toolDuration.observe({ tool }, durationMs / 1000);
      },
    });
    const decorate = opts.decorateServer;
    const factory = decorate
      ? (req: ServerRequest) => {
          const server = baseFactory(req);
          decorate(server);
          return server;
        }
      : baseFactory;

    // Loaded only when on (off by default): its module graph is ≈ 20 ms of every cold start.
    const oauth = config.oauthConfig
      ? (await import('../oauth/index.js')).createOAuth({
          ...config.oauthConfig,
          publicBaseUrl,
          store,
          logger,
          audit,
          fetch: opts.fetch,
          cimd: { ...config.oauthConfig.cimd, testRoute: opts.cimdTestRoute },
          demo: config.demo,
          personalTokens: {
            enabled: config.oauthPersonalTokens,
            maxDays: config.oauthPersonalTokenMaxDays,
          },
          activity,
          defaultAccess: config.oauthDefaultAccess,
          writeAllowed: selectTools(selection).some((t) => !t.hints.readOnlyHint),
          allowedClients: config.oauthAllowedClients,
        })
      : undefined;

    const inner = createAuthenticator({
      publicBaseUrl,
      oauth: oauth
        ? {
            secret: config.secretValue,
            previousSecrets: config.previousSecrets,
            docspaceAccessToken: oauth.docspaceAccessToken,
            personalTokens: oauth.personalTokens,
            connection: oauth.connection,
          }
        : undefined,
      acceptDocSpaceCredentials: config.requestAuthorizationHeader,
      checkCredential:
        config.requestAuthorizationHeader && config.baseUrl
          ? createCredentialCheck({
              baseUrl: config.baseUrl,
              fetch: timedFetch(opts.fetch ?? portalFetch, metrics),
            })
          : undefined,
      fallback: config.credential,
      logger,
      audit,
    });
    const authenticate = createEdgeAuthenticator({
      inner,
      shared: config.credential,
      labelKey: config.secretValue || undefined,
    });
    const limiter = new RateLimiter(store, metrics, logger);
    const options = { query: config.requestQuery, headerPrefix: config.requestHeaderPrefix };
    const bodyBudget = new BodyBudget(config.maxBodyInFlight);
    const userAgent = config.userAgent || undefined;

    // 2025 sessions on /mcp (src/http/mcp-sessions.ts); with Redis, a bus between instances.
    const principalLimit = config.rateLimits.principal;
    const stateful = config.streamable && config.httpSessions === 'stateful';
    if (stateful)
      bus = await createSessionBus({
        kind: config.store,
        redisUrl: config.redisUrl || undefined,
        keyPrefix: config.redisKeyPrefix,
      });
    // On the memory store, events live apart: a burst of them cannot evict sign-ins or grants.
    if (stateful && config.store === 'memory') eventStore = createMemoryStore({ maxEntries: 50_000 });
    const sessions = stateful
      ? createSessionRoute({
          factory,
          selection,
          authenticate,
          options,
          store,
          eventStore,
          eventKey: createHmac('sha256', config.secretValue)
            .update('docspace-mcp session events v1')
            .digest(),
          bus,
          limiter,
          principalLimit,
          maxBodySize: config.maxBodySize,
          idleMs: config.httpSessionIdle,
          maxSessions: config.httpSessionMax,
          maxPerPrincipal: config.httpSessionPrincipalMax,
          userAgent,
          logger,
        })
      : undefined;
    mcp = config.streamable
      ? createMcpRoute({
          sessions,
          factory,
          selection,
          authenticate,
          limiter,
          principalLimit,
          options,
          maxBodySize: config.maxBodySize,
          bodyBudget,
          requestTimeoutMs: config.requestTimeout,
          userAgent,
          logger,
        })
      : undefined;
    sse = config.sse
      ? createSseRoutes({
          factory,
          selection,
          authenticate,
          options,
          maxBodySize: config.maxBodySize,
          bodyBudget,
          ttlMs: config.sessionTtl,
          sweepIntervalMs: config.sessionInterval,
          maxSessions: config.sessionMax,
          maxSessionsPerPrincipal: config.sessionMaxPerPrincipal,
          userAgent,
          logger,
        })
      : undefined;

    const app = createHttpApp({
      logger,
      metrics,
      serveMetrics: config.metrics,
      limiter,
      proxyHops: config.proxyHops,
      origins: {
        allowedHostnames: config.allowedHostnames,
        corsOrigins: config.corsMcpOrigin,
        oauthOrigins: config.corsOauthOrigin,
      },
      cors: {
        mcp: config.corsMcpOrigin,
        mcpMaxAgeMs: config.corsMcpMaxAge,
        oauth: config.corsOauthOrigin,
        oauthMaxAgeMs: config.corsOauthMaxAge,
      },
      limits: {
        mcp: config.rateLimits.mcp,
        token: { client: config.rateLimits.oauthTokenClient, grant: config.rateLimits.oauthTokenGrant },
        byPath: config.rateLimitsByPath,
      },
      mcp,
      sse,
      oauth: oauth?.app,
      demo: config.demo,
      facts: {
        mcpUrl: new URL('mcp', publicBaseUrl).href,
        portalUrl: config.baseUrl ? config.baseUrl.replace(/\/+$/, '') : undefined,
        oauth: config.oauth,
        bearerKeys: config.requestAuthorizationHeader,
        sharedAccount: config.credential !== undefined,
        sseUrl: config.sse ? new URL('sse', publicBaseUrl).href : undefined,
        connectionsUrl:
          config.oauth && config.oauthClientId ? new URL('connections', publicBaseUrl).href : undefined,
      },
      readiness: createReadiness({ docspaceUrl: config.baseUrl || undefined, store, fetch: opts.fetch }),
    });

    bound = app;
    return {
      ...running,
      get inFlight() {
        return running.inFlight;
      },
      app,
      publicBaseUrl,
      metrics,
      async close() {
        await running.shutdown();
        await bus?.close();
        await eventStore?.close();
        if (!opts.store) await store.close();
      },
    };
  }
}
