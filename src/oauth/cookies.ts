import type { Context } from 'hono';
import { generateCookie, generateSignedCookie, getCookie, getSignedCookie } from 'hono/cookie';
import type { Facade } from './context.js';
import { hmac } from './crypto.js';

/**
 * Our cookies, through `hono/cookie`: `HttpOnly`, `SameSite=Lax`, `Path=/`; over https named
 * `__Host-…` and `Secure`, on http://localhost plain names (browsers refuse `Secure` there;
 * docs/security.md). Signed ones are HMACs under a key derived from `DOCSPACE_SECRET`, checked
 * under the previous secrets too (rotation).
 */

const prefix = (f: Facade) => (f.settings.secureCookies ? 'host' : undefined);
const options = (f: Facade, maxAge: number) =>
  ({
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: f.settings.secureCookies,
    prefix: prefix(f),
    maxAge,
  }) as const;

/** The signing keys: the current secret's first, then the previous ones'. */
const keys = new WeakMap<Facade, string[]>();
function signingKeys(f: Facade): string[] {
  let k = keys.get(f);
  if (!k) {
    k = [f.macKey, ...f.previousMacKeys].map((key) => hmac(key, 'signed cookie'));
    keys.set(f, k);
  }
  return k;
}

/** A `Set-Cookie` value; `maxAge` 0 deletes the cookie. */
export function cookieHeader(f: Facade, name: string, value: string, maxAge: number): string {
  return generateCookie(name, value, options(f, maxAge));
}

export function readCookie(f: Facade, c: Context, name: string): string | undefined {
  return getCookie(c, name, prefix(f));
}

export function signedCookieHeader(f: Facade, name: string, value: string, maxAge: number): Promise<string> {
  return generateSignedCookie(name, value, signingKeys(f)[0] as string, options(f, maxAge));
}

/** The value of a signed cookie, and whether a previous secret signed it (sign it again). */
export async function readSignedCookie(
  f: Facade,
  c: Context,
  name: string,
): Promise<{ value: string; stale: boolean } | undefined> {
  const all = signingKeys(f);
  for (let i = 0; i < all.length; i++) {
    const value = await getSignedCookie(c, all[i] as string, name, prefix(f));
    if (value === undefined) return undefined;
    if (value !== false) return { value, stale: i > 0 };
  }
  return undefined;
}
