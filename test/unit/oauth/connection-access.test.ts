// A connection's access level is checked on every request from the record the request reads
// anyway (the person's DocSpace grant): lowering takes effect at the next request, and the check
// costs no extra store read.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAudit } from '../../../src/audit/index.js';
import { createDocSpaceGrants } from '../../../src/oauth/docspace-grants.js';
import { createSealer } from '../../../src/oauth/seal.js';
import type { OAuthSettings } from '../../../src/oauth/settings.js';
import type { Upstream } from '../../../src/oauth/upstream.js';
import { createMemoryStore } from '../../../src/store/memory.js';
import type { Store } from '../../../src/store/store.js';

const APP = { clientId: 'ds-app' };
const HOUR = 3_600_000;

function setup() {
  const now = 1_000_000_000_000;
  const inner = createMemoryStore();
  const reads = { get: 0 };
  const store: Store = Object.assign(Object.create(inner) as Store, {
    get: (key: string) => {
      reads.get += 1;
      return inner.get(key);
    },
  });
  const grants = createDocSpaceGrants({
    store,
    settings: { now: () => now, refreshTokenTtl: 30 * 24 * 3600, sharedApp: APP } as OAuthSettings,
    upstream: {} as Upstream,
    storageSealer: createSealer('store', 'unit-secret-0123456789-abcdefghijkl'),
    audit: createAudit(),
  });
  const signIn = () =>
    grants.install({
      userId: 'u1',
      app: APP,
      tokens: { accessToken: 'ds-at', refreshToken: 'ds-rt', issuedAt: now, expiresAt: now + HOUR },
      typedIn: false,
    });
  return { grants, reads, signIn, expiresAt: now + 24 * HOUR };
}

describe('the access level on the request path', () => {
  it('is read with the revocation check, in one store read, and a lowering shows at the next request', async () => {
    const { grants, reads, signIn, expiresAt } = setup();
    const key = await signIn();
    await grants.attach(key, { gid: 'g1', clientId: 'mcp_a', expiresAt, access: 'write' });
    reads.get = 0;
    assert.deepEqual(await grants.connection(key, 'g1'), { accessToken: 'ds-at', access: 'write' });
    assert.equal(reads.get, 1, 'one store read per request, as before levels existed');
    assert.equal(await grants.setAccess(key, 'g1', 'read'), true);
    assert.equal((await grants.connection(key, 'g1'))?.access, 'read');
    assert.equal(await grants.setAccess(key, 'gone', 'read'), false);
  });

  it('a connection made before levels existed keeps Read and write', async () => {
    const { grants, signIn, expiresAt } = setup();
    const key = await signIn();
    await grants.attach(key, { gid: 'old', clientId: 'mcp_old', expiresAt });
    assert.equal((await grants.connection(key, 'old'))?.access, 'write');
  });

  it('costs microseconds per request (measured)', async () => {
    const { grants, signIn, expiresAt } = setup();
    const key = await signIn();
    for (let i = 0; i < 50; i++)
      await grants.attach(key, { gid: `g${i}`, clientId: `mcp_${i}`, expiresAt, access: 'read' });
    const n = 5000;
    const started = performance.now();
    for (let i = 0; i < n; i++) await grants.connection(key, `g${i % 50}`);
    const perCall = ((performance.now() - started) / n) * 1000;
    console.log(
      `[access] connection() with 50 connections on the record: ${perCall.toFixed(1)} µs per request`,
    );
    assert.ok(perCall < 2000);
  });
});
