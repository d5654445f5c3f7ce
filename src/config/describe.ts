import type { Config } from './load.js';
import { type RawConfig, SETTINGS, type Setting, type SettingKey } from './settings.js';

const REDACTED = '***';

/** A Redis URL without its password. */
function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = REDACTED;
    return url.href;
  } catch {
    return REDACTED;
  }
}

/** Which ways of authenticating MCP requests are on. */
export function authModes(c: Config): string[] {
  const modes: string[] = [];
  if (c.oauth) modes.push('oauth');
  // Clients that sign in with a metadata document need this server to reach their host; say so
  // at start, since the first person to find out would otherwise wait behind a stuck sign-in.
  if (c.oauth && c.oauthClientId && c.oauthCimd)
    modes.push(
      'oauth client metadata documents (fetched over outbound https; DOCSPACE_OAUTH_CIMD=false turns them off)',
    );
  if (c.credential) modes.push(`shared ${c.credential.kind}`);
  if (c.streamable || c.sse) {
    if (c.requestAuthorizationHeader) {
      modes.push('bearer api key/token');
      if (c.requestHeaderPrefix) modes.push(`${c.requestHeaderPrefix}* headers`);
    }
  }
  return modes;
}

/**
 * The one startup log line's fields: transport, URL, auth modes, tool selection and every
 * setting that differs from its default, with secrets replaced by `***`.
 */
export function describeConfig(c: Config, publicBaseUrl = c.publicBaseUrl): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(SETTINGS) as [SettingKey, Setting][]) {
    const value = c[key as keyof RawConfig];
    const fallback = s.schema.safeParse(undefined);
    if (fallback.success && JSON.stringify(fallback.data) === JSON.stringify(value)) continue;
    // A default that depends on other settings (undefined here): `auth` says what it became.
    if (fallback.success && fallback.data === undefined) continue;
    if (value === '' || value === undefined) continue;
    changed[s.env] = s.secret ? (key === 'redisUrl' ? redactUrl(String(value)) : REDACTED) : value;
  }
  const overHttp = c.streamable || c.sse;
  return {
    transport: c.transport,
    url: overHttp ? new URL(c.streamable ? 'mcp' : 'sse', publicBaseUrl).href : undefined,
    docspace: c.baseUrl || undefined,
    auth: authModes(c),
    tools: {
      toolsets: c.toolsets,
      enabled: c.enabledTools,
      disabled: c.disabledTools,
      dynamic: c.dynamic,
      readOnly: c.readOnly,
    },
    store: c.store,
    settings: changed,
  };
}
