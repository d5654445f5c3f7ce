import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** URL-safe random string with `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

export function hmac(key: string | Uint8Array, value: string): string {
  return createHmac('sha256', key).update(value).digest('base64url');
}

/** Compares two strings without leaking where they differ (lengths are hashed first). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

/** RFC 7636 S256: BASE64URL(SHA256(verifier)). */
export function pkceChallenge(verifier: string): string {
  return sha256(verifier);
}

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const CHALLENGE = /^[A-Za-z0-9\-_]{43}$/;

export function isValidVerifier(verifier: string): boolean {
  return VERIFIER.test(verifier);
}

export function isValidChallenge(challenge: string): boolean {
  return CHALLENGE.test(challenge);
}

/** True when `verifier` is well-formed and hashes to `challenge`. */
export function verifyPkce(verifier: string | undefined, challenge: string): boolean {
  if (!verifier || !isValidVerifier(verifier)) return false;
  return safeEqual(pkceChallenge(verifier), challenge);
}

/** A fresh PKCE pair for our own leg to DocSpace. */
export function createPkcePair(): { verifier: string; challenge: string } {
  const verifier = randomToken(48);
  return { verifier, challenge: pkceChallenge(verifier) };
}

/** Short human-quotable id shown on error pages and written to the matching log line. */
export function referenceId(): string {
  return randomBytes(6).toString('hex');
}
