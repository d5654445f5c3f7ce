import { randomBytes } from 'node:crypto';
import type { Store } from './store.js';

/** Gives a lock back; a lock that already expired and was taken by someone else is left alone. */
export type Release = () => Promise<void>;

/**
 * Takes the lock `key` for at most `ttlSeconds` unless someone holds it: one holder across every
 * instance sharing the store. The value is a random token, so releasing deletes only our own
 * lock, never one another holder took after ours expired. Waiting is the caller's business
 * (poll, then re-read whatever the holder was producing).
 *
 * @example
 * const release = await tryLock(store, 'oauth:docspace-grant-lock:…', 30);
 * if (release) try { … } finally { await release(); }
 */
export async function tryLock(store: Store, key: string, ttlSeconds: number): Promise<Release | undefined> {
  const token = randomBytes(16).toString('base64url');
  if (!(await store.setIfAbsent(key, token, ttlSeconds))) return undefined;
  return async () => {
    await store.deleteIfEquals(key, token);
  };
}
