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
  /**
   * Adds `entry` to the time-ordered log at `key` (a per-person activity log), `at` being its
   * time in milliseconds since the epoch. In the same atomic step it drops the log's entries
   * older than `maxAgeSeconds` before `at`, keeps only the newest `maxLength`, and makes the
   * whole log expire `maxAgeSeconds` after `at`. Entries must be unique within a log (callers
   * put an id in them). One round trip; O(log n) on Redis.
   */
  appendLog(key: string, entry: string, at: number, limits: LogLimits): Promise<void>;
  /**
   * Reads the log at `key`: its entries no older than `since` (ms), newest first, skipping
   * `offset` and returning at most `count`; `total` counts all of them. Entries older than
   * `since` are deleted on the way (retention holds even for a log nobody writes to).
   */
  readLog(key: string, window: LogWindow): Promise<{ entries: string[]; total: number }>;
  /** True when the backend answers (readiness). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface LogLimits {
  /** Entries kept: the oldest go first (> 0). */
  maxLength: number;
  /** How long an entry is kept, in seconds (> 0); also the log's own expiry after its newest entry. */
  maxAgeSeconds: number;
}

export interface LogWindow {
  /** Milliseconds since the epoch: older entries are neither returned nor kept. */
  since: number;
  offset: number;
  count: number;
}
