import { decodeJwt } from 'jose/jwt/decode';
import { OAuthError } from './errors.js';
import type { OAuthSettings } from './settings.js';

/**
 * Our client of DocSpace's OAuth server (`<oauth base>/oauth2/*`). We send no `scope` (DocSpace
 * then grants every scope of its app; MCP clients' scopes mean nothing to it), our own PKCE pair
 * and our callback URL. Failures become OAuth errors a client understands: DocSpace refusing →
 * `invalid_grant` (or `invalid_client` for a wrong app secret), DocSpace unreachable →
 * `temporarily_unavailable`. DocSpace's answers are never logged: they carry tokens.
 */
export interface UpstreamApp {
  clientId: string;
  clientSecret?: string;
}

export interface UpstreamTokens {
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms. */
  expiresAt: number;
  /** Epoch ms, when we received it (renewals start a quarter of its life before expiry). */
  issuedAt?: number;
}

export interface Upstream {
  authorizeUrl(app: UpstreamApp, state: string, codeChallenge: string): string;
  exchangeCode(app: UpstreamApp, code: string, codeVerifier: string): Promise<UpstreamTokens>;
  refresh(app: UpstreamApp, refreshToken: string): Promise<UpstreamTokens>;
  revoke(app: UpstreamApp, token: string, hint: 'access_token' | 'refresh_token'): Promise<void>;
  /** The DocSpace user id behind an access token (its `sub`, else `people/@self`). */
  userId(accessToken: string): Promise<string>;
  /**
   * Whether the person is the portal's owner or one of its DocSpace admins (`people/@self`:
   * `isOwner`, `isAdmin`; DocSpace reports the owner with `isAdmin: false`). False when
   * DocSpace does not say.
   */
  isPortalAdmin(accessToken: string): Promise<boolean>;
  /** A person's display name and e-mail (`people/{id}`), for the admins' view; undefined when not found. */
  person(accessToken: string, userId: string): Promise<{ name?: string; email?: string } | undefined>;
}

/**
 * DocSpace accepts an OAuth access token only at the address named in its `aud`, the portal's
 * own, comparing it with the address each API request comes to. When DOCSPACE_BASE_URL is
 * another name for the portal (an alias, an internal host name), every call would fail with a
 * 401 that reads like an expired sign-in; the first sign-in says so plainly instead.
 */
export function checkAudience(accessToken: string, portalUrl: string): void {
  let aud: unknown;
  try {
    aud = decodeJwt(accessToken).aud;
  } catch {
    return; // Not a JWT: nothing to compare.
  }
  const audiences = (Array.isArray(aud) ? aud : [aud]).filter((a): a is string => typeof a === 'string');
  const origin = (url: string) => {
    try {
      return new URL(url).origin;
    } catch {
      return url;
    }
  };
  const ours = origin(portalUrl);
  if (audiences.length === 0 || audiences.some((a) => origin(a) === ours)) return;
  const theirs = origin(audiences[0] as string);
  throw new OAuthError(
    'server_error',
    `DocSpace issued this sign-in for ${theirs}, but this server reaches the portal at ${ours} ` +
      `(DOCSPACE_BASE_URL). DocSpace accepts its tokens only at its own address, so every call ` +
      `would fail: the server's operator must set DOCSPACE_BASE_URL to ${theirs}.`,
  );
}

export function createUpstream(settings: OAuthSettings, fetchImpl: typeof fetch = fetch): Upstream {
  const endpoint = (name: string) => `${settings.upstreamBase}/oauth2/${name}`;

  async function post(name: string, app: UpstreamApp, fields: Record<string, string>): Promise<Response> {
    const body = new URLSearchParams({ ...fields, client_id: app.clientId });
    if (app.clientSecret) body.set('client_secret', app.clientSecret);
    try {
      return await fetchImpl(endpoint(name), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(settings.upstreamTimeoutMs),
      });
    } catch {
      throw new OAuthError('temporarily_unavailable', 'DocSpace did not answer; try again later');
    }
  }

  async function tokens(res: Response): Promise<UpstreamTokens> {
    if (res.status >= 500 || res.status === 429) {
      throw new OAuthError(
        'temporarily_unavailable',
        `DocSpace is unavailable (HTTP ${res.status}); try again later`,
      );
    }
    const json = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!res.ok || !json || typeof json.access_token !== 'string') {
      const code = typeof json?.error === 'string' ? json.error : `HTTP ${res.status}`;
      if (code === 'invalid_client')
        throw new OAuthError('invalid_client', 'DocSpace refused the app credentials');
      throw new OAuthError('invalid_grant', `DocSpace refused the grant (${code}); sign in again`);
    }
    const expiresIn = typeof json.expires_in === 'number' ? json.expires_in : Number(json.expires_in ?? 3600);
    const now = settings.now();
    return {
      accessToken: json.access_token,
      refreshToken: typeof json.refresh_token === 'string' ? json.refresh_token : undefined,
      expiresAt: now + (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600) * 1000,
      issuedAt: now,
    };
  }

  return {
    authorizeUrl(app, state, codeChallenge) {
      const url = new URL(endpoint('authorize'));
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: app.clientId,
        redirect_uri: settings.callbackUrl,
        state,
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
      }).toString();
      return url.toString();
    },
    async exchangeCode(app, code, codeVerifier) {
      const res = await post('token', app, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: settings.callbackUrl,
        code_verifier: codeVerifier,
      });
      const issued = await tokens(res);
      checkAudience(issued.accessToken, settings.portalUrl);
      return issued;
    },
    async refresh(app, refreshToken) {
      return tokens(await post('token', app, { grant_type: 'refresh_token', refresh_token: refreshToken }));
    },
    async revoke(app, token, hint) {
      const res = await post('revoke', app, { token, token_type_hint: hint });
      await res.body?.cancel();
    },
    async userId(accessToken) {
      try {
        const sub = decodeJwt(accessToken).sub;
        if (sub) return sub;
      } catch {
        // Not a JWT: ask the portal.
      }
      let res: Response;
      try {
        res = await fetchImpl(`${settings.portalUrl}/api/2.0/people/@self`, {
          headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
          signal: AbortSignal.timeout(settings.upstreamTimeoutMs),
        });
      } catch {
        throw new OAuthError('temporarily_unavailable', 'DocSpace did not answer; try again later');
      }
      const json = (await res.json().catch(() => undefined)) as { response?: { id?: string } } | undefined;
      const id = json?.response?.id;
      if (!res.ok || typeof id !== 'string')
        throw new OAuthError('invalid_grant', 'DocSpace did not accept the new token');
      return id;
    },

    async isPortalAdmin(accessToken) {
      try {
        const res = await fetchImpl(`${settings.portalUrl}/api/2.0/people/@self`, {
          headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
          signal: AbortSignal.timeout(settings.upstreamTimeoutMs),
        });
        const json = (await res.json().catch(() => undefined)) as
          { response?: { isOwner?: unknown; isAdmin?: unknown } } | undefined;
        return res.ok && (json?.response?.isOwner === true || json?.response?.isAdmin === true);
      } catch {
        return false;
      }
    },

    async person(accessToken, userId) {
      try {
        const res = await fetchImpl(`${settings.portalUrl}/api/2.0/people/${encodeURIComponent(userId)}`, {
          headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
          signal: AbortSignal.timeout(settings.upstreamTimeoutMs),
        });
        if (!res.ok) return undefined;
        const json = (await res.json().catch(() => undefined)) as
          { response?: { displayName?: unknown; email?: unknown } } | undefined;
        const { displayName, email } = json?.response ?? {};
        return {
          name: typeof displayName === 'string' ? displayName : undefined,
          email: typeof email === 'string' ? email : undefined,
        };
      } catch {
        return undefined;
      }
    },
  };
}
