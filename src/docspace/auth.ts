import { createHmac, randomBytes } from 'node:crypto';
import type { Credential } from './credential.js';

/** Exchanges user name + password for a personal token (`POST /api/2.0/authentication`). */
export type PasswordExchange = (
  username: string,
  password: string,
) => Promise<{ token: string; expiresAt?: number }>;

interface CachedToken {
  token: string;
  expiresAt?: number;
}

// Tokens from password sign-ins live for the process, shared by every client made for the same
// portal + user + password (per-request clients must not sign in on every call). The key holds
// an HMAC of the password under a per-process random key, so a different password never gets
// someone's cached token and the cache never holds a value that can be checked offline.
const TOKEN_CACHE_MAX = 1000;
const tokenCache = new Map<string, CachedToken>();
const pending = new Map<string, Promise<CachedToken>>();
const cacheKeySecret = randomBytes(32);
// Renew a little before DocSpace would expire the token.
const EXPIRY_MARGIN_MS = 60_000;

function cacheKey(origin: string, username: string, password: string): string {
  const mac = createHmac('sha256', cacheKeySecret).update(password).digest('base64url');
  return `${origin}\u0000${username}\u0000${mac}`;
}

function remember(key: string, value: CachedToken): void {
  tokenCache.delete(key);
  if (tokenCache.size >= TOKEN_CACHE_MAX) {
    const oldest = tokenCache.keys().next().value;
    if (oldest !== undefined) tokenCache.delete(oldest);
  }
  tokenCache.set(key, value);
}

/** For tests: forget every cached password sign-in. */
export function clearTokenCache(): void {
  tokenCache.clear();
  pending.clear();
}

function secretTag(value: string): string {
  return createHmac('sha256', cacheKeySecret).update(value).digest('base64url');
}

/** The `sub` claim of a JWT, read without verifying it (only to group work by person). */
function jwtSubject(token: string): string | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown };
    return typeof claims.sub === 'string' && claims.sub ? claims.sub : undefined;
  } catch {
    return undefined;
  }
}

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/**
 * Turns a `Credential` into the `Authorization` value DocSpace expects (docspace-api.md §2.1):
 * API keys and OAuth tokens as `Bearer`, personal tokens raw (DocSpace's cookie handler reads a
 * raw `Authorization` value as the auth token), Basic for user + password on every request.
 */
export class Authenticator {
  private readonly key?: string;

  constructor(
    private readonly credential: Credential,
    origin: string,
    private readonly exchange: PasswordExchange,
    private readonly now: () => number,
  ) {
    if (credential.kind === 'password') {
      this.key = cacheKey(origin, credential.username, credential.password);
    }
  }

  get kind(): Credential['kind'] {
    return this.credential.kind;
  }

  /**
   * Who DocSpace sees behind the credential, as a key for work it allows one person at a time:
   * the user of an OAuth token (its `sub`), the user name of a password or Basic sign-in, else the
   * credential itself. Secrets appear only as an HMAC under a per-process key.
   */
  get personKey(): string {
    const c = this.credential;
    switch (c.kind) {
      case 'oauth':
        return `user:${jwtSubject(c.accessToken) ?? secretTag(c.accessToken)}`;
      case 'password':
      case 'basic':
        return `name:${c.username.trim().toLowerCase()}`;
      case 'apiKey':
        return `key:${secretTag(c.apiKey)}`;
      case 'personalToken':
        return `token:${secretTag(c.token)}`;
      case 'authorization':
        return `header:${secretTag(c.value)}`;
    }
  }

  async header(): Promise<string> {
    const c = this.credential;
    switch (c.kind) {
      case 'apiKey':
        return `Bearer ${c.apiKey}`;
      case 'personalToken':
        return c.token;
      case 'oauth':
        return `Bearer ${this.oauthToken ?? c.accessToken}`;
      case 'basic':
        return basic(c.username, c.password);
      case 'authorization':
        return c.value;
      case 'password':
        return (await this.passwordToken(c.username, c.password)).token;
    }
  }

  /** The OAuth token in use once a renewal elsewhere replaced the one the request came with. */
  private oauthToken?: string;

  /**
   * After DocSpace refused `used`: is there another credential to try? A password sign-in is
   * dropped so the next `header()` signs in again; an OAuth token is looked up in the person's
   * grant, which another request may have renewed meanwhile. The others are what they are.
   */
  async renew(used: string): Promise<boolean> {
    const c = this.credential;
    if (c.kind === 'password') {
      const cached = this.key ? tokenCache.get(this.key) : undefined;
      if (cached && cached.token === used && this.key) tokenCache.delete(this.key);
      return true;
    }
    if (c.kind === 'oauth' && c.current) {
      const refused = used.replace(/^Bearer /, '');
      const fresh = await c.current(refused).catch(() => undefined);
      if (!fresh || fresh === refused) return false;
      this.oauthToken = fresh;
      return true;
    }
    return false;
  }

  private async passwordToken(username: string, password: string): Promise<CachedToken> {
    const key = this.key as string;
    const cached = tokenCache.get(key);
    if (cached && (cached.expiresAt === undefined || cached.expiresAt - EXPIRY_MARGIN_MS > this.now())) {
      return cached;
    }
    // Concurrent requests share one sign-in; it runs under the transport's own timeout rather
    // than any one caller's signal, so one caller giving up does not fail the others.
    let inflight = pending.get(key);
    if (!inflight) {
      inflight = this.exchange(username, password).then(
        (t) => {
          pending.delete(key);
          remember(key, t);
          return t;
        },
        (e: unknown) => {
          pending.delete(key);
          throw e;
        },
      );
      pending.set(key, inflight);
    }
    return inflight;
  }
}
