import { createMemoryStore } from './memory.js';
import { createRedisStore } from './redis.js';
import type { Store } from './store.js';

export { isStoreUnavailable, StoreUnavailableError } from './errors.js';
export { createMemoryStore, type MemoryStore, type MemoryStoreOptions } from './memory.js';
export { createRedisStore, DEFAULT_KEY_PREFIX, type RedisStoreOptions } from './redis.js';
export type { Store } from './store.js';

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

/** Builds the configured backend; the Redis client starts connecting at once, in the background. */
export function createStore(config: StoreConfig): Store {
  if (config.kind === 'memory') return createMemoryStore({ maxEntries: config.maxEntries });
  if (config.kind === 'redis') {
    if (!config.redisUrl) {
      throw new TypeError('The redis store needs a URL: set DOCSPACE_REDIS_URL (redis://… or rediss://…).');
    }
    return createRedisStore({ url: config.redisUrl, keyPrefix: config.keyPrefix });
  }
  throw new TypeError(`Unknown store kind "${String(config.kind)}": use memory or redis.`);
}
