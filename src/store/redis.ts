import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { assertTtl, StoreUnavailableError } from './errors.js';
import type { LogLimits, Store } from './store.js';

export interface RedisStoreOptions {
  /** `redis://[user:pass@]host:port[/db]` or `rediss://…` for TLS. */
  url: string;
  /** Prepended to every key so several deployments can share one Redis. Default `docspace-mcp:`. */
  keyPrefix?: string;
  /** Bound on establishing a connection, and on how long a call waits for one. Default 2000. */
  connectTimeoutMs?: number;
  /** Bound on one command once sent (a hung or paused Redis). Default 1000. */
  commandTimeoutMs?: number;
}

export const DEFAULT_KEY_PREFIX = 'docspace-mcp:';

interface Script {
  lua: string;
  sha: string;
}

function script(lua: string): Script {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

// Lua rather than GETDEL (Redis >= 6.2) so older managed Redis versions work too.
const TAKE = script(`local v = redis.call('GET', KEYS[1])
if v then redis.call('DEL', KEYS[1]) end
return v`);

const COMPARE_AND_SET = script(`if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`);

const DELETE_IF_EQUALS = script(`if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`);

// The expiry is set on the first hit only, so the window runs from that hit; a counter left
// without one (should never happen) gets one rather than living forever.
const INCREMENT = script(`local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`);

// A log is a sorted set scored by time: adding, trimming by age and by length, and the expiry
// happen in one step, each O(log n).
const APPEND_LOG = script(`redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3])
local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[4])
if excess > 0 then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, excess - 1) end
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[5]) then redis.call('PEXPIRE', KEYS[1], ARGV[5]) end
return 1`);

const READ_LOG = script(`redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
local total = redis.call('ZCARD', KEYS[1])
local entries = redis.call('ZREVRANGEBYSCORE', KEYS[1], '+inf', ARGV[1], 'LIMIT', ARGV[2], ARGV[3])
return {total, entries}`);

function assertLimits(limits: LogLimits): void {
  assertTtl(limits.maxAgeSeconds, 'maxAgeSeconds');
  if (!Number.isInteger(limits.maxLength) || limits.maxLength < 1) {
    throw new RangeError('maxLength must be a positive integer');
  }
}

function toMs(seconds: number): number {
  return Math.max(1, Math.ceil(seconds * 1000));
}

/** A short reason for logs: never a key, a value, a URL or a password. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/ECONNREFUSED/.test(message)) return 'connection refused';
  if (/ETIMEDOUT|connect timeout/i.test(message)) return 'connection timed out';
  if (/Command timed out/.test(message)) return 'command timed out';
  if (/enableOfflineQueue|Connection is closed|MaxRetriesPerRequest/.test(message)) return 'connection lost';
  return message.split('\n')[0]?.slice(0, 160) ?? 'unknown error';
}

function unavailable(reason: string): StoreUnavailableError {
  return new StoreUnavailableError(`The store (Redis) is unavailable: ${reason}.`);
}

/**
 * The store for more than one instance. Calls never queue while Redis is away: they fail
 * with `StoreUnavailableError` as soon as a reconnect attempt is refused (or after
 * `connectTimeoutMs` when Redis does not answer at all), and the client keeps reconnecting
 * in the background (backoff capped at 1 s), so the store works again without a restart.
 * Commands that were in flight when the connection dropped fail rather than being replayed:
 * replaying a take or an increment could apply it twice.
 *
 * @example
 * const store = createRedisStore({ url: 'rediss://:secret@redis.internal:6380/0' });
 */
export function createRedisStore(opts: RedisStoreOptions): Store {
  const prefix = opts.keyPrefix ?? DEFAULT_KEY_PREFIX;
  const connectTimeoutMs = opts.connectTimeoutMs ?? 2000;
  const client = new Redis(opts.url, {
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    connectTimeout: connectTimeoutMs,
    commandTimeout: opts.commandTimeoutMs ?? 1000,
    retryStrategy: (attempt: number) => Math.min(100 * attempt, 1000),
  });

  let closed = false;
  // Set from the last connection error until the next 'ready': calls fail at once meanwhile.
  let downReason: string | undefined;
  const waiters = new Set<{ resolve: () => void; reject: (e: Error) => void }>();

  function settleWaiters(error?: Error): void {
    for (const waiter of waiters) {
      if (error) waiter.reject(error);
      else waiter.resolve();
    }
    waiters.clear();
  }

  client.on('ready', () => {
    downReason = undefined;
    settleWaiters();
  });
  // Without a listener ioredis prints every failed reconnect; the state is reported through
  // the errors callers get and through ping().
  client.on('error', (error: unknown) => {
    downReason = reasonOf(error);
    settleWaiters(unavailable(downReason));
  });

  function whenReady(): Promise<void> {
    if (closed) return Promise.reject(new StoreUnavailableError('The store (Redis) is closed.'));
    if (client.status === 'ready') return Promise.resolve();
    if (downReason !== undefined) return Promise.reject(unavailable(downReason));
    // Still connecting, or the connection just dropped: wait a bounded time for it.
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(unavailable('no connection'));
      }, connectTimeoutMs);
      waiters.add(waiter);
    });
  }

  async function run<T>(command: () => Promise<T>): Promise<T> {
    await whenReady();
    try {
      return await command();
    } catch (error) {
      throw unavailable(reasonOf(error));
    }
  }

  async function evalScript(s: Script, key: string, args: (string | number)[]): Promise<unknown> {
    try {
      return await client.evalsha(s.sha, 1, key, ...args);
    } catch (error) {
      // A fresh or flushed Redis does not know the script yet.
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) {
        return client.eval(s.lua, 1, key, ...args);
      }
      throw error;
    }
  }

  return {
    async get(key) {
      const value = await run(() => client.get(prefix + key));
      return value ?? undefined;
    },

    async set(key, value, ttlSeconds) {
      assertTtl(ttlSeconds, 'ttlSeconds');
      await run(() => client.set(prefix + key, value, 'PX', toMs(ttlSeconds)));
    },

    async setIfAbsent(key, value, ttlSeconds) {
      assertTtl(ttlSeconds, 'ttlSeconds');
      const reply = await run(() => client.set(prefix + key, value, 'PX', toMs(ttlSeconds), 'NX'));
      return reply === 'OK';
    },

    async take(key) {
      const value = await run(() => evalScript(TAKE, prefix + key, []));
      return typeof value === 'string' ? value : undefined;
    },

    async delete(key) {
      await run(() => client.del(prefix + key));
    },

    async compareAndSet(key, expected, value, ttlSeconds) {
      assertTtl(ttlSeconds, 'ttlSeconds');
      const reply = await run(() =>
        evalScript(COMPARE_AND_SET, prefix + key, [expected, value, toMs(ttlSeconds)]),
      );
      return reply === 1;
    },

    async deleteIfEquals(key, expected) {
      const reply = await run(() => evalScript(DELETE_IF_EQUALS, prefix + key, [expected]));
      return reply === 1;
    },

    async increment(key, windowSeconds) {
      assertTtl(windowSeconds, 'windowSeconds');
      const reply = await run(() => evalScript(INCREMENT, prefix + key, [toMs(windowSeconds)]));
      const [count, ttlMs] = reply as [number, number];
      return { count, resetSeconds: Math.max(1, Math.ceil(ttlMs / 1000)) };
    },

    async appendLog(key, entry, at, limits) {
      assertLimits(limits);
      const maxAgeMs = toMs(limits.maxAgeSeconds);
      // The log expires `maxAgeSeconds` after its newest entry (`at` may lie a little in the past).
      const ttlMs = Math.max(1, at + maxAgeMs - Date.now());
      await run(() =>
        evalScript(APPEND_LOG, prefix + key, [at, entry, at - maxAgeMs, limits.maxLength, ttlMs]),
      );
    },

    async readLog(key, window) {
      const reply = await run(() =>
        evalScript(READ_LOG, prefix + key, [
          Math.floor(window.since),
          Math.max(0, window.offset),
          Math.max(0, window.count),
        ]),
      );
      const [total, entries] = reply as [number, string[]];
      return { entries, total };
    },

    async ping() {
      try {
        return (await run(() => client.ping())) === 'PONG';
      } catch {
        return false;
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      settleWaiters(new StoreUnavailableError('The store (Redis) is closed.'));
      if (client.status === 'ready') {
        // QUIT lets Redis finish what it was sent; a hung Redis gets cut off instead.
        const quit = client.quit().catch(() => undefined);
        const cutoff = new Promise((resolve) => setTimeout(resolve, 500).unref());
        await Promise.race([quit, cutoff]);
      }
      client.disconnect();
    },
  };
}
