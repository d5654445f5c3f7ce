import { hkdfSync } from 'node:crypto';
// jose's subpaths: its root module loads all 46 of its files (≈15 ms of cold start).
import { decodeProtectedHeader } from 'jose/decode/protected_header';
import { compactDecrypt } from 'jose/jwe/compact/decrypt';
import { CompactEncrypt } from 'jose/jwe/compact/encrypt';
// Not from settings.ts: that module brings zod, ≈ 100 ms of import, into the auth path.
import { MIN_SECRET_LENGTH } from '../config/secret.js';
import { sha256 } from './crypto.js';

/**
 * Authenticated encryption (JWE compact, `dir` + `A256GCM`) under keys derived from the server
 * secret. Each purpose (access tokens, stored DocSpace tokens, …) derives its own key, so a value
 * sealed for one purpose never opens as another. Every key carries a `kid`; values sealed under a
 * previous secret still open while that secret is listed as previous (rotation).
 */
export interface Sealer {
  seal(payload: unknown): Promise<string>;
  /** The payload, or undefined when the value is not ours, tampered with or sealed by an unknown key. */
  open<T>(sealed: string): Promise<T | undefined>;
  /** True when the string has the shape and a `kid` of a value this sealer could open. */
  recognises(value: string): boolean;
  /** True when the value was sealed under the current secret (not one being rotated out). */
  isCurrent(sealed: string): boolean;
  /** The key a value names in its header (current or previous secret), for jose's `jwtDecrypt`; throws when unknown. */
  keyFor(header: { kid?: unknown }): Uint8Array;
}

/** The JWE options every sealed value is opened with. */
export const SEALED_ALGORITHMS = {
  keyManagementAlgorithms: ['dir'],
  contentEncryptionAlgorithms: ['A256GCM'],
};

/**
 * The protected header of a JWE compact serialisation (five parts, a JSON header), else undefined:
 * how sealed values — ours, or forgeries of them — are told from other strings.
 */
function jweHeader(value: string): Record<string, unknown> | undefined {
  if (value.split('.').length !== 5) return undefined;
  try {
    return decodeProtectedHeader(value);
  } catch {
    return undefined;
  }
}

/** A JWE with an `alg`: a sealed value of ours (or a forgery), never to be passed on as someone else's credential. */
export function isSealedShape(value: string): boolean {
  const header = jweHeader(value);
  return header !== undefined && 'alg' in header;
}

interface Key {
  kid: string;
  bytes: Uint8Array;
}

function deriveKey(secret: string, purpose: string): Key {
  const bytes = new Uint8Array(hkdfSync('sha256', secret, 'docspace-mcp', `seal:${purpose}`, 32));
  const kid = `${purpose}.${sha256(Buffer.from(bytes).toString('base64')).slice(0, 10)}`;
  return { kid, bytes };
}

export function createSealer(
  purpose: string,
  secret: string,
  previousSecrets: readonly string[] = [],
): Sealer {
  if (secret.length < MIN_SECRET_LENGTH)
    throw new Error(`the sealing secret must have at least ${MIN_SECRET_LENGTH} characters`);
  const current = deriveKey(secret, purpose);
  const keys = new Map<string, Key>([[current.kid, current]]);
  for (const old of previousSecrets) {
    const key = deriveKey(old, purpose);
    if (!keys.has(key.kid)) keys.set(key.kid, key);
  }
  const kidOf = (value: string): string | undefined => {
    const header = jweHeader(value);
    return header?.alg === 'dir' && typeof header.kid === 'string' ? header.kid : undefined;
  };
  return {
    async seal(payload) {
      const plaintext = new TextEncoder().encode(JSON.stringify(payload));
      return new CompactEncrypt(plaintext)
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: current.kid })
        .encrypt(current.bytes);
    },
    async open<T>(sealed: string) {
      const kid = kidOf(sealed);
      const key = kid ? keys.get(kid) : undefined;
      if (!key) return undefined;
      try {
        const { plaintext } = await compactDecrypt(sealed, key.bytes, SEALED_ALGORITHMS);
        return JSON.parse(new TextDecoder().decode(plaintext)) as T;
      } catch {
        return undefined;
      }
    },
    recognises(value) {
      const kid = kidOf(value);
      return kid?.startsWith(`${purpose}.`) === true;
    },
    isCurrent(sealed) {
      return kidOf(sealed) === current.kid;
    },
    keyFor(header) {
      const key = typeof header.kid === 'string' ? keys.get(header.kid) : undefined;
      if (!key) throw new Error('sealed under an unknown key');
      return key.bytes;
    },
  };
}
