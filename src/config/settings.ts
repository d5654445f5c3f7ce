import type { z } from 'zod';
import {
  baseUrl,
  bool,
  bytes,
  hostnames,
  int,
  kindOf,
  list,
  oneOf,
  optionalBool,
  origins,
  str,
} from './parsers.js';
import { MIN_SECRET_LENGTH } from './secret.js';
import { VERSION } from './version.js';

export { MIN_SECRET_LENGTH };

const DEFAULT_USER_AGENT = `docspace-mcp/${VERSION}`;

/**
 * Every setting of the server, in one table: the environment variable (the reference server's
 * names, so deployments can switch), the CLI flag derived from it, a description, and the zod
 * parser, which alone states the default and the kind of value (`parsers.ts`). `--help` and
 * `docs/configuration.md` are generated from this table; nothing else defines a setting.
 *
 * A row: `name: setting({ env: 'DOCSPACE_…', group: '…', description: '…', schema: int(30_000) })`,
 * plus `secret: true` for values never logged and `shown: '…'` only for a default the schema
 * cannot state.
 */
export interface Setting<S extends z.ZodType = z.ZodType> {
  env: string;
  /** Other accepted variable names (the reference documented some under different names). */
  aliases?: string[];
  group: Group;
  /**
   * The default as a person reads it, only where the schema's own default does not say it (it
   * depends on other settings or on the running server); otherwise `defaultShown` derives it.
   */
  shown?: string;
  description: string;
  secret?: boolean;
  schema: S;
}

export type Group =
  'DocSpace' | 'Tools' | 'Transport' | 'HTTP' | 'Rate limits' | 'OAuth' | 'Storage' | 'Logging';

function setting<S extends z.ZodType>(s: Setting<S>): Setting<S> {
  return s;
}

export const TRANSPORTS = ['stdio', 'http', 'streamable-http', 'sse'] as const;
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Rate-limited routes, one row each: `key` names the pair of settings (`rateLimit<key>Capacity`,
 * `…Window`) and, lower-camel, the route in `Config.rateLimits`; `env` is the variables' infix and,
 * kebab-cased, the limit's name in metrics; `paths` are the exact request paths it limits per IP
 * (none: the HTTP layer applies it by its own key, e.g. per user or per client id).
 */
interface RateLimitRow {
  key: string;
  env: string;
  capacity: number;
  windowMs: number;
  what: string;
  paths: readonly string[];
}

const RATE_LIMITED = [
  {
    key: 'Mcp',
    env: 'MCP',
    capacity: 1000,
    windowMs: 1000,
    what: 'MCP requests (`/mcp`, `/sse`, `/messages`) per client IP',
    paths: [],
  },
  {
    key: 'Principal',
    env: 'PRINCIPAL',
    capacity: 600,
    windowMs: 60_000,
    what: 'MCP requests per signed-in user (or API key), across IPs',
    paths: [],
  },
  {
    key: 'OauthServerMetadata',
    env: 'OAUTH_SERVER_METADATA',
    capacity: 200,
    windowMs: 60_000,
    what: '`/.well-known/oauth-authorization-server` per IP',
    paths: ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration'],
  },
  {
    key: 'OauthResourceMetadata',
    env: 'OAUTH_RESOURCE_METADATA',
    capacity: 200,
    windowMs: 60_000,
    what: '`/.well-known/oauth-protected-resource` per IP',
    paths: ['/.well-known/oauth-protected-resource'],
  },
  {
    key: 'OauthAuthorize',
    env: 'OAUTH_AUTHORIZE',
    capacity: 200,
    windowMs: 60_000,
    what: '`/oauth/authorize` per IP',
    // The consent form and the connections page: people, at the pace of the consent page.
    paths: ['/oauth/authorize', '/oauth/consent', '/connections'],
  },
  {
    key: 'OauthCallback',
    env: 'OAUTH_CALLBACK',
    capacity: 200,
    windowMs: 60_000,
    what: '`/oauth/callback` per IP',
    paths: ['/oauth/callback'],
  },
  {
    key: 'OauthIntrospect',
    env: 'OAUTH_INTROSPECT',
    capacity: 10,
    windowMs: 60_000,
    what: '`/oauth/introspect` per IP',
    paths: ['/oauth/introspect'],
  },
  {
    key: 'OauthRegister',
    env: 'OAUTH_REGISTER',
    capacity: 10,
    windowMs: 60_000,
    what: '`/oauth/register` per IP',
    paths: ['/oauth/register'],
  },
  {
    key: 'OauthRevoke',
    env: 'OAUTH_REVOKE',
    capacity: 10,
    windowMs: 60_000,
    what: '`/oauth/revoke` per IP',
    paths: ['/oauth/revoke'],
  },
  {
    key: 'OauthToken',
    env: 'OAUTH_TOKEN',
    // Per IP sized for an office behind one NAT; one client or sign-in is held back by its own limits.
    capacity: 600,
    windowMs: 60_000,
    what: '`/oauth/token` per IP',
    paths: ['/oauth/token'],
  },
  {
    key: 'OauthTokenClient',
    env: 'OAUTH_TOKEN_CLIENT',
    capacity: 60,
    windowMs: 60_000,
    what: '`/oauth/token` per client id and IP',
    paths: [],
  },
  {
    key: 'OauthTokenGrant',
    env: 'OAUTH_TOKEN_GRANT',
    capacity: 30,
    windowMs: 60_000,
    what: '`/oauth/token` refreshes per sign-in (refresh family)',
    paths: [],
  },
] as const satisfies readonly RateLimitRow[];

type RateLimitKey = (typeof RATE_LIMITED)[number]['key'];
/** A route's key in `Config.rateLimits`: `OauthToken` → `oauthToken`. */
export type RateLimitRoute = Uncapitalize<RateLimitKey>;

/** One limit as the HTTP layer applies it (`src/http/rate-limit.ts` `Limit`). */
export interface RateLimit {
  name: string;
  capacity: number;
  windowMs: number;
}

function rateLimitSettings() {
  const out: Record<string, Setting> = {};
  for (const { key, env, capacity, windowMs, what } of RATE_LIMITED) {
    out[`rateLimit${key}Capacity`] = setting({
      env: `DOCSPACE_SERVER_RATE_LIMITS_${env}_CAPACITY`,
      group: 'Rate limits',
      description: `Requests allowed per window for ${what}; 0 turns this limit off.`,
      schema: int(capacity),
    });
    out[`rateLimit${key}Window`] = setting({
      env: `DOCSPACE_SERVER_RATE_LIMITS_${env}_WINDOW`,
      group: 'Rate limits',
      description: `Window in milliseconds for the limit on ${what}.`,
      schema: int(windowMs, { min: 1 }),
    });
  }
  return out as Record<`rateLimit${RateLimitKey}${'Capacity' | 'Window'}`, Setting<ReturnType<typeof int>>>;
}

/** The limits as loaded, by route, and by request path for the routes limited per path. */
export function rateLimitsOf(c: RawConfig): {
  byRoute: Record<RateLimitRoute, RateLimit>;
  byPath: Record<string, RateLimit>;
} {
  const byRoute = {} as Record<RateLimitRoute, RateLimit>;
  const byPath: Record<string, RateLimit> = {};
  for (const row of RATE_LIMITED) {
    const limit: RateLimit = {
      name: row.env.toLowerCase().replace(/_/g, '-'),
      capacity: c[`rateLimit${row.key}Capacity`],
      windowMs: c[`rateLimit${row.key}Window`],
    };
    byRoute[`${row.key[0].toLowerCase()}${row.key.slice(1)}` as RateLimitRoute] = limit;
    for (const path of row.paths) byPath[path] = limit;
  }
  return { byRoute, byPath };
}

export const SETTINGS = {
  // DocSpace
  baseUrl: setting({
    env: 'DOCSPACE_BASE_URL',
    group: 'DocSpace',
    description: 'Base URL of the DocSpace portal, e.g. `https://portal.onlyoffice.com`.',
    schema: baseUrl(),
  }),
  apiKey: setting({
    env: 'DOCSPACE_API_KEY',
    group: 'DocSpace',
    secret: true,
    description: 'DocSpace API key used for every call (single-user setups).',
    schema: str(),
  }),
  authToken: setting({
    env: 'DOCSPACE_AUTH_TOKEN',
    group: 'DocSpace',
    secret: true,
    description: 'DocSpace personal access token used for every call.',
    schema: str(),
  }),
  username: setting({
    env: 'DOCSPACE_USERNAME',
    group: 'DocSpace',
    description: 'DocSpace user name (email); needs `DOCSPACE_PASSWORD`.',
    schema: str(),
  }),
  password: setting({
    env: 'DOCSPACE_PASSWORD',
    group: 'DocSpace',
    secret: true,
    description: 'DocSpace password for `DOCSPACE_USERNAME`.',
    schema: str(),
  }),
  authorization: setting({
    env: 'DOCSPACE_AUTHORIZATION',
    group: 'DocSpace',
    secret: true,
    description: 'A raw `Authorization` header value sent to DocSpace as is.',
    schema: str(),
  }),
  userAgent: setting({
    env: 'DOCSPACE_USER_AGENT',
    group: 'DocSpace',
    shown: 'docspace-mcp/<version>',
    description: 'User-Agent sent to DocSpace; empty sends none.',
    schema: str(DEFAULT_USER_AGENT),
  }),
  apiTimeout: setting({
    env: 'DOCSPACE_API_TIMEOUT',
    group: 'DocSpace',
    description: 'Milliseconds to wait for one DocSpace API call before giving up.',
    schema: int(30_000, { min: 100 }),
  }),
  // Tools
  toolsets: setting({
    env: 'DOCSPACE_TOOLSETS',
    group: 'Tools',
    description: 'Comma-separated toolsets to enable (`all` for every toolset).',
    schema: list(['all'], { lower: true }),
  }),
  enabledTools: setting({
    env: 'DOCSPACE_ENABLED_TOOLS',
    group: 'Tools',
    description: 'Extra tools to enable, even from toolsets not listed.',
    schema: list([], { lower: true }),
  }),
  disabledTools: setting({
    env: 'DOCSPACE_DISABLED_TOOLS',
    group: 'Tools',
    description: 'Tools to remove from the enabled set.',
    schema: list([], { lower: true }),
  }),
  dynamic: setting({
    env: 'DOCSPACE_DYNAMIC',
    group: 'Tools',
    description: 'Expose meta tools that discover and call the others, instead of every tool.',
    schema: bool(false),
  }),
  readOnly: setting({
    env: 'DOCSPACE_READ_ONLY',
    group: 'Tools',
    description: 'Only offer tools that change nothing in DocSpace.',
    schema: bool(false),
  }),
  confirmDestructive: setting({
    env: 'DOCSPACE_CONFIRM_DESTRUCTIVE',
    group: 'Tools',
    description:
      'Confirm destructive calls (delete, archive, move, remove members, overwrite) with the person: by elicitation when the client can ask, otherwise in two calls, the second carrying the code the first returned.',
    schema: bool(true),
  }),
  // Transport
  transport: setting({
    env: 'DOCSPACE_TRANSPORT',
    group: 'Transport',
    description:
      '`stdio`, `streamable-http` (`/mcp`), `sse` (legacy `/sse` + `/messages`) or `http` (both HTTP transports).',
    schema: oneOf(TRANSPORTS, 'stdio'),
  }),
  host: setting({
    env: 'DOCSPACE_HOST',
    group: 'Transport',
    description: 'Interface the HTTP server listens on.',
    schema: str('127.0.0.1'),
  }),
  port: setting({
    env: 'DOCSPACE_PORT',
    group: 'Transport',
    description: 'Port the HTTP server listens on; 0 picks a free one.',
    schema: int(8080, { max: 65535 }),
  }),
  serverBaseUrl: setting({
    env: 'DOCSPACE_SERVER_BASE_URL',
    group: 'Transport',
    shown: 'http://<host>:<port>/',
    description: 'Public URL of this server (OAuth issuer, callback, resource). Needed behind a proxy.',
    schema: baseUrl(),
  }),
  sessionTtl: setting({
    env: 'DOCSPACE_SESSION_TTL',
    group: 'Transport',
    description: 'Milliseconds a legacy SSE session lives; 0 never expires it.',
    schema: int(28_800_000),
  }),
  sessionInterval: setting({
    env: 'DOCSPACE_SESSION_INTERVAL',
    group: 'Transport',
    description: 'Milliseconds between sweeps that close expired SSE sessions; 0 turns sweeping off.',
    schema: int(240_000),
  }),
  sessionMax: setting({
    env: 'DOCSPACE_SESSION_MAX',
    group: 'Transport',
    description: 'Most legacy SSE sessions open at once; more are refused with 503.',
    schema: int(1000, { min: 1 }),
  }),
  sessionMaxPerPrincipal: setting({
    env: 'DOCSPACE_SESSION_MAX_PER_PRINCIPAL',
    group: 'Transport',
    description:
      'Most legacy SSE sessions one user (or API key; on a shared credential, one client IP) may hold open at once, under `DOCSPACE_SESSION_MAX`; more are refused with 503.',
    schema: int(20, { min: 1 }),
  }),
  httpSessions: setting({
    env: 'DOCSPACE_HTTP_SESSIONS',
    group: 'Transport',
    description:
      '2025-era clients on `/mcp`: `stateful` issues an `Mcp-Session-Id` so the server can ask the client (confirmations, sampling) and streams can resume; `stateless` answers every POST on its own (no questions, nothing to expire). 2026-07-28 clients are stateless either way.',
    schema: oneOf(['stateful', 'stateless'] as const, 'stateful'),
  }),
  httpSessionIdle: setting({
    env: 'DOCSPACE_HTTP_SESSION_IDLE',
    group: 'Transport',
    description:
      'Milliseconds a 2025 `/mcp` session lives without a request before it ends (404 afterwards).',
    schema: int(1_800_000, { min: 1000 }),
  }),
  httpSessionMax: setting({
    env: 'DOCSPACE_HTTP_SESSION_MAX',
    group: 'Transport',
    description: 'Most 2025 `/mcp` sessions open at once on one instance; more are refused with 503.',
    schema: int(1000, { min: 1 }),
  }),
  httpSessionPrincipalMax: setting({
    env: 'DOCSPACE_HTTP_SESSION_PRINCIPAL_MAX',
    group: 'Transport',
    description:
      'Most 2025 `/mcp` sessions one user (or API key) has open at once on one instance; more are refused with 429.',
    schema: int(20, { min: 1 }),
  }),
  // HTTP
  allowedHostnames: setting({
    env: 'DOCSPACE_SERVER_ALLOWED_HOSTNAMES',
    group: 'HTTP',
    description:
      'Host header values accepted (DNS-rebinding guard); the hostname of `DOCSPACE_SERVER_BASE_URL` is always added. Empty turns the check off.',
    schema: hostnames(LOOPBACK),
  }),
  corsMcpOrigin: setting({
    env: 'DOCSPACE_SERVER_CORS_MCP_ORIGIN',
    group: 'HTTP',
    description:
      'Origins given CORS access to the MCP routes. Browser requests must also pass the Origin check: an origin listed here explicitly, or one whose hostname is allowed.',
    schema: origins(['*']),
  }),
  corsMcpMaxAge: setting({
    env: 'DOCSPACE_SERVER_CORS_MCP_MAX_AGE',
    group: 'HTTP',
    description: 'Milliseconds browsers may cache a CORS preflight for MCP routes; 0 omits the header.',
    schema: int(86_400_000),
  }),
  corsOauthOrigin: setting({
    env: 'DOCSPACE_SERVER_CORS_OAUTH_ORIGIN',
    group: 'HTTP',
    description: 'Origins given CORS access to the OAuth and metadata routes.',
    schema: origins(['*']),
  }),
  corsOauthMaxAge: setting({
    env: 'DOCSPACE_SERVER_CORS_OAUTH_MAX_AGE',
    group: 'HTTP',
    description: 'Milliseconds browsers may cache a CORS preflight for OAuth routes; 0 omits the header.',
    schema: int(86_400_000),
  }),
  proxyHops: setting({
    env: 'DOCSPACE_SERVER_PROXY_HOPS',
    aliases: ['DOCSPACE_PROXY_HOPS'],
    group: 'HTTP',
    description:
      'How many reverse proxies in front of the server to trust for `X-Forwarded-For`/`-Proto`/`-Host`. The reference read `DOCSPACE_PROXY_HOPS` while documenting this name; both are accepted.',
    schema: int(0, { max: 10 }),
  }),
  maxBodySize: setting({
    env: 'DOCSPACE_MAX_BODY_SIZE',
    group: 'HTTP',
    description:
      'Largest request body accepted (413 above). The default fits the upload tool’s 30 MB files, which base64 inside JSON grows by a third.',
    schema: bytes(48 * 1024 ** 2),
  }),
  maxBodyInFlight: setting({
    env: 'DOCSPACE_MAX_BODY_IN_FLIGHT',
    group: 'HTTP',
    description:
      'Request body bytes the server reads or holds at once, across all requests; a request that does not fit is refused with 503 before its body is read. Bounds memory under a flood of large requests; at least `DOCSPACE_MAX_BODY_SIZE`.',
    schema: bytes(128 * 1024 ** 2),
  }),
  requestTimeout: setting({
    env: 'DOCSPACE_REQUEST_TIMEOUT',
    group: 'HTTP',
    description:
      'Milliseconds one HTTP request may take before it is cancelled: a JSON answer becomes a 504, a streamed one ends with a JSON-RPC error for the request; 0 turns this off.',
    schema: int(300_000),
  }),
  shutdownTimeout: setting({
    env: 'DOCSPACE_SHUTDOWN_TIMEOUT',
    group: 'HTTP',
    description: 'Milliseconds to let in-flight requests finish after SIGTERM/SIGINT before closing them.',
    schema: int(30_000),
  }),
  requestQuery: setting({
    env: 'DOCSPACE_REQUEST_QUERY',
    group: 'HTTP',
    description: 'Accept tool settings in the MCP URL query (`?toolsets=files&read_only=yes`).',
    schema: bool(true),
  }),
  requestAuthorizationHeader: setting({
    env: 'DOCSPACE_REQUEST_AUTHORIZATION_HEADER',
    group: 'HTTP',
    shown: 'no with OAuth, yes without',
    description:
      'Accept DocSpace credentials from clients: an API key or token as `Authorization: Bearer …`, another `Authorization` value, or the `X-Mcp-Api-Key` / `-Auth-Token` / `-Username` + `-Password` headers. With OAuth on this is off unless set: the server then accepts only tokens it issued.',
    schema: optionalBool(),
  }),
  requestHeaderPrefix: setting({
    env: 'DOCSPACE_REQUEST_HEADER_PREFIX',
    group: 'HTTP',
    description: 'Prefix of per-request setting headers (`X-Mcp-Toolsets`, …); empty turns them off.',
    schema: str('x-mcp-').transform((v) => v.toLowerCase()),
  }),
  metrics: setting({
    env: 'DOCSPACE_METRICS',
    group: 'HTTP',
    description: 'Serve Prometheus metrics on `/metrics`.',
    schema: bool(true),
  }),
  ...rateLimitSettings(),
  // OAuth
  oauthBaseUrl: setting({
    env: 'DOCSPACE_OAUTH_BASE_URL',
    group: 'OAuth',
    description:
      "Base URL of DocSpace's OAuth server (its `/oauth2/*` endpoints); default: the portal. Setting it or `DOCSPACE_OAUTH_CLIENT_ID` turns OAuth sign-in on for HTTP transports.",
    schema: baseUrl(),
  }),
  oauthClientId: setting({
    env: 'DOCSPACE_OAUTH_CLIENT_ID',
    group: 'OAuth',
    description:
      'Client ID of the DocSpace OAuth app this server signs users in with; without it clients must bring their own.',
    schema: str(),
  }),
  oauthClientSecret: setting({
    env: 'DOCSPACE_OAUTH_CLIENT_SECRET',
    group: 'OAuth',
    secret: true,
    description: 'Client secret of that DocSpace OAuth app (empty for a public app with PKCE).',
    schema: str(),
  }),
  oauthAuthTokenTtl: setting({
    env: 'DOCSPACE_OAUTH_AUTH_TOKEN_TTL',
    group: 'OAuth',
    description:
      "Milliseconds an access token we issue lives (independent of the DocSpace token's life: requests renew that one).",
    schema: int(3_600_000, { min: 1000 }),
  }),
  oauthRefreshTokenTtl: setting({
    env: 'DOCSPACE_OAUTH_REFRESH_TOKEN_TTL',
    group: 'OAuth',
    description:
      'Milliseconds a sign-in (its refresh token family) lasts without the person signing in again.',
    schema: int(2_592_000_000, { min: 60_000 }),
  }),
  oauthRefreshTokenGrace: setting({
    env: 'DOCSPACE_OAUTH_REFRESH_TOKEN_GRACE',
    group: 'OAuth',
    description:
      'Milliseconds a just-rotated refresh token still works (clients that refresh concurrently); presenting it later revokes the whole sign-in as a replay.',
    schema: int(60_000, { max: 600_000 }),
  }),
  oauthEchoScope: setting({
    env: 'DOCSPACE_OAUTH_ECHO_SCOPE',
    group: 'OAuth',
    description:
      'Return the requested `scope` in token responses (some clients insist on it; most compare it and fail).',
    schema: bool(false),
  }),
  oauthCimd: setting({
    env: 'DOCSPACE_OAUTH_CIMD',
    group: 'OAuth',
    description:
      'Accept Client ID Metadata Documents (an https URL as client id); needs `DOCSPACE_OAUTH_CLIENT_ID`.',
    schema: bool(true),
  }),
  oauthCimdTrustedDomains: setting({
    env: 'DOCSPACE_OAUTH_CIMD_TRUSTED_DOMAINS',
    group: 'OAuth',
    description: 'Domains whose client metadata documents the consent page marks as verified.',
    schema: list(['claude.ai', 'claude.com', 'chatgpt.com', 'openai.com', 'vscode.dev'], { lower: true }),
  }),
  oauthPersonalTokens: setting({
    env: 'DOCSPACE_OAUTH_PERSONAL_TOKENS',
    group: 'OAuth',
    description:
      'Let people create personal access tokens on `/connections` for clients without OAuth (docs/connections.md); `no` refuses existing ones too. Needs `DOCSPACE_OAUTH_CLIENT_ID`.',
    schema: bool(true),
  }),
  oauthPersonalTokenMaxDays: setting({
    env: 'DOCSPACE_OAUTH_PERSONAL_TOKEN_MAX_DAYS',
    group: 'OAuth',
    description:
      'The longest a personal access token may last, in days (people choose up to this; the default choice is 90 days or this, whichever is less).',
    schema: int(365, { min: 1, max: 3650 }),
  }),
  secret: setting({
    env: 'DOCSPACE_SECRET',
    group: 'OAuth',
    secret: true,
    description: `Key (${MIN_SECRET_LENGTH}+ characters) that seals issued tokens; required with OAuth, the same on every instance. Make one with \`openssl rand -base64 32\` (docs/deployment.md). Only \`docspace-mcp demo\` makes a random one per start.`,
    schema: str(),
  }),
  previousSecrets: setting({
    env: 'DOCSPACE_SECRET_PREVIOUS',
    group: 'OAuth',
    secret: true,
    description:
      'Earlier values of `DOCSPACE_SECRET`, comma-separated, still accepted while tokens sealed with them expire (key rotation).',
    schema: list([]),
  }),
  secretFile: setting({
    env: 'DOCSPACE_SECRET_FILE',
    group: 'OAuth',
    description: 'File holding `DOCSPACE_SECRET` (for Docker/Kubernetes secrets).',
    schema: str(),
  }),
  activityRetentionDays: setting({
    env: 'DOCSPACE_ACTIVITY_RETENTION_DAYS',
    group: 'OAuth',
    description:
      'Days each person’s activity log (`/connections/activity`: tool calls, sign-ins, revocations; ids and titles, never content) keeps an entry.',
    schema: int(30, { min: 1, max: 365 }),
  }),
  activityMaxEntries: setting({
    env: 'DOCSPACE_ACTIVITY_MAX_ENTRIES',
    group: 'OAuth',
    description: 'Most entries one person’s activity log keeps; the oldest go first. `0` turns the log off.',
    schema: int(1000, { min: 0, max: 10_000 }),
  }),
  oauthDefaultAccess: setting({
    env: 'DOCSPACE_OAUTH_DEFAULT_ACCESS',
    group: 'OAuth',
    description:
      'Access level the consent page selects first: `read` (Read only: the tools marked read-only) or `write` (Read and write). The person can pick the other; the tool settings (`DOCSPACE_READ_ONLY`, toolsets) stay the ceiling either way.',
    schema: oneOf(['read', 'write'] as const, 'write'),
  }),
  oauthAllowedClients: setting({
    env: 'DOCSPACE_OAUTH_ALLOWED_CLIENTS',
    group: 'OAuth',
    description:
      'Only these AI apps may connect: host names (comma-separated) of their client metadata document or of their redirect URI, e.g. `claude.ai,chatgpt.com,localhost`; a name also covers its subdomains. Others get a page naming the policy, and registration is refused. Empty: any app.',
    schema: list([], { lower: true }),
  }),
  // Storage
  store: setting({
    env: 'DOCSPACE_STORE',
    group: 'Storage',
    description: '`memory` (one instance) or `redis` (several instances share sign-ins and rate limits).',
    schema: oneOf(['memory', 'redis'] as const, 'memory'),
  }),
  redisUrl: setting({
    env: 'DOCSPACE_REDIS_URL',
    group: 'Storage',
    secret: true,
    description: 'Redis URL for `DOCSPACE_STORE=redis`, e.g. `redis://127.0.0.1:6379/0`.',
    schema: str(),
  }),
  redisKeyPrefix: setting({
    env: 'DOCSPACE_REDIS_KEY_PREFIX',
    group: 'Storage',
    description: 'Prefix of every Redis key, so several deployments can share one Redis.',
    schema: str('docspace-mcp:'),
  }),
  // Logging
  logLevel: setting({
    env: 'DOCSPACE_LOG_LEVEL',
    group: 'Logging',
    description: `Log level: ${LOG_LEVELS.join(', ')}. Logs go to stderr as JSON (readable lines in a terminal).`,
    schema: oneOf(LOG_LEVELS, 'info'),
  }),
} satisfies Record<string, Setting>;

export type SettingKey = keyof typeof SETTINGS;
export type RawConfig = { [K in SettingKey]: z.output<(typeof SETTINGS)[K]['schema']> };

/** `DOCSPACE_BASE_URL` → `--base-url`; `DOCSPACE_SERVER_BASE_URL` → `--server-base-url`. */
export function flagOf(env: string): string {
  return `--${env
    .replace(/^DOCSPACE_/, '')
    .toLowerCase()
    .replace(/_/g, '-')}`;
}

/** Boolean settings take `--flag` alone (yes) and `--no-flag` (no). */
export function isBoolean(s: Setting): boolean {
  return kindOf(s.schema) === 'boolean';
}

/** The default as `--help` and the docs show it: from the schema, unless the row says `shown`. */
export function defaultShown(s: Setting): string {
  if (s.shown !== undefined) return s.shown;
  const value: unknown = s.schema.parse(undefined);
  if (value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'number' && kindOf(s.schema) === 'bytes') return shownBytes(value);
  return String(value);
}

function shownBytes(n: number): string {
  for (const [unit, size] of [
    ['GB', 1024 ** 3],
    ['MB', 1024 ** 2],
    ['KB', 1024],
  ] as const)
    if (n % size === 0) return `${n / size}${unit}`;
  return String(n);
}

/** Reference variables that no longer do anything; setting them earns a warning, not an error. */
export const RETIRED: Record<string, string> = {
  DOCSPACE_INTERNAL: 'internal mode is not supported',
  DOCSPACE_OAUTH_AUTH_TOKEN_ALGORITHM: 'tokens are always sealed with DOCSPACE_SECRET',
  DOCSPACE_OAUTH_AUTH_TOKEN_SECRET_KEY: 'use DOCSPACE_SECRET',
  DOCSPACE_OAUTH_STATE_TOKEN_ALGORITHM: 'states are kept server-side',
  DOCSPACE_OAUTH_STATE_TOKEN_SECRET_KEY: 'use DOCSPACE_SECRET',
  DOCSPACE_OAUTH_STATE_TOKEN_TTL: 'pending sign-ins have a fixed short lifetime',
};

/**
 * Settings `docspace-mcp demo` sets itself (its emulator's portal and OAuth app, HTTP); the demo
 * ignores them in the environment and reads every other setting as `serve` does.
 */
export const DEMO_OWNED: readonly SettingKey[] = [
  'transport',
  'baseUrl',
  'apiKey',
  'authToken',
  'username',
  'password',
  'authorization',
  'oauthBaseUrl',
  'oauthClientId',
  'oauthClientSecret',
];
