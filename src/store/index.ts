import { createMemoryStore } from './memory.js';
import type { RedisStoreOptions } from './redis.js';
import type { Store } from './store.js';

export { isStoreUnavailable, StoreUnavailableError } from './errors.js';
export { createMemoryStore, type MemoryStore, type MemoryStoreOptions } from './memory.js';
// Types only: the Redis module (and ioredis, 40–140 ms to load) is imported when a redis store is made.
export type { RedisStoreOptions } from './redis.js';
export type { LogLimits, LogWindow, Store } from './store.js';
export { tryLock, type Release } from './lock.js';

export interface StoreConfig {
  /** `DOCSPACE_STORE`: `memory` (one instance, the default) or `redis` (several). */
  kind: 'memory' | 'redis';
  /** `DOCSPACE_REDIS_URL`; required for `redis`. TLS and credentials go in the URL. */
  redisUrl?: string;
  /** Prefix for every Redis key (several deployments sharing one Redis). */
  keyPrefix?: string;
  /** Bound on the memory store's keys. */
  maxEntries?: number;
}

/**
 * A Redis store whose module loads in the background: every call waits for it (a few ms,
 * once), so a server on the memory store never loads ioredis.
 */
function deferredRedisStore(opts: RedisStoreOptions): Store {
  const loading = import('./redis.js').then((m) => m.createRedisStore(opts));
  // A failed load surfaces on the first call; this keeps it from being an unhandled rejection meanwhile.
  loading.catch(() => undefined);
  return {
    get: (key) => loading.then((s) => s.get(key)),
    set: (key, value, ttl) => loading.then((s) => s.set(key, value, ttl)),
    setIfAbsent: (key, value, ttl) => loading.then((s) => s.setIfAbsent(key, value, ttl)),
    take: (key) => loading.then((s) => s.take(key)),
    delete: (key) => loading.then((s) => s.delete(key)),
    compareAndSet: (key, expected, value, ttl) =>
      loading.then((s) => s.compareAndSet(key, expected, value, ttl)),
    deleteIfEquals: (key, expected) => loading.then((s) => s.deleteIfEquals(key, expected)),
    increment: (key, windowSeconds) => loading.then((s) => s.increment(key, windowSeconds)),
    appendLog: (key, entry, at, limits) => loading.then((s) => s.appendLog(key, entry, at, limits)),
    readLog: (key, window) => loading.then((s) => s.readLog(key, window)),
    ping: () => loading.then((s) => s.ping()).catch(() => false),
    close: () => loading.then((s) => s.close()).catch(() => undefined),
  };
}

/** Builds the configured backend; the Redis client starts connecting at once, in the background. */
export function createStore(config: StoreConfig): Store {
  if (config.kind === 'memory') return createMemoryStore({ maxEntries: config.maxEntries });
  if (config.kind === 'redis') {
    if (!config.redisUrl) {
      throw new TypeError('The redis store needs a URL: set DOCSPACE_REDIS_URL (redis://… or rediss://…).');
    }
    return deferredRedisStore({ url: config.redisUrl, keyPrefix: config.keyPrefix });
  }
  throw new TypeError(`Unknown store kind "${String(config.kind)}": use memory or redis.`);
}
