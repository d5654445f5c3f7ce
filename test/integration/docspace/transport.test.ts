import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Emulator } from '../../../emulator/index.js';
import { clearTokenCache, createDocSpaceClient } from '../../../src/docspace/index.js';
import { clientFor, emulator, failure, seedUser } from './helpers.js';

describe('credentials against the emulator', () => {
  let emu: Emulator;
  before(async () => {
    emu = await emulator();
  });
  after(() => emu.close());
  beforeEach(() => clearTokenCache());

  it('every credential kind reaches the same user', async () => {
    const u = seedUser(emu, 'roomAdmin');
    const password = { username: u.email, password: u.password };
    const viaPassword = clientFor(emu, 'roomAdmin', { credential: { kind: 'password', ...password } });
    assert.equal((await viaPassword.people.self()).email, u.email);
    const basic = clientFor(emu, 'roomAdmin', { credential: { kind: 'basic', ...password } });
    assert.equal((await basic.people.self()).email, u.email);
    // A personal token obtained the way DocSpace's sign-in page does.
    const res = await fetch(`${emu.url}/api/2.0/authentication`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userName: u.email, password: u.password }),
    });
    const token = ((await res.json()) as { response: { token: string } }).response.token;
    const pat = clientFor(emu, 'roomAdmin', { credential: { kind: 'personalToken', token } });
    assert.equal((await pat.people.self()).email, u.email);
  });

  it('a wrong API key or password fails with advice and without the secret', async () => {
    const key = await failure(
      clientFor(emu, 'user', { credential: { kind: 'apiKey', apiKey: 'sk-not-a-real-key' } }).people.self(),
    );
    assert.equal(key.code, 'unauthorized');
    assert.match(key.message, /API key/);
    assert.doesNotMatch(key.message, /sk-not-a-real-key/);
    const pw = await failure(
      clientFor(emu, 'user', {
        credential: { kind: 'password', username: 'user@example.com', password: 'nope-nope' },
      }).people.self(),
    );
    assert.equal(pw.code, 'unauthorized');
    assert.doesNotMatch(pw.message, /nope-nope/);
  });
});

describe('a flaky portal', () => {
  let emu: Emulator;
  before(async () => {
    emu = await emulator();
  });
  after(() => emu.close());
  beforeEach(() => emu.setFaults({}));

  it('reads survive 503s, a 429 with Retry-After and a dropped connection', async () => {
    const ds = clientFor(emu, 'user', { retry: { attempts: 4, maxDelayMs: 1_500 } });
    emu.setFaults({ serverErrors: { count: 2, status: 503 } });
    assert.equal((await ds.people.self()).email, 'user@example.com');
    emu.setFaults({ rateLimit: { count: 1, retryAfterSeconds: 1 } });
    const started = Date.now();
    assert.equal((await ds.people.self()).email, 'user@example.com');
    assert.ok(Date.now() - started >= 900, 'waited for Retry-After');
    emu.setFaults({ dropConnections: { count: 1 } });
    assert.equal((await ds.people.self()).email, 'user@example.com');
  });

  it('a write is not repeated after a 503', async () => {
    const ds = clientFor(emu, 'user');
    const myId = (await ds.folders.my()).current.id;
    emu.setFaults({ serverErrors: { count: 1, status: 503 } });
    const e = await failure(ds.folders.create(myId, 'Only once'));
    assert.equal(e.code, 'unavailable');
    emu.setFaults({});
    const mine = await ds.folders.my();
    assert.equal(mine.folders.filter((f) => f.title === 'Only once').length, 0);
  });

  it("a failing operation reports DocSpace's error text", async () => {
    const ds = clientFor(emu, 'user');
    const mine = await ds.folders.my();
    emu.setFaults({ failOperations: 'Disk quota exceeded on the storage' });
    const e = await failure(
      ds.files.copy({ fileIds: [mine.files[0]?.id as number], destFolderId: mine.current.id }),
    );
    assert.equal(e.code, 'operation_failed');
    assert.match(e.message, /Disk quota exceeded on the storage/);
  });

  it('a slow operation times out with how far it got', async () => {
    const ds = clientFor(emu, 'user');
    const mine = await ds.folders.my();
    emu.setFaults({ slowOperationsMs: 5_000 });
    const e = await failure(
      ds.files.copy(
        { fileIds: [mine.files[0]?.id as number], destFolderId: mine.current.id },
        { timeoutMs: 400 },
      ),
    );
    assert.equal(e.code, 'timeout');
    assert.match(e.message, /did not finish within/);
  });

  it('a slow answer hits the request time limit', async () => {
    const ds = clientFor(emu, 'user', { timeoutMs: 200, retry: { attempts: 1, maxDelayMs: 100 } });
    emu.setFaults({ latencyMs: 1_000 });
    const e = await failure(ds.people.self());
    assert.equal(e.code, 'timeout');
  });

  it('expired tokens ask the user to sign in again', async () => {
    emu.setFaults({ expiredTokens: true });
    const e = await failure(
      createDocSpaceClient({
        baseUrl: emu.url,
        credential: { kind: 'oauth', accessToken: 'eyJ.x.y' },
      }).people.self(),
    );
    assert.equal(e.code, 'unauthorized');
    assert.match(e.message, /sign in again/);
  });

  it('an unreachable portal is a network error naming the address', async () => {
    const ds = createDocSpaceClient({
      baseUrl: 'http://127.0.0.1:9',
      credential: { kind: 'apiKey', apiKey: 'sk-x' },
      retry: { attempts: 1, maxDelayMs: 10 },
    });
    const e = await failure(ds.people.self());
    assert.equal(e.code, 'network');
    assert.match(e.message, /127\.0\.0\.1:9/);
  });
});
