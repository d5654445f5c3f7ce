import type { Context } from 'hono';
import { generateCookie, getCookie } from 'hono/cookie';
import type { Facade } from './context.js';
import { hmac, safeEqual } from './crypto.js';

/**
 * Our cookies, parsed and written by `hono/cookie`: `HttpOnly`, `SameSite=Lax`, `Path=/`; over
 * https named `__Host-…` and `Secure`, on http://localhost plain names (browsers refuse `Secure`
 * there; docs/security.md). Signed ones carry `value.MAC` under `DOCSPACE_SECRET`'s MAC key and
 * are checked under the previous secrets too (rotation).
 */

const prefix = (f: Facade) => (f.settings.secureCookies ? 'host' : undefined);

/** A `Set-Cookie` value; `maxAge` 0 deletes the cookie. */
export function cookieHeader(f: Facade, name: string, value: string, maxAge: number): string {
  return generateCookie(name, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: f.settings.secureCookies,
    prefix: prefix(f),
    maxAge,
  });
}

export function readCookie(f: Facade, c: Context, name: string): string | undefined {
  return getCookie(c, name, prefix(f));
}

// Signed by hand (node's HMAC), not hono's signed cookies: their WebCrypto key import per call made
// GET /oauth/authorize ×1.75 CPU in an A/B; this also keeps cookies issued before valid.
const mac = (key: string, purpose: string, value: string) => hmac(key, `${purpose}:${value}`);

/** A signed cookie; `purpose` keeps a MAC for one cookie from checking as another's. */
export function signedCookieHeader(
  f: Facade,
  name: string,
  purpose: string,
  value: string,
  maxAge: number,
): string {
  return cookieHeader(f, name, `${value}.${mac(f.macKey, purpose, value)}`, maxAge);
}

/** The value of a signed cookie, and whether a previous secret signed it (sign it again). */
export function readSignedCookie(
  f: Facade,
  c: Context,
  name: string,
  purpose: string,
): { value: string; stale: boolean } | undefined {
  const [value, tag, extra] = (readCookie(f, c, name) ?? '').split('.');
  if (!value || !tag || extra !== undefined) return undefined;
  if (safeEqual(tag, mac(f.macKey, purpose, value))) return { value, stale: false };
  if (f.previousMacKeys.some((key) => safeEqual(tag, mac(key, purpose, value))))
    return { value, stale: true };
  return undefined;
}
