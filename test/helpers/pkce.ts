import { createHash, randomBytes } from 'node:crypto';

/** A PKCE verifier and its S256 challenge, as a client makes them. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** `<url>/oauth/authorize?…` with the given parameters (undefined ones left out). */
export function authorizeUrl(url: string, params: Record<string, string | undefined>): string {
  const u = new URL(`${url}/oauth/authorize`);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  return u.toString();
}
