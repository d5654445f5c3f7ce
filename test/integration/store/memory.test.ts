import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createMemoryStore } from '../../../src/store/memory.js';
import { registerStoreContract } from './store-contract.js';

registerStoreContract('memory', () => createMemoryStore());

describe('memory store: bounds and expiry', () => {
  test('a flood of 100k keys of one kind never holds more than maxEntries of it, and fresh writes still land', async () => {
    const store = createMemoryStore({ maxEntries: 1000 });
    await store.set('revocation:long-lived', 'revoked', 3600);
    for (let i = 0; i < 100_000; i++) {
      await store.set(`rl:flood:${i}`, 'x', 60);
      if (store.size > 1001) assert.fail(`size ${store.size} after ${i + 1} writes`);
    }
    assert.equal(store.size, 1001);
    assert.equal(store.evictions, 100_000 - 1000);
    assert.equal(await store.get('rl:flood:99999'), 'x', 'the newest write is kept');
    assert.equal(await store.get('rl:flood:0'), undefined, 'the oldest short-lived write went first');
    assert.equal(
      await store.get('revocation:long-lived'),
      'revoked',
      'longer-lived state outlasts the flood',
    );
    await store.close();
  });

  test('each kind has its own bound: long-lived registrations cannot push out shorter-lived grants', async () => {
    const store = createMemoryStore({ maxEntries: 100 });
    for (let i = 0; i < 50; i++) await store.set(`oauth:grant:g${i}`, 'grant', 30 * 86_400);
    for (let i = 0; i < 110_000; i++) await store.set(`oauth:client:mcp_${i}`, 'client', 90 * 86_400);
    for (let i = 0; i < 50; i++) assert.equal(await store.get(`oauth:grant:g${i}`), 'grant');
    assert.equal(store.size, 150);
    // IPv6 addresses in a key do not make a kind per address.
    for (let i = 0; i < 300; i++) await store.set(`ratelimit:mcp:2001:db8::${i.toString(16)}`, '1', 60);
    assert.equal(store.size, 250);
    await store.close();
  });

  test('eviction takes the key closest to expiry, ties to the older write', async () => {
    const store = createMemoryStore({ maxEntries: 3 });
    await store.set('a', '1', 300);
    await store.set('b', '2', 10);
    await store.set('c', '3', 300);
    await store.set('d', '4', 300);
    assert.equal(await store.get('b'), undefined);
    await store.set('e', '5', 300);
    assert.equal(await store.get('a'), undefined);
    assert.deepEqual(await Promise.all(['c', 'd', 'e'].map((k) => store.get(k))), ['3', '4', '5']);
    await store.close();
  });

  test('expired keys make room before anything live is evicted', async () => {
    let now = 1_000_000;
    const store = createMemoryStore({ maxEntries: 2, clock: () => now });
    await store.set('old', 'x', 1);
    await store.set('keep', 'y', 100);
    now += 2000;
    await store.set('new', 'z', 100);
    assert.equal(store.evictions, 0);
    assert.equal(await store.get('keep'), 'y');
    assert.equal(await store.get('new'), 'z');
    await store.close();
  });

  test('the periodic sweep frees expired keys nobody reads', async () => {
    let now = 0;
    const store = createMemoryStore({ clock: () => now, sweepIntervalMs: 50 });
    for (let i = 0; i < 100; i++) await store.set(`pending:${i}`, 'x', 1);
    await store.set('family:kept', 'x', 100);
    assert.equal(store.size, 101);
    now = 5000;
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(store.size, 1);
    await store.close();
  });

  test('rewriting one key many times costs one slot, not one per write', async () => {
    const store = createMemoryStore({ maxEntries: 10 });
    for (let i = 0; i < 50_000; i++) await store.set('family:hot', String(i), 60);
    for (let i = 0; i < 9; i++) await store.set(`other:${i}`, 'x', 30);
    assert.equal(store.size, 10);
    assert.equal(store.evictions, 0);
    assert.equal(await store.get('family:hot'), '49999');
    assert.equal(await store.get('other:0'), 'x');
    await store.close();
  });

  test('a counter window is measured on the injected clock', async () => {
    let now = 0;
    const store = createMemoryStore({ clock: () => now });
    assert.deepEqual(await store.increment('rl:k', 10), { count: 1, resetSeconds: 10 });
    now = 7_500;
    assert.deepEqual(await store.increment('rl:k', 10), { count: 2, resetSeconds: 3 });
    now = 10_000;
    assert.deepEqual(await store.increment('rl:k', 10), { count: 1, resetSeconds: 10 });
    await store.close();
  });

  test('all logs together hold at most maxEntries entries: the least recently written log goes first', async () => {
    let now = 1_000_000;
    const store = createMemoryStore({ maxEntries: 1000, clock: () => now });
    const limits = { maxLength: 100, maxAgeSeconds: 86_400 };
    await store.set('oauth:grant:g', 'grant', 60);
    for (let person = 0; person < 50; person++) {
      for (let i = 0; i < 100; i++) {
        now += 1;
        await store.appendLog(`activity:log:p${person}`, `e${i}`, now, limits);
      }
    }
    const read = async (p: number) =>
      (await store.readLog(`activity:log:p${p}`, { since: 0, offset: 0, count: 1000 })).total;
    assert.equal(await read(49), 100, 'the newest log is whole');
    assert.equal(await read(40), 100);
    assert.equal(await read(39), 0, 'older logs were dropped whole');
    assert.equal(await read(0), 0);
    assert.ok(store.evictions >= 40, `evictions ${store.evictions}`);
    assert.equal(await store.get('oauth:grant:g'), 'grant', 'other keys are not touched');
    await store.close();
  });

  test('a log written 10,000 times holds its newest entries in order, and its count stays right', async () => {
    let now = 1_000_000;
    const store = createMemoryStore({ maxEntries: 150, clock: () => now });
    for (let i = 0; i < 10_000; i++) {
      now += 1;
      await store.appendLog('activity:log:busy', `e${i}`, now, { maxLength: 100, maxAgeSeconds: 3600 });
    }
    const read = await store.readLog('activity:log:busy', { since: 0, offset: 0, count: 1000 });
    assert.equal(read.total, 100);
    assert.deepEqual(
      read.entries,
      Array.from({ length: 100 }, (_, i) => `e${9999 - i}`),
    );
    // Another log still fits beside it: the store counted 100 entries, not 10,000.
    await store.appendLog('activity:log:quiet', 'q', now, { maxLength: 100, maxAgeSeconds: 3600 });
    assert.equal(store.evictions, 0);
    assert.equal(
      (await store.readLog('activity:log:busy', { since: 0, offset: 95, count: 10 })).entries.length,
      5,
    );
    await store.close();
  });

  test('close empties the store', async () => {
    const store = createMemoryStore();
    await store.set('k', 'v', 60);
    await store.close();
    assert.equal(store.size, 0);
  });
});
