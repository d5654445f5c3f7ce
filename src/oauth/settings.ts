import type { Logger } from 'pino';
import type { ActivityLog } from '../activity/log.js';
import type { z } from 'zod';
import type { OAuthConfig } from '../config/load.js';
import { SETTINGS } from '../config/settings.js';
import type { Audit } from '../audit/index.js';
import type { Store } from '../store/store.js';
import type { AccessLevel } from './access-level.js';
import type { CimdTestRoute } from './safe-fetch.js';

/**
 * Everything the OAuth facade needs: `Config.oauthConfig` (src/config/load.ts) as loaded, plus
 * what the running server adds (store, logger, …). The environment variable behind each field is
 * in its comment; fields without one have no setting. A field left out takes the setting's
 * default from the settings table. See docs/security.md.
 */
export interface OAuthDeps {
  /** Public URL of this server, e.g. `https://mcp.example.com` (`DOCSPACE_SERVER_BASE_URL`). Issuer and callback derive from it. */
  publicBaseUrl: string;
  /** The DocSpace portal (`DOCSPACE_BASE_URL`); shown on the consent page, used to learn the user id. */
  docspaceBaseUrl: string;
  /** DocSpace's OAuth server (`DOCSPACE_OAUTH_BASE_URL`); default: the portal. `/oauth2/*` is appended. */
  docspaceOAuthBaseUrl?: string;
  /** The operator's DocSpace OAuth app (`DOCSPACE_OAUTH_CLIENT_ID`): enables registration and CIMD. */
  clientId?: string;
  /** That app's secret (`DOCSPACE_OAUTH_CLIENT_SECRET`); empty for a public app with PKCE. */
  clientSecret?: string;
  /** Sealing key (`DOCSPACE_SECRET`, or read from `DOCSPACE_SECRET_FILE`); at least `MIN_SECRET_LENGTH` characters. */
  secret: string;
  /** Older secrets still accepted when opening tokens (`DOCSPACE_SECRET_PREVIOUS`, comma-separated). */
  previousSecrets?: string[];
  store: Store;
  logger: Logger;
  audit?: Audit;
  /** fetch used for DocSpace calls (not for CIMD documents, which use a pinned, SSRF-safe client). */
  fetch?: typeof fetch;
  /** Path of the MCP endpoint under the public base URL; default `/mcp`. */
  mcpPath?: string;
  /**
   * Our access token lifetime (`DOCSPACE_OAUTH_AUTH_TOKEN_TTL`). Independent of the DocSpace
   * token's: requests read the person's current DocSpace token from the store and renew it there
   * when it is about to expire.
   */
  accessTokenTtlMs?: number;
  /** Our refresh token (and grant) lifetime (`DOCSPACE_OAUTH_REFRESH_TOKEN_TTL`). */
  refreshTokenTtlMs?: number;
  /** A just-rotated refresh token still works this long, for clients that refresh concurrently (`DOCSPACE_OAUTH_REFRESH_TOKEN_GRACE`). */
  refreshGraceMs?: number;
  /** Registered (DCR) clients are forgotten after this long without use. Default 90 days. */
  clientTtlSeconds?: number;
  /** Echo the requested scope in token responses instead of omitting it (`DOCSPACE_OAUTH_ECHO_SCOPE`). */
  echoScope?: boolean;
  /** `scopes_supported` in metadata. Default none (clients then send no scope or their own; both are accepted). */
  scopesSupported?: string[];
  /** Client ID Metadata Documents (only with the operator's DocSpace app). */
  cimd?: CimdSettings;
  /** Timeout for calls to DocSpace's OAuth server. Default 10 000 ms. */
  upstreamTimeoutMs?: number;
  /**
   * Personal access tokens on `/connections` (`DOCSPACE_OAUTH_PERSONAL_TOKENS`, default on) and
   * the longest expiry people may choose (`DOCSPACE_OAUTH_PERSONAL_TOKEN_MAX_DAYS`, default 365).
   */
  personalTokens?: { enabled?: boolean; maxDays?: number };
  /** Clock, for tests. */
  now?: () => number;
  /** `docspace-mcp demo`: pages address the person trying it, who is also its operator. */
  demo?: boolean;
  /** Each person's activity log, shown at `/connections/activity` (src/activity). */
  activity?: ActivityLog;
  /** The level the consent page selects first (`DOCSPACE_OAUTH_DEFAULT_ACCESS`). Default `write`. */
  defaultAccess?: AccessLevel;
  /**
   * Whether the operator's tool settings leave any tool that changes something (false with
   * `DOCSPACE_READ_ONLY`, or toolsets of reading tools only): the ceiling of every connection.
   */
  writeAllowed?: boolean;
  /** Hosts of the apps allowed to connect (`DOCSPACE_OAUTH_ALLOWED_CLIENTS`); empty: any. */
  allowedClients?: string[];
}

/** `Config.oauthConfig` goes in as it is (a spread): every field of it must be one of ours (this fails to compile otherwise). */
export type OAuthDepsFromConfig = Pick<OAuthDeps, keyof OAuthConfig>;

export interface CimdSettings {
  /** Has effect only when the operator's DocSpace app is configured (`DOCSPACE_OAUTH_CIMD`). */
  enabled?: boolean;
  timeoutMs?: number;
  maxBytes?: number;
  /** Domains whose documents get a "verified" badge on the consent page (`DOCSPACE_OAUTH_CIMD_TRUSTED_DOMAINS`). */
  trustedDomains?: string[];
  /** TEST ONLY: accept `http://127.0.0.1:<port>/…` documents and loopback addresses. */
  allowInsecureLoopback?: boolean;
  /** TEST ONLY: documents of named hosts come from a local HTTPS server (`CimdTestRoute`). */
  testRoute?: CimdTestRoute;
}

/** The settings with every default applied. */
export interface OAuthSettings {
  issuer: string;
  resource: string;
  resourceMetadataUrl: string;
  callbackUrl: string;
  portalUrl: string;
  upstreamBase: string;
  sharedApp?: { clientId: string; clientSecret?: string };
  secureCookies: boolean;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  refreshGrace: number;
  clientTtl: number;
  echoScope: boolean;
  scopesSupported: string[];
  cimd: Required<Omit<CimdSettings, 'trustedDomains' | 'testRoute'>> & {
    trustedDomains: string[];
    testRoute?: CimdTestRoute;
  };
  upstreamTimeoutMs: number;
  now: () => number;
  demo: boolean;
  defaultAccess: AccessLevel;
  writeAllowed: boolean;
  allowedClients: string[];
}

const stripSlash = (url: string) => url.replace(/\/+$/, '');

/** A setting's default from the settings table, for facades built without the configuration (tests). */
const fallback = <
  K extends
    | 'oauthAuthTokenTtl'
    | 'oauthRefreshTokenTtl'
    | 'oauthRefreshTokenGrace'
    | 'oauthEchoScope'
    | 'oauthCimd'
    | 'oauthCimdTrustedDomains',
>(
  key: K,
) => SETTINGS[key].schema.parse(undefined) as z.output<(typeof SETTINGS)[K]['schema']>;

export function resolveSettings(deps: OAuthDeps): OAuthSettings {
  const base = stripSlash(deps.publicBaseUrl);
  const mcpPath = deps.mcpPath ?? '/mcp';
  const sharedApp = deps.clientId
    ? { clientId: deps.clientId, clientSecret: deps.clientSecret || undefined }
    : undefined;
  return {
    issuer: base,
    resource: `${base}${mcpPath}`,
    resourceMetadataUrl: `${base}/.well-known/oauth-protected-resource${mcpPath}`,
    callbackUrl: `${base}/oauth/callback`,
    portalUrl: stripSlash(deps.docspaceBaseUrl),
    upstreamBase: stripSlash(deps.docspaceOAuthBaseUrl || deps.docspaceBaseUrl),
    sharedApp,
    secureCookies: base.startsWith('https://'),
    accessTokenTtl: Math.round((deps.accessTokenTtlMs ?? fallback('oauthAuthTokenTtl')) / 1000),
    refreshTokenTtl: Math.round((deps.refreshTokenTtlMs ?? fallback('oauthRefreshTokenTtl')) / 1000),
    refreshGrace: (deps.refreshGraceMs ?? fallback('oauthRefreshTokenGrace')) / 1000,
    clientTtl: deps.clientTtlSeconds ?? 90 * 24 * 3600,
    echoScope: deps.echoScope ?? fallback('oauthEchoScope'),
    scopesSupported: deps.scopesSupported ?? [],
    cimd: {
      enabled: Boolean(sharedApp) && (deps.cimd?.enabled ?? fallback('oauthCimd')),
      timeoutMs: deps.cimd?.timeoutMs ?? 5000,
      maxBytes: deps.cimd?.maxBytes ?? 5 * 1024,
      allowInsecureLoopback: deps.cimd?.allowInsecureLoopback ?? false,
      trustedDomains: deps.cimd?.trustedDomains ?? fallback('oauthCimdTrustedDomains'),
      testRoute: deps.cimd?.testRoute,
    },
    upstreamTimeoutMs: deps.upstreamTimeoutMs ?? 10_000,
    now: deps.now ?? Date.now,
    demo: deps.demo ?? false,
    writeAllowed: deps.writeAllowed ?? true,
    defaultAccess: deps.writeAllowed === false ? 'read' : (deps.defaultAccess ?? 'write'),
    allowedClients: deps.allowedClients ?? [],
  };
}
