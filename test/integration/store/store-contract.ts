/**
 * The one behavioural suite every Store backend must pass (memory.test.ts, redis.test.ts).
 * Each test gets a fresh, isolated store from the factory; the factory is called inside the
 * tests, so it may read state set up in a `before()` hook (the Redis URL).
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { StoreUnavailableError } from '../../../src/store/errors.js';
import { tryLock } from '../../../src/store/lock.js';
import type { Store } from '../../../src/store/store.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function registerStoreContract(backend: string, create: () => Store | Promise<Store>): void {
  describe(`${backend} store: shared contract`, () => {
    const opened: Store[] = [];
    async function fresh(): Promise<Store> {
      const store = await create();
      opened.push(store);
      return store;
    }
    after(async () => {
      await Promise.all(opened.map((s) => s.close()));
    });

    test('a stored value reads back until it is overwritten or deleted', async () => {
      const store = await fresh();
      assert.equal(await store.get('reg:missing'), undefined);
      await store.set('reg:a', 'one', 60);
      assert.equal(await store.get('reg:a'), 'one');
      await store.set('reg:a', 'two', 60);
      assert.equal(await store.get('reg:a'), 'two');
      await store.delete('reg:a');
      assert.equal(await store.get('reg:a'), undefined);
      await store.delete('reg:never-there');
    });

    test('keys and values round-trip byte for byte (colons, unicode, a 4 KB sealed token)', async () => {
      const store = await fresh();
      const key = 'family:user@example.com:клиент:🔑';
      const value = `${'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.'.repeat(100)}ü\n"'`;
      await store.set(key, value, 60);
      assert.equal(await store.get(key), value);
      assert.equal(await store.take(key), value);
    });

    test('a value is gone once its TTL has passed', async () => {
      const store = await fresh();
      await store.set('code:short', 'v', 0.3);
      await store.set('code:long', 'v', 60);
      assert.equal(await store.get('code:short'), 'v');
      await sleep(700);
      assert.equal(await store.get('code:short'), undefined);
      assert.equal(await store.take('code:short'), undefined);
      assert.equal(await store.get('code:long'), 'v');
    });

    test('setIfAbsent stores only the first value, and again after expiry', async () => {
      const store = await fresh();
      assert.equal(await store.setIfAbsent('jti:1', 'first', 0.3), true);
      assert.equal(await store.setIfAbsent('jti:1', 'second', 60), false);
      assert.equal(await store.get('jti:1'), 'first');
      await sleep(700);
      assert.equal(await store.setIfAbsent('jti:1', 'third', 60), true);
      assert.equal(await store.get('jti:1'), 'third');
    });

    test('of many concurrent setIfAbsent calls exactly one wins', async () => {
      const store = await fresh();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => store.setIfAbsent('state:race', `v${i}`, 60)),
      );
      const winners = results.flatMap((won, i) => (won ? [i] : []));
      assert.equal(winners.length, 1);
      assert.equal(await store.get('state:race'), `v${winners[0]}`);
    });

    test('take returns a value once, then nothing', async () => {
      const store = await fresh();
      await store.set('code:x', 'grant', 60);
      assert.equal(await store.take('code:x'), 'grant');
      assert.equal(await store.take('code:x'), undefined);
      assert.equal(await store.get('code:x'), undefined);
      assert.equal(await store.take('code:never'), undefined);
    });

    test('of 100 concurrent takes of one code only one gets it', async () => {
      const store = await fresh();
      await store.set('code:race', 'grant', 60);
      const results = await Promise.all(Array.from({ length: 100 }, () => store.take('code:race')));
      assert.deepEqual(
        results.filter((r) => r !== undefined),
        ['grant'],
      );
    });

    test('compareAndSet replaces only the expected value', async () => {
      const store = await fresh();
      assert.equal(await store.compareAndSet('family:f', 'r1', 'r2', 60), false, 'absent key');
      assert.equal(await store.get('family:f'), undefined, 'absent key stays absent');
      await store.set('family:f', 'r1', 60);
      assert.equal(await store.compareAndSet('family:f', 'r0', 'r2', 60), false, 'stale expectation');
      assert.equal(await store.get('family:f'), 'r1');
      assert.equal(await store.compareAndSet('family:f', 'r1', 'r2', 60), true);
      assert.equal(await store.get('family:f'), 'r2');
      assert.equal(await store.compareAndSet('family:f', 'r1', 'r3', 60), false, 'replayed rotation');
      assert.equal(await store.get('family:f'), 'r2');
    });

    test('deleteIfEquals deletes only the expected value', async () => {
      const store = await fresh();
      assert.equal(await store.deleteIfEquals('grant:g', 'v1'), false, 'absent key');
      await store.set('grant:g', 'v1', 60);
      assert.equal(await store.deleteIfEquals('grant:g', 'v0'), false, 'changed meanwhile');
      assert.equal(await store.get('grant:g'), 'v1');
      assert.equal(await store.deleteIfEquals('grant:g', 'v1'), true);
      assert.equal(await store.get('grant:g'), undefined);
    });

    test('tryLock: one holder at a time; a release never frees a lock someone else took after expiry', async () => {
      const store = await fresh();
      const first = await tryLock(store, 'lock:l', 0.2);
      assert.ok(first, 'a free lock is taken');
      assert.equal(await tryLock(store, 'lock:l', 60), undefined, 'a held lock is refused');
      await sleep(350);
      const second = await tryLock(store, 'lock:l', 60);
      assert.ok(second, 'an expired lock can be taken');
      await first();
      assert.equal(
        await tryLock(store, 'lock:l', 60),
        undefined,
        "the late release left the new holder's lock",
      );
      await second();
      const third = await tryLock(store, 'lock:l', 60);
      assert.ok(third, 'released');
      await third();
    });

    test('compareAndSet applies its new TTL', async () => {
      const store = await fresh();
      await store.set('family:ttl', 'r1', 60);
      assert.equal(await store.compareAndSet('family:ttl', 'r1', 'r2', 0.3), true);
      await sleep(700);
      assert.equal(await store.get('family:ttl'), undefined);
    });

    test('of 50 racing refresh rotations exactly one succeeds and its value is kept', async () => {
      const store = await fresh();
      await store.set('family:race', 'gen-0', 60);
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => store.compareAndSet('family:race', 'gen-0', `gen-1-${i}`, 60)),
      );
      const winners = results.flatMap((won, i) => (won ? [i] : []));
      assert.equal(winners.length, 1);
      assert.equal(await store.get('family:race'), `gen-1-${winners[0]}`);
    });

    test('increment counts hits in a window that runs from the first hit', async () => {
      const store = await fresh();
      assert.deepEqual(await store.increment('rl:ip', 60), { count: 1, resetSeconds: 60 });
      const second = await store.increment('rl:ip', 60);
      assert.equal(second.count, 2);
      assert.ok(
        second.resetSeconds >= 59 && second.resetSeconds <= 60,
        `resetSeconds ${second.resetSeconds}`,
      );
      assert.equal(await store.get('rl:ip'), '2');
      assert.equal((await store.increment('rl:other', 60)).count, 1, 'counters are per key');
    });

    test('a counter starts again at 1 after its window', async () => {
      const store = await fresh();
      await store.increment('rl:short', 0.3);
      assert.equal((await store.increment('rl:short', 0.3)).count, 2);
      await sleep(700);
      assert.equal((await store.increment('rl:short', 0.3)).count, 1);
    });

    test('200 concurrent increments are all counted, each with its own number', async () => {
      const store = await fresh();
      const results = await Promise.all(Array.from({ length: 200 }, () => store.increment('rl:burst', 60)));
      const counts = results.map((r) => r.count).sort((a, b) => a - b);
      assert.deepEqual(
        counts,
        Array.from({ length: 200 }, (_, i) => i + 1),
      );
      assert.equal(await store.get('rl:burst'), '200');
    });

    test('a zero or negative TTL is refused as a caller bug', async () => {
      const store = await fresh();
      await assert.rejects(store.set('k', 'v', 0), RangeError);
      await assert.rejects(store.setIfAbsent('k', 'v', -1), RangeError);
      await assert.rejects(store.compareAndSet('k', 'a', 'b', Number.NaN), RangeError);
      await assert.rejects(store.increment('k', 0), RangeError);
      assert.equal(await store.get('k'), undefined);
    });

    const DAY = 86_400;

    test('a log reads back newest first, in pages, with its total', async () => {
      const store = await fresh();
      const now = Date.now();
      for (let i = 1; i <= 5; i++) {
        await store.appendLog('activity:log:u1', `e${i}`, now - (5 - i) * 1000, {
          maxLength: 100,
          maxAgeSeconds: DAY,
        });
      }
      const since = now - DAY * 1000;
      assert.deepEqual(await store.readLog('activity:log:u1', { since, offset: 0, count: 2 }), {
        entries: ['e5', 'e4'],
        total: 5,
      });
      assert.deepEqual(await store.readLog('activity:log:u1', { since, offset: 4, count: 2 }), {
        entries: ['e1'],
        total: 5,
      });
      assert.deepEqual(await store.readLog('activity:log:other', { since, offset: 0, count: 10 }), {
        entries: [],
        total: 0,
      });
    });

    test('a log keeps only its newest maxLength entries', async () => {
      const store = await fresh();
      const now = Date.now();
      for (let i = 1; i <= 8; i++) {
        await store.appendLog('activity:log:cap', `e${i}`, now + i, { maxLength: 3, maxAgeSeconds: DAY });
      }
      const read = await store.readLog('activity:log:cap', { since: 0, offset: 0, count: 10 });
      assert.deepEqual(read, { entries: ['e8', 'e7', 'e6'], total: 3 });
    });

    test('a log entry older than maxAge is dropped when the log is written or read', async () => {
      const store = await fresh();
      const now = Date.now();
      const limits = { maxLength: 100, maxAgeSeconds: 60 };
      await store.appendLog('activity:log:age', 'ancient', now - 120_000, limits);
      await store.appendLog('activity:log:age', 'old', now - 30_000, limits);
      await store.appendLog('activity:log:age', 'new', now, limits);
      assert.deepEqual(await store.readLog('activity:log:age', { since: 0, offset: 0, count: 10 }), {
        entries: ['new', 'old'],
        total: 2,
      });
      // A reader's cutoff removes what it no longer shows, for good.
      assert.deepEqual(
        await store.readLog('activity:log:age', { since: now - 10_000, offset: 0, count: 10 }),
        {
          entries: ['new'],
          total: 1,
        },
      );
      assert.deepEqual(await store.readLog('activity:log:age', { since: 0, offset: 0, count: 10 }), {
        entries: ['new'],
        total: 1,
      });
    });

    test('a whole log expires maxAge after its newest entry', async () => {
      const store = await fresh();
      const limits = { maxLength: 100, maxAgeSeconds: 0.4 };
      await store.appendLog('activity:log:ttl', 'a', Date.now(), limits);
      await sleep(200);
      await store.appendLog('activity:log:ttl', 'b', Date.now(), limits);
      await sleep(300);
      const mid = await store.readLog('activity:log:ttl', { since: 0, offset: 0, count: 10 });
      assert.deepEqual(mid.entries, ['b', 'a'], 'the second entry extended the log');
      await sleep(400);
      assert.deepEqual(await store.readLog('activity:log:ttl', { since: 0, offset: 0, count: 10 }), {
        entries: [],
        total: 0,
      });
    });

    test('200 concurrent appends to one log are all kept, up to its length', async () => {
      const store = await fresh();
      const now = Date.now();
      await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          store.appendLog('activity:log:burst', `e${i}`, now + i, { maxLength: 150, maxAgeSeconds: DAY }),
        ),
      );
      const read = await store.readLog('activity:log:burst', { since: 0, offset: 0, count: 1000 });
      assert.equal(read.total, 150);
      assert.deepEqual(
        read.entries,
        Array.from({ length: 150 }, (_, i) => `e${199 - i}`),
      );
    });

    test('log limits out of range are refused as caller bugs', async () => {
      const store = await fresh();
      await assert.rejects(
        store.appendLog('activity:log:x', 'e', Date.now(), { maxLength: 0, maxAgeSeconds: 60 }),
        RangeError,
      );
      await assert.rejects(
        store.appendLog('activity:log:x', 'e', Date.now(), { maxLength: 5, maxAgeSeconds: 0 }),
        RangeError,
      );
      assert.equal((await store.readLog('activity:log:x', { since: 0, offset: 0, count: 5 })).total, 0);
    });

    test('ping answers while open; after close calls fail with StoreUnavailableError', async () => {
      const store = await fresh();
      assert.equal(await store.ping(), true);
      await store.close();
      assert.equal(await store.ping(), false);
      await assert.rejects(
        store.get('k'),
        (e: unknown) => e instanceof StoreUnavailableError && e.code === 'store_unavailable',
      );
      await store.close();
    });
  });
}
