import { readFileSync } from 'node:fs';
import type { Credential } from '../docspace/credential.js';
import { MAX_UPLOAD_BYTES } from '../tools/content.js';
import { resolveSelection, SelectionError, type ToolSelection } from '../tools/selection.js';
import { ConfigError, type ConfigIssue } from './errors.js';
import {
  flagOf,
  isBoolean,
  MIN_SECRET_LENGTH,
  type RateLimit,
  type RateLimitRoute,
  rateLimitsOf,
  type RawConfig,
  RETIRED,
  SETTINGS,
  type Setting,
  type SettingKey,
} from './settings.js';

/**
 * What the OAuth server takes from the configuration, named as `createOAuth` (src/oauth/settings.ts
 * `OAuthDeps`) reads it; durations in milliseconds, as set.
 */
export interface OAuthConfig {
  docspaceBaseUrl: string;
  docspaceOAuthBaseUrl?: string;
  clientId?: string;
  clientSecret?: string;
  secret: string;
  previousSecrets: string[];
  accessTokenTtlMs: number;
  refreshTokenTtlMs: number;
  refreshGraceMs: number;
  echoScope: boolean;
  cimd: { enabled: boolean; trustedDomains: string[] };
}

/** The parsed settings plus what follows from them, computed once at startup. */
export interface Config extends Omit<RawConfig, 'requestAuthorizationHeader'> {
  /**
   * Whether DocSpace credentials from clients (Bearer, raw `Authorization`, `X-Mcp-*` headers)
   * are accepted: as set, else off with OAuth (only our tokens) and on without it.
   */
  requestAuthorizationHeader: boolean;
  /** The credential from the environment (stdio, single-user HTTP); undefined when none. */
  credential: Credential | undefined;
  /** True when OAuth sign-in is on (HTTP transports with `DOCSPACE_OAUTH_BASE_URL`). */
  oauth: boolean;
  /** The public base URL of this server, always with a trailing slash. */
  publicBaseUrl: string;
  /** The sealing key (from `DOCSPACE_SECRET`, its file, or random per start). */
  secretValue: string;
  /** True when the sealing key was made up at startup. */
  secretEphemeral: boolean;
  /** Started by `docspace-mcp demo` (pages then address the person trying it out). */
  demo: boolean;
  /** Whether `/mcp` and `/sse` are served. */
  streamable: boolean;
  sse: boolean;
  /** The validated tool selection (toolsets expanded). */
  selection: ToolSelection;
  /** Warnings worth a log line (retired variables, …). */
  warnings: string[];
  /** The OAuth server's settings, when OAuth is on. */
  oauthConfig: OAuthConfig | undefined;
  /** Every rate limit, by route (`rateLimits.oauthToken`). */
  rateLimits: Record<RateLimitRoute, RateLimit>;
  /** The limits applied per request path and IP (`/oauth/token`, the metadata documents, …). */
  rateLimitsByPath: Record<string, RateLimit>;
}

export interface LoadInput {
  env: Record<string, string | undefined>;
  /** Flags only (`--port 9000`, `--read-only`, `--no-dynamic`); the command word is removed first. */
  argv?: string[];
  /** For the random sealing key; injected by tests. */
  randomSecret?: () => string;
  /**
   * The demo only: without `DOCSPACE_SECRET`, make a random sealing key per start. Anywhere else
   * that would sign everyone out on every restart, so the server refuses to start instead.
   */
  allowEphemeralSecret?: boolean;
  /**
   * `docspace-mcp demo`: implies `allowEphemeralSecret`, and pages speak to the person trying the
   * demo (no "ask your administrator": they are the administrator).
   */
  demo?: boolean;
}

type Source = { name: string; value: string };

const BY_FLAG = new Map<string, SettingKey>(
  (Object.entries(SETTINGS) as [SettingKey, Setting][]).map(([key, s]) => [flagOf(s.env), key]),
);

function parseFlags(argv: string[], issues: ConfigIssue[]): Map<SettingKey, Source> {
  const out = new Map<SettingKey, Source>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf('=');
    let flag = eq > 0 ? arg.slice(0, eq) : arg;
    let value: string | undefined = eq > 0 ? arg.slice(eq + 1) : undefined;
    let key = BY_FLAG.get(flag);
    if (!key && flag.startsWith('--no-') && value === undefined) {
      const positive = BY_FLAG.get(`--${flag.slice(5)}`);
      if (positive && isBoolean(SETTINGS[positive])) {
        key = positive;
        flag = `--${flag.slice(5)}`;
        value = 'no';
      }
    }
    if (!key) {
      issues.push({
        name: arg,
        problem: 'is not a known option',
        fix: 'run `docspace-mcp --help` for the list',
      });
      continue;
    }
    if (value === undefined) {
      const next = argv[i + 1];
      if (isBoolean(SETTINGS[key]) && (next === undefined || next.startsWith('--'))) value = 'yes';
      else if (next === undefined) {
        issues.push({
          name: flag,
          problem: 'needs a value',
          fix: `write ${flag} <value> or ${flag}=<value>`,
        });
        continue;
      } else {
        value = next;
        i++;
      }
    }
    out.set(key, { name: flag, value });
  }
  return out;
}

function pickEnv(env: LoadInput['env'], s: Setting, issues: ConfigIssue[]): Source | undefined {
  const found = [s.env, ...(s.aliases ?? [])]
    .filter((n) => env[n] !== undefined)
    .map((n) => ({ name: n, value: env[n] as string }));
  if (found.length > 1 && new Set(found.map((f) => f.value.trim())).size > 1) {
    issues.push({
      name: found.map((f) => f.name).join(' and '),
      problem: 'are both set, to different values',
      fix: `keep only ${s.env}`,
    });
  }
  return found[0];
}

/**
 * Reads every setting from flags (first) and the environment, then checks how they fit
 * together. Throws one `ConfigError` listing every problem, so a person fixes them all at once.
 */
export function loadConfig(input: LoadInput): Config {
  const issues: ConfigIssue[] = [];
  const warnings: string[] = [];
  const flags = parseFlags(input.argv ?? [], issues);
  const raw: Record<string, unknown> = {};
  const sources = new Map<SettingKey, Source>();
  // Settings whose value did not parse: already reported, so they are not also called "empty".
  const invalid = new Set<SettingKey>();
  for (const [key, s] of Object.entries(SETTINGS) as [SettingKey, Setting][]) {
    const source = flags.get(key) ?? pickEnv(input.env, s, issues);
    if (source) sources.set(key, source);
    const parsed = s.schema.safeParse(source?.value);
    if (parsed.success) raw[key] = parsed.data;
    else {
      for (const issue of parsed.error.issues) {
        issues.push({
          name: source?.name ?? s.env,
          problem: `is invalid: ${issue.message}`,
          fix: `give a valid value (${flagOf(s.env)}: ${s.description})`,
        });
      }
      // Go on with the default so the checks below still report their problems in this run.
      raw[key] = s.schema.parse(undefined);
      invalid.add(key);
    }
  }
  for (const [name, why] of Object.entries(RETIRED)) {
    if (input.env[name] !== undefined) warnings.push(`${name} is ignored: ${why}`);
  }

  const c = raw as RawConfig;
  const nameOf = (key: SettingKey) => sources.get(key)?.name ?? SETTINGS[key].env;
  const problem = (key: SettingKey, text: string, fix: string) =>
    issues.push({ name: nameOf(key), problem: text, fix });

  const streamable = c.transport === 'http' || c.transport === 'streamable-http';
  const sse = c.transport === 'http' || c.transport === 'sse';
  const overHttp = streamable || sse;

  // Credentials from the environment: at most one kind.
  if (c.username && !c.password)
    problem(
      'username',
      'is set without DOCSPACE_PASSWORD',
      'set DOCSPACE_PASSWORD too, or unset DOCSPACE_USERNAME',
    );
  if (c.password && !c.username)
    problem(
      'password',
      'is set without DOCSPACE_USERNAME',
      'set DOCSPACE_USERNAME too, or unset DOCSPACE_PASSWORD',
    );
  const credentials: Credential[] = [];
  // The names the person actually used for each credential, for messages about them.
  const credentialNames: string[] = [];
  if (c.apiKey) {
    credentials.push({ kind: 'apiKey', apiKey: c.apiKey });
    credentialNames.push(nameOf('apiKey'));
  }
  if (c.authToken) {
    credentials.push({ kind: 'personalToken', token: c.authToken });
    credentialNames.push(nameOf('authToken'));
  }
  if (c.username && c.password) {
    credentials.push({ kind: 'password', username: c.username, password: c.password });
    credentialNames.push(`${nameOf('username')} + ${nameOf('password')}`);
  }
  if (c.authorization) {
    credentials.push({ kind: 'authorization', value: c.authorization });
    credentialNames.push(nameOf('authorization'));
  }
  if (credentials.length > 1) {
    issues.push({
      name: listNames(credentialNames),
      problem: `are ${credentials.length} DocSpace credentials; the server would not know which to use`,
      fix: 'keep exactly one of them',
    });
  }
  const credential = credentials.length === 1 ? credentials[0] : undefined;

  const oauth = overHttp && (c.oauthBaseUrl !== '' || c.oauthClientId !== '');
  // The MCP spec forbids accepting tokens not issued for this server: with OAuth, DocSpace
  // credentials from clients are the operator's explicit choice.
  const requestAuthorizationHeader = c.requestAuthorizationHeader ?? !oauth;
  // Every DocSpace call goes to the configured portal (no per-request portal), so an HTTP server
  // without one would start, look ready and fail every tool call.
  if (!c.baseUrl && !invalid.has('baseUrl')) {
    if (credentials.length > 0)
      problem(
        'baseUrl',
        'is empty but a DocSpace credential is set',
        'set DOCSPACE_BASE_URL to your portal, e.g. https://portal.onlyoffice.com',
      );
    else if (oauth)
      problem(
        'baseUrl',
        'is empty but OAuth is on',
        'set DOCSPACE_BASE_URL to the portal whose users sign in',
      );
    else if (overHttp)
      problem(
        'baseUrl',
        `is empty, so every tool call over ${c.transport} would fail: the server has no DocSpace portal to call`,
        'set DOCSPACE_BASE_URL (or --base-url) to your portal, e.g. https://portal.onlyoffice.com',
      );
  }
  if (c.oauthClientSecret && !c.oauthClientId) {
    problem(
      'oauthClientSecret',
      'is set without DOCSPACE_OAUTH_CLIENT_ID',
      'set DOCSPACE_OAUTH_CLIENT_ID to the DocSpace OAuth app id',
    );
  }
  if (oauth && credentials.length > 0) {
    const oauthNames = (['oauthBaseUrl', 'oauthClientId'] as const)
      .filter((key) => c[key] !== '')
      .map(nameOf);
    issues.push({
      name: listNames([...oauthNames, ...credentialNames]),
      problem:
        'are set together: OAuth sign-in and a shared DocSpace credential; every unsigned request would act as that account',
      fix: `use either OAuth (unset ${listNames(credentialNames)}) or the shared credential (unset ${listNames(oauthNames)})`,
    });
  }

  if (!overHttp && !credential) {
    issues.push({
      name: 'DOCSPACE_API_KEY',
      problem: 'no DocSpace credential is set, so no tool can call DocSpace',
      fix: 'set DOCSPACE_BASE_URL and one of DOCSPACE_API_KEY, DOCSPACE_AUTH_TOKEN or DOCSPACE_USERNAME + DOCSPACE_PASSWORD',
    });
  } else if (overHttp && !credential && !oauth && !requestAuthorizationHeader) {
    issues.push({
      name: 'DOCSPACE_OAUTH_BASE_URL',
      problem:
        'no way to authenticate requests is left (no credential, no OAuth, DocSpace credentials from clients off)',
      fix: 'set DOCSPACE_OAUTH_BASE_URL for sign-in, a shared DOCSPACE_API_KEY, or DOCSPACE_REQUEST_AUTHORIZATION_HEADER=yes',
    });
  }

  let publicBaseUrl = c.serverBaseUrl;
  if (!publicBaseUrl) {
    const wildcard = c.host === '0.0.0.0' || c.host === '::' || c.host === '';
    if (oauth && wildcard) {
      problem(
        'serverBaseUrl',
        `is empty and DOCSPACE_HOST=${c.host} names no public address`,
        'set DOCSPACE_SERVER_BASE_URL to the URL clients use, e.g. https://mcp.example.com',
      );
    }
    const host = wildcard
      ? '127.0.0.1'
      : c.host.includes(':') && !c.host.startsWith('[')
        ? `[${c.host}]`
        : c.host;
    publicBaseUrl = `http://${host}:${c.port}/`;
  }
  if (c.serverBaseUrl) {
    const hostname = new URL(c.serverBaseUrl).hostname.toLowerCase();
    if (c.allowedHostnames.length > 0 && !c.allowedHostnames.includes(hostname))
      c.allowedHostnames.push(hostname);
  }

  if (c.store === 'redis' && !c.redisUrl)
    problem(
      'redisUrl',
      'is empty but DOCSPACE_STORE=redis',
      'set DOCSPACE_REDIS_URL, e.g. redis://127.0.0.1:6379/0',
    );
  if (c.redisUrl && !/^rediss?:\/\//.test(c.redisUrl))
    problem(
      'redisUrl',
      'does not start with redis:// or rediss://',
      'write it as redis://[user:password@]host:port[/db]',
    );

  let secretValue = c.secret;
  if (c.secret && c.secretFile)
    problem('secretFile', 'is set together with DOCSPACE_SECRET', 'keep only one of them');
  else if (c.secretFile) {
    try {
      secretValue = readFileSync(c.secretFile, 'utf8').trim();
    } catch (err) {
      problem(
        'secretFile',
        `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
        'point it at a readable file holding the key',
      );
    }
  }
  if (secretValue && secretValue.length < MIN_SECRET_LENGTH) {
    problem(
      c.secretFile ? 'secretFile' : 'secret',
      `is ${secretValue.length} characters long, too short to seal tokens`,
      `use ${MIN_SECRET_LENGTH} or more random characters, e.g. \`openssl rand -base64 48\``,
    );
  }
  let secretEphemeral = false;
  if (oauth && !secretValue) {
    if (c.store === 'redis') {
      problem(
        'secret',
        'is empty but several instances (DOCSPACE_STORE=redis) must share one sealing key',
        `set DOCSPACE_SECRET (or DOCSPACE_SECRET_FILE) to ${MIN_SECRET_LENGTH}+ random characters, e.g. the output of \`openssl rand -base64 32\``,
      );
    } else if (!input.allowEphemeralSecret && !input.demo) {
      problem(
        'secret',
        'is empty but OAuth is on: without a fixed key every restart signs everyone out',
        'make one with `openssl rand -base64 32` and set it as DOCSPACE_SECRET (or put it in a file named by DOCSPACE_SECRET_FILE)',
      );
    } else {
      secretValue = (input.randomSecret ?? defaultRandomSecret)();
      secretEphemeral = true;
      warnings.push('DOCSPACE_SECRET is not set: issued tokens stop working when the server restarts');
    }
  }

  if (overHttp && c.maxBodyInFlight < c.maxBodySize)
    problem(
      'maxBodyInFlight',
      `is smaller than DOCSPACE_MAX_BODY_SIZE (${c.maxBodySize} bytes), so the largest requests could never be read`,
      'raise DOCSPACE_MAX_BODY_IN_FLIGHT or lower DOCSPACE_MAX_BODY_SIZE',
    );
  // base64 (4/3) plus room for the JSON-RPC envelope around the file.
  const uploadBody = Math.ceil((MAX_UPLOAD_BYTES * 4) / 3) + 1024 * 1024;
  if (overHttp && c.maxBodySize < uploadBody) {
    warnings.push(
      `DOCSPACE_MAX_BODY_SIZE is ${c.maxBodySize} bytes: uploads larger than about ${Math.floor(((c.maxBodySize - 1024 * 1024) * 3) / 4 / 1024 / 1024)} MB will be refused with 413`,
    );
  }

  let selection: ToolSelection | undefined;
  try {
    selection = resolveSelection(c);
  } catch (err) {
    if (!(err instanceof SelectionError)) throw err;
    issues.push({
      name: 'DOCSPACE_TOOLSETS / DOCSPACE_ENABLED_TOOLS / DOCSPACE_DISABLED_TOOLS',
      problem: `is invalid: ${err.message.replace(/\.$/, '')}`,
      fix: 'name only known toolsets and tools, and leave at least one tool on',
    });
  }

  if (issues.length > 0 || !selection) throw new ConfigError(issues);
  const rateLimits = rateLimitsOf(c);
  return {
    ...c,
    requestAuthorizationHeader,
    selection,
    credential,
    oauth,
    publicBaseUrl,
    secretValue,
    secretEphemeral,
    demo: input.demo === true,
    streamable,
    sse,
    warnings,
    oauthConfig: oauth
      ? {
          docspaceBaseUrl: c.baseUrl,
          docspaceOAuthBaseUrl: c.oauthBaseUrl || undefined,
          clientId: c.oauthClientId || undefined,
          clientSecret: c.oauthClientSecret || undefined,
          secret: secretValue,
          previousSecrets: c.previousSecrets,
          accessTokenTtlMs: c.oauthAuthTokenTtl,
          refreshTokenTtlMs: c.oauthRefreshTokenTtl,
          refreshGraceMs: c.oauthRefreshTokenGrace,
          echoScope: c.oauthEchoScope,
          cimd: { enabled: c.oauthCimd, trustedDomains: c.oauthCimdTrustedDomains },
        }
      : undefined,
    rateLimits: rateLimits.byRoute,
    rateLimitsByPath: rateLimits.byPath,
  };
}

/** `A`, `A and B`, `A, B and C`. */
function listNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function defaultRandomSecret(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(48))).toString('base64url');
}
