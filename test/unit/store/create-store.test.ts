import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { createStore, isStoreUnavailable } from '../../../src/store/index.js';
import { freePort } from '../../helpers/ports.js';

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

test('a server on the memory store never loads ioredis (40–140 ms of cold start)', () => {
  const index = new URL('../../../src/store/index.js', import.meta.url).href;
  const script = `
    import { createRequire } from 'node:module';
    const { createStore } = await import(${JSON.stringify(index)});
    await createStore({ kind: 'memory' }).close();
    const loaded = Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('/ioredis/'));
    process.stdout.write(String(loaded.length));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(out, '0');
});

test('createStore redis loads its client on demand and reports an unreachable Redis as unavailable', async () => {
  // A port nothing listens on: taken, then released.
  const port = await freePort();
  const store = createStore({ kind: 'redis', redisUrl: `redis://127.0.0.1:${port}` });
  assert.equal(await store.ping(), false);
  await assert.rejects(store.get('k'), (err) => isStoreUnavailable(err));
  await store.close();
});
