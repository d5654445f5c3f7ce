import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createStore } from '../../../src/store/index.js';

test('createStore memory gives a working embedded store', async () => {
  const store = createStore({ kind: 'memory' });
  await store.set('k', 'v', 60);
  assert.equal(await store.take('k'), 'v');
  await store.close();
});

test('createStore redis without a URL says which setting is missing', () => {
  assert.throws(() => createStore({ kind: 'redis' }), /DOCSPACE_REDIS_URL/);
});

test('createStore refuses an unknown kind by name', () => {
  assert.throws(() => createStore({ kind: 'disk' as 'memory' }), /Unknown store kind "disk"/);
});
