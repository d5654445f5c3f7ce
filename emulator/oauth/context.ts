// What every OAuth route handler shares.
import type { Context } from 'hono';
import type { OAuthApp, OAuthDirectory, OAuthUser } from './directory.js';
import type { OAuthState } from './state.js';
import type { TokenSigner } from './tokens.js';

export interface OAuthContext {
  directory: OAuthDirectory;
  state: OAuthState;
  signer: TokenSigner;
  now: () => number;
  tenantId: number;
  /** How long an access token issued now lives (DocSpace: 60 minutes; shortened by a fault). */
  accessLifetimeMs(): number;
  /** Successful token requests by grant type. */
  issued: Record<string, number>;
  /** Portal origin without a trailing slash: the tokens' `aud`. */
  portalUrl(): string;
  /** `iss` of every token: the portal origin + "/oauth2". */
  issuer(): string;
}

export const SESSION_COOKIE = 'x-signature';

type HeaderGetter = (name: string) => string | undefined;

export function readCookie(c: Context | HeaderGetter, name: string): string | undefined {
  const header = typeof c === 'function' ? c('cookie') : c.req.header('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * The signed-in user: the OAuth server's own session (`x-signature` cookie or header, as DocSpace's
 * UI sends it) or, when the portal offers it, a portal login (`asc_auth_key` cookie).
 */
export function sessionUser(ctx: OAuthContext, c: Context | Request): OAuthUser | undefined {
  const header: HeaderGetter =
    c instanceof Request ? (n) => c.headers.get(n) ?? undefined : (n) => c.req.header(n);
  const signature = header('x-signature') ?? readCookie(header, SESSION_COOKIE);
  if (signature) {
    const session = ctx.state.sessions.get(signature);
    if (session && session.expiresAt > ctx.now()) {
      const user = ctx.directory.userById(session.userId);
      if (user) return user;
    }
  }
  const portalToken = readCookie(header, 'asc_auth_key');
  return portalToken ? ctx.directory.userByToken?.(portalToken) : undefined;
}

/** Apps that may take part in a flow: registered and enabled. */
export function activeClient(ctx: OAuthContext, clientId: string | undefined): OAuthApp | undefined {
  const app = clientId ? ctx.directory.oauthApp(clientId) : undefined;
  return app?.enabled ? app : undefined;
}
