// A subpath, as in seal.ts: jose's root module loads all of its files.
import { jwtDecrypt } from 'jose/jwt/decrypt';
import { randomToken } from './crypto.js';
import { createSealer, SEALED_ALGORITHMS, type Sealer } from './seal.js';

/**
 * Our access token: a JWE (dir + A256GCM) only this server can open. It names the user, the
 * client, the connection (grant), the person's DocSpace grant and the audience. It carries no
 * DocSpace token: DocSpace keeps one per person and app and replaces it on every sign-in, so a
 * request reads the current one from the person's DocSpace grant in the store (one read, which
 * is also the revocation check). The client sees an opaque string.
 */
export interface AccessTokenClaims {
  iss: string;
  aud: string;
  /** DocSpace user id. */
  sub: string;
  /** Our client id. */
  cid: string;
  /** Grant (connection, refresh family) id: revocation is checked against it. */
  gid: string;
  /** Store key of the person's DocSpace grant (`docspace-grants.ts`). */
  dsg: string;
  jti: string;
  /** Seconds since the epoch. */
  iat: number;
  exp: number;
  scope?: string;
}

export const ACCESS_TOKEN_PURPOSE = 'at';

export function createAccessTokenSealer(secret: string, previousSecrets?: readonly string[]): Sealer {
  return createSealer(ACCESS_TOKEN_PURPOSE, secret, previousSecrets);
}

export async function mintAccessToken(
  sealer: Sealer,
  fields: Omit<AccessTokenClaims, 'jti' | 'iat'>,
  nowMs: number,
): Promise<string> {
  const claims: AccessTokenClaims = { ...fields, jti: randomToken(12), iat: Math.floor(nowMs / 1000) };
  return sealer.seal(claims);
}

export type AccessTokenCheck =
  { ok: true; claims: AccessTokenClaims } | { ok: false; reason: 'malformed' | 'expired' | 'audience' };

/** Opens and checks a token's integrity, expiry and audience (not revocation: that needs the store). */
export async function checkAccessToken(
  sealer: Sealer,
  token: string,
  audience: string,
  nowMs: number,
): Promise<AccessTokenCheck> {
  let claims: AccessTokenClaims;
  try {
    ({ payload: claims } = await jwtDecrypt<AccessTokenClaims>(token, (header) => sealer.keyFor(header), {
      ...SEALED_ALGORITHMS,
      audience,
      currentDate: new Date(nowMs),
      requiredClaims: ['exp'],
    }));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_JWT_EXPIRED') return { ok: false, reason: 'expired' };
    if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && (error as { claim?: unknown }).claim === 'aud')
      return { ok: false, reason: 'audience' };
    return { ok: false, reason: 'malformed' };
  }
  if (typeof claims.dsg !== 'string' || typeof claims.gid !== 'string')
    return { ok: false, reason: 'malformed' };
  return { ok: true, claims };
}
