/**
 * Redirect URI policy. Registration and authorization both go through `checkRedirectUri`; the
 * authorization request is then matched exactly against the registered URIs, except that a
 * loopback URI may use any port (RFC 8252 §7.3), since native clients pick a free port.
 */

export type ApplicationType = 'native' | 'web';

const DANGEROUS_SCHEMES = new Set([
  'javascript:',
  'data:',
  'file:',
  'vbscript:',
  'about:',
  'blob:',
  'filesystem:',
  'ftp:',
  'ws:',
  'wss:',
  'chrome:',
  'mailto:',
  'tel:',
  'view-source:',
]);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

export function isLoopbackUri(uri: URL): boolean {
  return uri.protocol === 'http:' && LOOPBACK_HOSTS.has(uri.hostname);
}

/** Why a redirect URI is refused, or undefined when it is acceptable for this kind of client. */
export function checkRedirectUri(
  raw: string,
  applicationType: ApplicationType = 'native',
): string | undefined {
  let uri: URL;
  try {
    uri = new URL(raw);
  } catch {
    return 'is not an absolute URI';
  }
  if (uri.hash || raw.includes('#')) return 'must not contain a fragment';
  if (uri.username || uri.password) return 'must not contain credentials';
  const scheme = uri.protocol;
  if (DANGEROUS_SCHEMES.has(scheme)) return `uses the forbidden scheme ${scheme}`;
  if (scheme === 'https:') return uri.hostname ? undefined : 'has no host';
  if (scheme === 'http:') {
    if (!isLoopbackUri(uri)) return 'uses http on a host other than loopback; use https';
    return applicationType === 'web' ? 'is a loopback URI, which web clients may not use' : undefined;
  }
  // RFC 8252 §7.1 private-use schemes (`cursor://…`, `com.example.app:/cb`) belong to native apps.
  if (applicationType === 'web') return 'uses a private scheme, which web clients may not use';
  if (!/^[a-z][a-z0-9+.-]*:$/.test(scheme)) return 'has an invalid scheme';
  return undefined;
}

/** True when the presented URI equals a registered one (loopback: any port). */
export function redirectUriMatches(registered: readonly string[], presented: string): boolean {
  if (registered.includes(presented)) return true;
  let uri: URL;
  try {
    uri = new URL(presented);
  } catch {
    return false;
  }
  if (!isLoopbackUri(uri)) return false;
  return registered.some((candidate) => {
    try {
      const reg = new URL(candidate);
      return (
        isLoopbackUri(reg) &&
        reg.hostname === uri.hostname &&
        reg.pathname === uri.pathname &&
        reg.search === uri.search
      );
    } catch {
      return false;
    }
  });
}

/** Splits a scope parameter tolerantly (clients send leading spaces, duplicates); undefined when empty. */
export function parseScope(raw: string | undefined | null): string | undefined {
  if (!raw) return undefined;
  const parts = [...new Set(raw.split(/\s+/).filter(Boolean))];
  return parts.length > 0 ? parts.join(' ') : undefined;
}

function canonical(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.hash) return undefined;
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * The resource a token will be for (RFC 8707). Absent means our MCP URL (Claude sends none); the
 * MCP URL itself, or our origin (cached from older metadata), is accepted ignoring query,
 * trailing slash and case (ChatGPT appends query parameters); anything else is undefined → invalid_target.
 */
export function resolveResource(
  raw: string | undefined | null,
  resource: string,
  issuer: string,
): string | undefined {
  if (raw === undefined || raw === null || raw === '') return resource;
  const got = canonical(raw);
  if (got === undefined) return undefined;
  return got === canonical(resource) || got === canonical(issuer) ? resource : undefined;
}
