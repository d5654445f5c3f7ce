import { assertTtl, StoreUnavailableError } from './errors.js';
import { ExpiryHeap } from './expiry-heap.js';
import type { LogLimits, Store } from './store.js';

export interface MemoryStoreOptions {
  /**
   * Upper bound on live keys of one kind (see `kindOf`); past it the soonest-expiring key of
   * that kind is evicted. Default 100,000. Logs (`appendLog`) have their own bound of as many
   * entries across all logs: past it the log that expires soonest (the least recently
   * written) is dropped whole.
   */
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

/**
 * One log of `appendLog`: entries oldest first from `head` on. Dropping the oldest moves `head`
 * (no shifting of the array on every call); the array is compacted once half of it is dead.
 */
interface Log {
  items: { at: number; value: string }[];
  head: number;
  expiresAt: number;
  seq: number;
}

interface Entry {
  value: string;
  expiresAt: number;
  /** Identifies this write in the expiry heap; a rewrite gets a new one. */
  seq: number;
  kind: Kind;
}

/** The keys of one family: their count and their expiry heap. */
interface Kind {
  size: number;
  heap: ExpiryHeap;
}

/**
 * A key's family: its first two `:`-separated parts when it has three or more
 * (`oauth:grant:<id>` → `oauth:grant`, `ratelimit:mcp:<IPv6>` → `ratelimit:mcp`), else its first
 * part. The families are fixed by the code (docs/storage.md), so their number is small.
 */
export function kindOf(key: string): string {
  const first = key.indexOf(':');
  if (first < 0) return '';
  const second = key.indexOf(':', first + 1);
  return second < 0 ? key.slice(0, first) : key.slice(0, second);
}

export const DEFAULT_MAX_ENTRIES = 100_000;

function assertLimits(limits: LogLimits): void {
  assertTtl(limits.maxAgeSeconds, 'maxAgeSeconds');
  if (!Number.isInteger(limits.maxLength) || limits.maxLength < 1) {
    throw new RangeError('maxLength must be a positive integer');
  }
}

/**
 * The single-process store. Everything is lost when the process exits (see docs/storage.md).
 *
 * Each kind of key (`kindOf`: registrations, grants, codes, rate-limit counters…) has its own
 * bound, so a flood of one kind — registrations from a bot — can only push out its own kind,
 * never grants or refresh families. Within a kind, eviction takes the key closest to expiry
 * rather than the least recently used (unused registrations live shorter than used ones, so
 * they go first).
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
  const kinds = new Map<string, Kind>();
  const logs = new Map<string, Log>();
  const logHeap = new ExpiryHeap();
  let logItems = 0;
  let seq = 0;
  let evictions = 0;
  let closed = false;

  const sweeper = setInterval(() => purgeExpired(clock()), opts.sweepIntervalMs ?? 30_000);
  // The sweep must never keep a process (or a test run) alive on its own.
  sweeper.unref();

  function ensureOpen(): void {
    if (closed) throw new StoreUnavailableError('The memory store is closed.');
  }

  function kindFor(key: string): Kind {
    const name = kindOf(key);
    let kind = kinds.get(name);
    if (!kind) {
      kind = { size: 0, heap: new ExpiryHeap() };
      kinds.set(name, kind);
    }
    return kind;
  }

  function remove(key: string): void {
    const entry = entries.get(key);
    if (entry === undefined) return;
    entries.delete(key);
    entry.kind.size--;
  }

  function live(key: string, now: number): Entry | undefined {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      remove(key);
      return undefined;
    }
    return entry;
  }

  function isCurrent(key: string, nodeSeq: number): boolean {
    return entries.get(key)?.seq === nodeSeq;
  }

  function purgeKind(kind: Kind, now: number): void {
    const { heap } = kind;
    for (let top = heap.peek(); top !== undefined && top.expiresAt <= now; top = heap.peek()) {
      heap.pop();
      if (isCurrent(top.key, top.seq)) remove(top.key);
    }
  }

  function purgeExpired(now: number): void {
    for (const kind of kinds.values()) purgeKind(kind, now);
    purgeLogs(now);
  }

  function dropLog(key: string): void {
    const log = logs.get(key);
    if (log === undefined) return;
    logs.delete(key);
    logItems -= log.items.length - log.head;
  }

  function liveLog(key: string, now: number): Log | undefined {
    const log = logs.get(key);
    if (log === undefined) return undefined;
    if (log.expiresAt <= now) {
      dropLog(key);
      return undefined;
    }
    return log;
  }

  function purgeLogs(now: number): void {
    for (let top = logHeap.peek(); top !== undefined && top.expiresAt <= now; top = logHeap.peek()) {
      logHeap.pop();
      if (logs.get(top.key)?.seq === top.seq) dropLog(top.key);
    }
  }

  /** Drops entries older than `cutoff` (ms) from the front of a log. */
  function trimOlder(log: Log, cutoff: number): void {
    let head = log.head;
    while (head < log.items.length && (log.items[head] as { at: number }).at < cutoff) head++;
    dropOldest(log, head - log.head);
  }

  function dropOldest(log: Log, count: number): void {
    if (count <= 0) return;
    log.head += count;
    logItems -= count;
    if (log.head > 64 && log.head * 2 > log.items.length) {
      log.items = log.items.slice(log.head);
      log.head = 0;
    }
  }

  /** Keeps all logs together within `maxEntries` entries, dropping whole logs that expire first. */
  function boundLogs(keep: string, now: number): void {
    purgeLogs(now);
    while (logItems > maxEntries) {
      const node = logHeap.pop();
      if (node === undefined) break;
      if (node.key === keep || logs.get(node.key)?.seq !== node.seq) continue;
      dropLog(node.key);
      evictions++;
    }
    const own = logs.get(keep);
    if (own && logItems > maxEntries) {
      dropOldest(own, Math.min(own.items.length - own.head, logItems - maxEntries));
      logHeap.push({ key: keep, expiresAt: own.expiresAt, seq: own.seq });
    }
    if (logHeap.size > 2 * logs.size + 1024) {
      logHeap.rebuild([...logs].map(([key, l]) => ({ key, expiresAt: l.expiresAt, seq: l.seq })));
    }
  }

  function makeRoom(kind: Kind, now: number): void {
    purgeKind(kind, now);
    while (kind.size >= maxEntries) {
      const node = kind.heap.pop();
      if (node === undefined) return;
      if (isCurrent(node.key, node.seq)) {
        remove(node.key);
        evictions++;
      }
    }
  }

  function write(key: string, value: string, ttlSeconds: number, now: number): void {
    const existing = entries.get(key);
    const kind = existing?.kind ?? kindFor(key);
    if (!existing && kind.size >= maxEntries) makeRoom(kind, now);
    const entry: Entry = { value, expiresAt: now + ttlSeconds * 1000, seq: ++seq, kind };
    entries.set(key, entry);
    if (!existing) kind.size++;
    kind.heap.push({ key, expiresAt: entry.expiresAt, seq: entry.seq });
    // Rewrites leave stale heap nodes behind; rebuild before they outweigh the live ones.
    if (kind.heap.size > 2 * kind.size + 1024) {
      const nodes: { key: string; expiresAt: number; seq: number }[] = [];
      for (const [k, e] of entries)
        if (e.kind === kind) nodes.push({ key: k, expiresAt: e.expiresAt, seq: e.seq });
      kind.heap.rebuild(nodes);
    }
  }

  return {
    get size() {
      return entries.size + logs.size;
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
      remove(key);
      return entry.value;
    },

    async delete(key) {
      ensureOpen();
      remove(key);
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

    async appendLog(key, entry, at, limits) {
      ensureOpen();
      assertLimits(limits);
      const now = clock();
      let log = liveLog(key, now);
      if (log === undefined) {
        log = { items: [], head: 0, expiresAt: 0, seq: 0 };
        logs.set(key, log);
      }
      // Mostly appended in time order; an entry from a slower call finds its place.
      let place = log.items.length;
      while (place > log.head && (log.items[place - 1] as { at: number }).at > at) place--;
      if (place === log.items.length) log.items.push({ at, value: entry });
      else log.items.splice(place, 0, { at, value: entry });
      logItems++;
      trimOlder(log, at - limits.maxAgeSeconds * 1000);
      dropOldest(log, log.items.length - log.head - limits.maxLength);
      const expiresAt = Math.max(log.expiresAt, at + limits.maxAgeSeconds * 1000);
      if (expiresAt !== log.expiresAt) {
        log.expiresAt = expiresAt;
        log.seq = ++seq;
        logHeap.push({ key, expiresAt, seq: log.seq });
      }
      if (log.items.length === log.head) dropLog(key);
      boundLogs(key, now);
    },

    async readLog(key, window) {
      ensureOpen();
      const log = liveLog(key, clock());
      if (log === undefined) return { entries: [], total: 0 };
      trimOlder(log, window.since);
      const total = log.items.length - log.head;
      const end = Math.max(log.head, log.items.length - window.offset);
      const start = Math.max(log.head, end - window.count);
      const entries = log.items
        .slice(start, end)
        .map((i) => i.value)
        .reverse();
      return { entries, total };
    },

    async ping() {
      return !closed;
    },

    async close() {
      closed = true;
      clearInterval(sweeper);
      entries.clear();
      kinds.clear();
      logs.clear();
      logHeap.clear();
      logItems = 0;
    },
  };
}
