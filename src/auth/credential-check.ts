import { createHmac, randomBytes } from 'node:crypto';
import type { Credential } from '../docspace/credential.js';

/**
 * Whether DocSpace accepts a credential a client brought (an API key, a token, a raw
 * `Authorization` value), asked once with `people/@self` and remembered briefly. A key DocSpace
 * refuses is then refused at our edge with 401, where clients expect it, instead of a healthy
 * connection whose every call fails later.
 */
export type Verdict = 'valid' | 'refused' | 'unknown';

export interface CredentialCheckOptions {
  /** The portal, e.g. `https://portal.example.com/`. */
  baseUrl: string;
  fetch: typeof fetch;
  /** How long an accepted credential is not asked again. */
  validMs?: number;
  /** How long a refused one is not asked again (short: a key may be created a moment later). */
  refusedMs?: number;
  timeoutMs?: number;
  now?: () => number;
}

const MAX_ENTRIES = 1000;

/** The `Authorization` value DocSpace takes for a credential, where one request can tell. */
function headerOf(c: Credential): string | undefined {
  switch (c.kind) {
    case 'apiKey':
      return `Bearer ${c.apiKey}`;
    case 'personalToken':
      return c.token;
    case 'authorization':
      return c.value;
    default:
      // OAuth tokens are ours to check; user + password sign in and say so themselves.
      return undefined;
  }
}

export function createCredentialCheck(opts: CredentialCheckOptions): (c: Credential) => Promise<Verdict> {
  const validMs = opts.validMs ?? 60_000;
  const refusedMs = opts.refusedMs ?? 10_000;
  const now = opts.now ?? Date.now;
  const url = new URL(
    'api/2.0/people/@self?fields=id',
    opts.baseUrl.endsWith('/') ? opts.baseUrl : `${opts.baseUrl}/`,
  );
  // Keys of the cache are MACs under a per-process key: it never holds a credential in clear.
  const macKey = randomBytes(32);
  const seen = new Map<string, { verdict: Verdict; until: number }>();
  const asking = new Map<string, Promise<Verdict>>();

  async function ask(header: string): Promise<Verdict> {
    try {
      const res = await opts.fetch(url, {
        headers: { authorization: header, accept: 'application/json' },
        signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
      });
      await res.body?.cancel();
      if (res.ok) return 'valid';
      // people/@self is not [AllowAnonymous]: a credential DocSpace does not accept gets 401.
      return res.status === 401 ? 'refused' : 'unknown';
    } catch {
      return 'unknown'; // DocSpace away: the tool calls will say so themselves
    }
  }

  return async (credential) => {
    const header = headerOf(credential);
    if (!header) return 'unknown';
    const key = createHmac('sha256', macKey).update(header).digest('base64url');
    const hit = seen.get(key);
    if (hit && hit.until > now()) return hit.verdict;
    let pending = asking.get(key);
    if (!pending) {
      pending = ask(header).then((verdict) => {
        asking.delete(key);
        if (verdict !== 'unknown') {
          seen.delete(key);
          if (seen.size >= MAX_ENTRIES) seen.delete(seen.keys().next().value as string);
          seen.set(key, { verdict, until: now() + (verdict === 'valid' ? validMs : refusedMs) });
        }
        return verdict;
      });
      asking.set(key, pending);
    }
    return pending;
  };
}
