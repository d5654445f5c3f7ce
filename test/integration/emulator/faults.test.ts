import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { startEmulator } from '../../../emulator/index.js';
import { type FolderContent, Harness } from './harness.js';

describe('emulator: fault injection', () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start();
  });
  afterEach(() => h.emu.setFaults({}));
  after(() => h.close());

  it('answers 429 with Retry-After for a counted burst, then recovers', async () => {
    h.emu.setFaults({ rateLimit: { count: 2, retryAfterSeconds: 7 } });
    for (let i = 0; i < 2; i++) {
      const r = await h.get('people/@self', 'owner');
      assert.equal(r.status, 429);
      assert.equal(r.headers.get('retry-after'), '7');
      assert.equal(r.body.statusCode, 429);
    }
    assert.equal((await h.get('people/@self', 'owner')).status, 200);
  });

  it("answers a burst of server errors with DocSpace's error body", async () => {
    h.emu.setFaults({ serverErrors: { count: 1, status: 503 } });
    const r = await h.get('people/@self', 'owner');
    assert.equal(r.status, 503);
    assert.equal(r.body.status, 1);
    assert.equal((await h.get('people/@self', 'owner')).status, 200);
  });

  it('limits request faults to matching paths', async () => {
    h.emu.setFaults({ serverErrors: { count: 5 }, pathPattern: '^/api/2\\.0/files' });
    assert.equal((await h.get('people/@self', 'owner')).status, 200);
    assert.equal((await h.get('files/@my', 'owner')).status, 500);
  });

  it('drops connections without an answer', async () => {
    h.emu.setFaults({ dropConnections: { count: 1 } });
    await assert.rejects(fetch(`${h.url}/api/2.0/people/@self`, { headers: h.key('owner') }));
    assert.equal((await h.get('people/@self', 'owner')).status, 200);
  });

  it('adds latency', async () => {
    h.emu.setFaults({ latencyMs: 200 });
    const t0 = Date.now();
    await h.get('people/@self', 'owner');
    assert.ok(Date.now() - t0 >= 190);
  });

  it('makes file operations slow or fail', async () => {
    const my = (await h.get<FolderContent>('files/@my', 'owner')).body.response.current.id;
    const folder = await h.call<{ id: number }>('POST', `files/folder/${my}`, {
      as: 'owner',
      json: { title: 'slow' },
    });
    h.emu.setFaults({ slowOperationsMs: 300 });
    const del = await h.call<{ id: string }[]>('DELETE', `files/folder/${folder.body.response.id}`, {
      as: 'owner',
      json: {},
    });
    const id = del.body.response[0]?.id;
    await new Promise((r) => setTimeout(r, 100));
    const mid = await h.get<{ id: string; finished: boolean; progress: number }[]>('files/fileops', 'owner');
    const running = mid.body.response.find((o) => o.id === id);
    assert.equal(running?.finished, false);
    assert.ok(
      (running?.progress ?? -1) > 0 && (running?.progress ?? 100) < 100,
      `progress ${running?.progress}`,
    );

    h.emu.setFaults({ failOperations: 'Disk is full' });
    const f2 = await h.call<{ id: number }>('POST', `files/folder/${my}`, {
      as: 'owner',
      json: { title: 'fails' },
    });
    const del2 = await h.call<{ id: string }[]>('DELETE', `files/folder/${f2.body.response.id}`, {
      as: 'owner',
      json: {},
    });
    // The list holds every running operation of the user; the new one comes last.
    const op = await h.waitOp(del2.body.response.at(-1)?.id as string, 'owner');
    assert.equal(op.error, 'Disk is full');
    assert.equal(
      (await h.get(`files/folder/${f2.body.response.id}`, 'owner')).status,
      200,
      'nothing was deleted',
    );
  });

  it('switches faults over the admin route and resets the portal', async () => {
    const put = await fetch(`${h.url}/__emulator/faults`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ serverErrors: { count: 1 } }),
    });
    assert.equal(put.status, 200);
    assert.equal((await h.get('people/@self', 'owner')).status, 500);
    const my = (await h.get<FolderContent>('files/@my', 'owner')).body.response;
    await h.call('POST', `files/folder/${my.current.id}`, { as: 'owner', json: { title: 'temporary' } });
    assert.equal((await fetch(`${h.url}/__emulator/reset`, { method: 'POST' })).status, 200);
    const again = (await h.get<FolderContent>('files/@my', 'owner')).body.response;
    assert.ok(!again.folders.some((f) => f.title === 'temporary'));
    assert.equal(again.current.id, my.current.id, 'the same seed gives the same ids');
  });

  it('serves no admin routes unless asked to', async () => {
    const plain = await startEmulator();
    try {
      assert.equal((await fetch(`${plain.url}/__emulator/faults`)).status, 404);
    } finally {
      await plain.close();
    }
  });

  it('takes faults at start', async () => {
    const flaky = await startEmulator({ faults: { rateLimit: { count: 1 } } });
    try {
      assert.equal((await fetch(`${flaky.url}/api/2.0/authentication`)).status, 429);
      assert.equal((await fetch(`${flaky.url}/api/2.0/authentication`)).status, 200);
    } finally {
      await flaky.close();
    }
  });
});
