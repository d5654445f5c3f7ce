import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { StoreUnavailableError } from '../../../src/store/errors.js';
import { createRedisStore } from '../../../src/store/redis.js';
import type { Store } from '../../../src/store/store.js';
import { type RedisServer, skipUnlessRedis, startRedis } from '../../helpers/redis.js';
import { registerStoreContract } from './store-contract.js';

const isUnavailable = (e: unknown) => e instanceof StoreUnavailableError && e.code === 'store_unavailable';

/** Milliseconds until `call` fails; fails the test if it succeeds instead. */
async function timeToFailure(call: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await assert.rejects(call(), isUnavailable);
  return Math.round(performance.now() - start);
}

/** Milliseconds until `call` succeeds, polling every 50 ms for at most `limitMs`. */
async function timeToRecovery(call: () => Promise<unknown>, limitMs: number): Promise<number> {
  const start = performance.now();
  for (;;) {
    try {
      await call();
      return Math.round(performance.now() - start);
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      if (performance.now() - start > limitMs) throw new Error(`still unavailable after ${limitMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

if (!skipUnlessRedis('redis store')) {
  let redis: RedisServer;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis?.stop();
  });

  registerStoreContract('redis', () =>
    createRedisStore({ url: redis.url, keyPrefix: `test:${randomUUID()}:` }),
  );

  describe('redis store: several instances on one Redis', () => {
    const opened: Store[] = [];
    const open = (keyPrefix?: string) => {
      const store = createRedisStore({ url: redis.url, keyPrefix });
      opened.push(store);
      return store;
    };
    after(async () => {
      await Promise.all(opened.map((s) => s.close()));
    });

    test('two instances with one prefix share state, and a code is redeemed on only one', async () => {
      const prefix = `shared:${randomUUID()}:`;
      const a = open(prefix);
      const b = open(prefix);
      await a.set('code:1', 'grant', 60);
      assert.equal(await b.get('code:1'), 'grant');
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).take('code:1')));
      assert.equal(results.filter((r) => r !== undefined).length, 1);
      await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).increment('rl:shared', 60)));
      assert.equal((await a.increment('rl:shared', 60)).count, 31);
    });

    test('different prefixes do not see each other, and the default prefix is docspace-mcp:', async () => {
      const key = `k-${randomUUID()}`;
      const plain = open();
      const other = open(`other:${randomUUID()}:`);
      await plain.set(key, 'v', 60);
      assert.equal(await other.get(key), undefined);
      const raw = new Redis(redis.url);
      try {
        assert.equal(await raw.get(`docspace-mcp:${key}`), 'v');
        const ttl = await raw.pttl(`docspace-mcp:${key}`);
        assert.ok(ttl > 55_000 && ttl <= 60_000, `pttl ${ttl}`);
      } finally {
        raw.disconnect();
      }
    });
  });

  describe('redis store: activity logs', () => {
    test('a log is one sorted set with a TTL of its retention after the newest entry, written by two instances', async () => {
      const prefix = `log:${randomUUID()}:`;
      const a = createRedisStore({ url: redis.url, keyPrefix: prefix });
      const b = createRedisStore({ url: redis.url, keyPrefix: prefix });
      const raw = new Redis(redis.url);
      try {
        const limits = { maxLength: 3, maxAgeSeconds: 30 * 86_400 };
        const now = Date.now();
        for (let i = 0; i < 5; i++)
          await (i % 2 ? a : b).appendLog('activity:log:u', `e${i}`, now + i, limits);
        assert.equal(await raw.type(`${prefix}activity:log:u`), 'zset');
        assert.equal(await raw.zcard(`${prefix}activity:log:u`), 3);
        const ttl = await raw.pttl(`${prefix}activity:log:u`);
        assert.ok(ttl > 30 * 86_400_000 - 60_000 && ttl <= 30 * 86_400_000 + 10, `pttl ${ttl}`);
        assert.deepEqual((await a.readLog('activity:log:u', { since: 0, offset: 0, count: 10 })).entries, [
          'e4',
          'e3',
          'e2',
        ]);
      } finally {
        raw.disconnect();
        await Promise.all([a.close(), b.close()]);
      }
    });
  });

  describe('redis store: credentials in the URL', () => {
    const password = 'p@ss:w/rd with space';
    let secured: RedisServer;
    const opened: Store[] = [];
    before(async () => {
      secured = await startRedis({ password });
    });
    after(async () => {
      await Promise.all(opened.map((s) => s.close()));
      await secured?.stop();
    });

    test('the right password connects; a wrong one fails fast without echoing it', async () => {
      const good = createRedisStore({ url: secured.url });
      opened.push(good);
      await good.set('k', 'v', 60);
      assert.equal(await good.get('k'), 'v');

      const wrong = 'not-the-password-42';
      const bad = createRedisStore({ url: `redis://:${wrong}@127.0.0.1:${secured.port}` });
      opened.push(bad);
      const start = performance.now();
      const error = await bad.get('k').then(
        () => assert.fail('a wrong password must not read'),
        (e: unknown) => e,
      );
      assert.ok(isUnavailable(error), String(error));
      assert.ok(performance.now() - start < 2000);
      assert.ok(!String((error as Error).message).includes(wrong), 'the password is not in the message');
      assert.equal(await bad.ping(), false);
    });
  });

  describe('redis store: Redis going away and coming back', { timeout: 30_000 }, () => {
    let own: RedisServer;
    const opened: Store[] = [];
    before(async () => {
      own = await startRedis();
    });
    after(async () => {
      await Promise.all(opened.map((s) => s.close()));
      await own?.stop();
    });

    test('stopped Redis → StoreUnavailableError in under 2 s; restarted → same store works again', async (t) => {
      const store = createRedisStore({ url: own.url });
      opened.push(store);
      await store.set('k', 'before', 60);

      await own.stop();
      const firstFailure = await timeToFailure(() => store.get('k'));
      const laterFailures = [
        await timeToFailure(() => store.set('k', 'v', 60)),
        await timeToFailure(() => store.take('k')),
        await timeToFailure(() => store.increment('rl', 60)),
      ];
      assert.equal(await store.ping(), false);
      t.diagnostic(
        `first failure after stop: ${firstFailure} ms; later calls: ${laterFailures.join(', ')} ms`,
      );
      assert.ok(firstFailure < 2000, `first failure took ${firstFailure} ms`);
      for (const ms of laterFailures) assert.ok(ms < 500, `a call while down took ${ms} ms`);

      await own.restart();
      const recovery = await timeToRecovery(() => store.set('k', 'after', 60), 5000);
      t.diagnostic(`recovered ${recovery} ms after redis-server answered PING again`);
      assert.equal(await store.get('k'), 'after');
      assert.equal(await store.ping(), true);
    });

    test('calls in flight when Redis stops settle with a value or StoreUnavailableError, none hang', async (t) => {
      const store = createRedisStore({ url: own.url });
      opened.push(store);
      await store.set('k', 'v', 60);
      const calls = Array.from({ length: 200 }, (_, i) =>
        store.increment(`rl:${i % 5}`, 60).then(
          () => 'ok',
          (e: unknown) => (isUnavailable(e) ? 'unavailable' : `unexpected: ${String(e)}`),
        ),
      );
      const stopping = own.stop();
      const start = performance.now();
      const outcomes = await Promise.all(calls);
      await stopping;
      assert.ok(performance.now() - start < 3000);
      const ok = outcomes.filter((o) => o === 'ok').length;
      t.diagnostic(`${ok} completed, ${outcomes.length - ok} failed as unavailable`);
      assert.deepEqual(
        [...new Set(outcomes)].filter((o) => o !== 'ok' && o !== 'unavailable'),
        [],
      );
      await own.restart();
      await timeToRecovery(() => store.get('k'), 5000);
    });

    test('a frozen Redis (SIGSTOP) fails calls after the command timeout, then recovers', async (t) => {
      const store = createRedisStore({ url: own.url, commandTimeoutMs: 300 });
      opened.push(store);
      await store.set('k', 'v', 60);
      own.pause();
      try {
        const ms = await timeToFailure(() => store.get('k'));
        t.diagnostic(`frozen Redis detected after ${ms} ms (commandTimeoutMs 300)`);
        assert.ok(ms >= 250 && ms < 1500, `took ${ms} ms`);
      } finally {
        own.resume();
      }
      const recovery = await timeToRecovery(() => store.get('k'), 5000);
      t.diagnostic(`answering again ${recovery} ms after SIGCONT`);
      assert.equal(await store.get('k'), 'v');
    });

    test('a Redis that is not there at start-up fails fast instead of queueing', async (t) => {
      const probe = await startRedis();
      const url = probe.url;
      await probe.stop();
      const store = createRedisStore({ url });
      opened.push(store);
      const ms = await timeToFailure(() => store.get('k'));
      t.diagnostic(`unreachable at start-up detected after ${ms} ms`);
      assert.ok(ms < 2000, `took ${ms} ms`);
      assert.equal(await store.ping(), false);
    });
  });
}

if (!skipUnlessRedis('redis store over TLS')) {
  describe('redis store: TLS through a rediss:// URL', () => {
    let secure: RedisServer;
    before(async () => {
      secure = await startRedis({ tls: true, password: 'tls-secret' });
    });
    after(async () => {
      await secure?.stop();
    });

    // The trust anchor must be in place when the process starts, as an operator's would be
    // (NODE_EXTRA_CA_CERTS), so the round trip runs in a child process.
    test('a rediss:// URL talks TLS and verifies the server certificate', async () => {
      const moduleUrl = new URL('../../../src/store/redis.js', import.meta.url).href;
      const script = `
        const { createRedisStore } = await import(${JSON.stringify(moduleUrl)});
        const store = createRedisStore({ url: process.env.URL });
        try {
          await store.set('k', 'over tls', 60);
          console.log(JSON.stringify({ value: await store.get('k') }));
        } catch (e) {
          console.log(JSON.stringify({ error: e.code }));
        } finally {
          await store.close();
        }`;
      const run = (extraCa: string | undefined) => {
        const env: NodeJS.ProcessEnv = { ...process.env, URL: secure.url };
        delete env.NODE_EXTRA_CA_CERTS;
        if (extraCa) env.NODE_EXTRA_CA_CERTS = extraCa;
        const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
          env,
          encoding: 'utf8',
        });
        return JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as {
          value?: string;
          error?: string;
        };
      };
      assert.deepEqual(run(secure.caFile), { value: 'over tls' });
      assert.deepEqual(run(undefined), { error: 'store_unavailable' }, 'an untrusted certificate is refused');
    });

    test('a plain redis:// URL against the TLS port is refused, not hung', async () => {
      const store = createRedisStore({ url: `redis://:tls-secret@127.0.0.1:${secure.port}` });
      try {
        assert.ok((await timeToFailure(() => store.get('k'))) < 3000);
      } finally {
        await store.close();
      }
    });
  });
}
