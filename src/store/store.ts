/**
 * The one storage contract of the server: small, atomic, TTL-bound. `memory` is the embedded
 * default, `redis` serves several instances. Keys are plain strings; each backend adds its own
 * prefix. Values are strings (callers serialise); a value holding a DocSpace token is sealed by
 * the caller before it gets here.
 */
export interface Store {
  /** The value, or undefined when absent or expired. */
  get(key: string): Promise<string | undefined>;
  /** Stores a value that expires after `ttlSeconds` (> 0). */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Stores only when the key is absent; true when stored. */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  /** Reads and deletes in one atomic step: single-use codes and states. */
  take(key: string): Promise<string | undefined>;
  delete(key: string): Promise<void>;
  /**
   * Replaces the value only when it still equals `expected`; true when replaced. Refresh
   * rotation uses it so two racing refreshes cannot both rotate one token.
   */
  compareAndSet(key: string, expected: string, value: string, ttlSeconds: number): Promise<boolean>;
  /**
   * Deletes the key only while it still holds `expected`; true when deleted. Releases a lock
   * taken with `setIfAbsent` without deleting a lock someone else took after ours expired
   * (see `tryLock`), and removes a record only if nobody changed it meanwhile.
   */
  deleteIfEquals(key: string, expected: string): Promise<boolean>;
  /**
   * Adds 1 to a counter that starts at 0 and expires `windowSeconds` after its first hit;
   * returns the new count and the seconds until the window resets (rate limits).
   */
  increment(key: string, windowSeconds: number): Promise<{ count: number; resetSeconds: number }>;
  /** True when the backend answers (readiness). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
