import { assertTtl, StoreUnavailableError } from './errors.js';
import { ExpiryHeap } from './expiry-heap.js';
import type { Store } from './store.js';

export interface MemoryStoreOptions {
  /** Upper bound on live keys; past it the soonest-expiring key is evicted. Default 100,000. */
  maxEntries?: number;
  /** Milliseconds since the epoch; tests pass a fake one. */
  clock?: () => number;
  /** How often expired keys are swept when nobody reads them. Default 30 s. */
  sweepIntervalMs?: number;
}

/** The embedded store, plus two gauges for metrics and tests. */
export interface MemoryStore extends Store {
  /** Keys currently held (expired ones not yet swept included). */
  readonly size: number;
  /** Live keys dropped because the store was full. */
  readonly evictions: number;
}

interface Entry {
  value: string;
  expiresAt: number;
  /** Identifies this write in the expiry heap; a rewrite gets a new one. */
  seq: number;
}

export const DEFAULT_MAX_ENTRIES = 100_000;

/**
 * The single-process store. Everything is lost when the process exits (see docs/storage.md).
 *
 * Eviction takes the key closest to expiry rather than the least recently used: a flood of
 * short-lived keys (rate-limit counters, pending authorizations from a bot) then pushes out
 * its own kind first, and long-lived security state such as revocations and refresh families
 * survives as long as possible.
 *
 * @example
 * const store = createMemoryStore({ maxEntries: 50_000 });
 * await store.set('code:abc', sealed, 60);
 * const once = await store.take('code:abc'); // a second take returns undefined
 */
export function createMemoryStore(opts: MemoryStoreOptions = {}): MemoryStore {
  const maxEntries = opts.maxEntries ?? DEFAULT_MAX_ENTRIES;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError('maxEntries must be a positive integer');
  }
  const clock = opts.clock ?? Date.now;
  const entries = new Map<string, Entry>();
  const heap = new ExpiryHeap();
  let seq = 0;
  let evictions = 0;
  let closed = false;

  const sweeper = setInterval(() => purgeExpired(clock()), opts.sweepIntervalMs ?? 30_000);
  // The sweep must never keep a process (or a test run) alive on its own.
  sweeper.unref();

  function ensureOpen(): void {
    if (closed) throw new StoreUnavailableError('The memory store is closed.');
  }

  function live(key: string, now: number): Entry | undefined {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  function isCurrent(key: string, nodeSeq: number): boolean {
    return entries.get(key)?.seq === nodeSeq;
  }

  function purgeExpired(now: number): void {
    for (let top = heap.peek(); top !== undefined && top.expiresAt <= now; top = heap.peek()) {
      heap.pop();
      if (isCurrent(top.key, top.seq)) entries.delete(top.key);
    }
  }

  function makeRoom(now: number): void {
    purgeExpired(now);
    while (entries.size >= maxEntries) {
      const node = heap.pop();
      if (node === undefined) return;
      if (isCurrent(node.key, node.seq)) {
        entries.delete(node.key);
        evictions++;
      }
    }
  }

  function write(key: string, value: string, ttlSeconds: number, now: number): void {
    if (!entries.has(key) && entries.size >= maxEntries) makeRoom(now);
    const entry: Entry = { value, expiresAt: now + ttlSeconds * 1000, seq: ++seq };
    entries.set(key, entry);
    heap.push({ key, expiresAt: entry.expiresAt, seq: entry.seq });
    // Rewrites leave stale heap nodes behind; rebuild before they outweigh the live ones.
    if (heap.size > 2 * entries.size + 1024) {
      heap.rebuild([...entries].map(([k, e]) => ({ key: k, expiresAt: e.expiresAt, seq: e.seq })));
    }
  }

  return {
    get size() {
      return entries.size;
    },
    get evictions() {
      return evictions;
    },

    async get(key) {
      ensureOpen();
      return live(key, clock())?.value;
    },

    async set(key, value, ttlSeconds) {
      ensureOpen();
      assertTtl(ttlSeconds, 'ttlSeconds');
      write(key, value, ttlSeconds, clock());
    },

    async setIfAbsent(key, value, ttlSeconds) {
      ensureOpen();
      assertTtl(ttlSeconds, 'ttlSeconds');
      const now = clock();
      if (live(key, now) !== undefined) return false;
      write(key, value, ttlSeconds, now);
      return true;
    },

    async take(key) {
      ensureOpen();
      const entry = live(key, clock());
      if (entry === undefined) return undefined;
      entries.delete(key);
      return entry.value;
    },

    async delete(key) {
      ensureOpen();
      entries.delete(key);
    },

    async compareAndSet(key, expected, value, ttlSeconds) {
      ensureOpen();
      assertTtl(ttlSeconds, 'ttlSeconds');
      const now = clock();
      if (live(key, now)?.value !== expected) return false;
      write(key, value, ttlSeconds, now);
      return true;
    },

    async deleteIfEquals(key, expected) {
      ensureOpen();
      if (live(key, clock())?.value !== expected) return false;
      entries.delete(key);
      return true;
    },

    async increment(key, windowSeconds) {
      ensureOpen();
      assertTtl(windowSeconds, 'windowSeconds');
      const now = clock();
      const entry = live(key, now);
      let count: number;
      let expiresAt: number;
      if (entry === undefined) {
        count = 1;
        write(key, '1', windowSeconds, now);
        expiresAt = now + windowSeconds * 1000;
      } else {
        count = Number.parseInt(entry.value, 10) + 1;
        if (!Number.isSafeInteger(count)) throw new TypeError('increment on a key that holds no counter');
        // Same seq and expiry: the window keeps running from its first hit.
        entry.value = String(count);
        expiresAt = entry.expiresAt;
      }
      return { count, resetSeconds: Math.max(1, Math.ceil((expiresAt - now) / 1000)) };
    },

    async ping() {
      return !closed;
    },

    async close() {
      closed = true;
      clearInterval(sweeper);
      entries.clear();
      heap.clear();
    },
  };
}
