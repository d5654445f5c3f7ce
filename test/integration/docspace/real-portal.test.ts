// The client against a portal that behaves as DocSpace does when things are not simple: failed
// credentials that do not answer 401, one conversion at a time per person, answers that list other
// operations than the one a call started (issue 22).
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Emulator } from '../../../emulator/index.js';
import { clearTokenCache, type DocSpaceClient, type FileDto } from '../../../src/docspace/index.js';
import { clientFor, emulator, failure, seedUser } from './helpers.js';

describe('the client on a portal as strict as DocSpace', () => {
  let emu: Emulator;
  let ds: DocSpaceClient;
  let myId: number;
  let report: FileDto;
  let budget: FileDto;
  before(async () => {
    emu = await emulator();
    ds = clientFor(emu, 'user');
    const mine = await ds.folders.my();
    myId = Number(mine.current.id);
    report = mine.files.find((f) => f.title === 'Report.docx') as FileDto;
    assert.ok(report);
  });
  afterEach(() => emu.setFaults({}));
  after(() => emu.close());

  /** Starts an operation for `role` straight at the portal, as another client of the same person would. */
  async function startElsewhere(path: string, json: unknown, role = 'user' as const) {
    const r = await fetch(`${emu.url}/api/2.0/${path}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${seedUser(emu, role).apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(json),
    });
    assert.equal(r.status, 200, await r.clone().text());
    return ((await r.json()) as { response: { id: string }[] }).response;
  }

  describe('credentials that stop working without a 401', () => {
    it('a password sign-in whose session ended is renewed even though DocSpace answers 403', async () => {
      clearTokenCache();
      const used: string[] = [];
      const u = seedUser(emu, 'user');
      const pw = clientFor(emu, 'user', {
        credential: { kind: 'password', username: u.email, password: u.password },
        fetch: (input, init) => {
          const auth = new Headers(init?.headers).get('authorization');
          if (auth) used.push(auth);
          return fetch(input, init);
        },
      });
      await pw.people.self();
      const session = used.at(-1) as string;
      // The session ends (logged out elsewhere, or expired): DocSpace forgets the token.
      await fetch(`${emu.url}/api/2.0/authentication/logout`, {
        method: 'POST',
        headers: { Authorization: session },
      });
      const info = await pw.files.info(report.id);
      assert.equal(info.id, report.id);
      assert.notEqual(used.at(-1), session, 'signed in again');
      clearTokenCache();
    });

    it('an API key DocSpace no longer accepts reads as "credentials", not "access denied"', async () => {
      emu.setFaults({ expiredTokens: true });
      const e = await failure(ds.files.info(report.id));
      assert.equal(e.code, 'unauthorized');
      assert.match(e.message, /no longer accepts the credentials/);
      assert.match(e.message, /API key/);
    });

    it('real "no permission" stays forbidden', async () => {
      const admin = clientFor(emu, 'admin');
      const e = await failure(admin.files.info(report.id));
      assert.equal(e.code, 'forbidden');
      assert.match(e.message, /view the file/);
    });

    it('a credential that fails while an operation runs fails the call instead of reporting success', async () => {
      const target = await ds.folders.create(myId, 'Copies');
      emu.setFaults({ slowOperationsMs: 300 });
      let expired = false;
      const e = await failure(
        ds.files.copy(
          { fileIds: [report.id], destFolderId: target.id },
          {
            onProgress: () => {
              if (expired) return;
              expired = true;
              emu.setFaults({ expiredTokens: true });
            },
          },
        ),
      );
      assert.equal(e.code, 'unauthorized');
    });
  });

  describe('conversions, one at a time per person', () => {
    it('parallel reads of documents as text all succeed, the later ones saying they wait', async () => {
      emu.setFaults({ slowOperationsMs: 150 });
      const messages: string[][] = [[], [], []];
      const results = await Promise.all(
        messages.map((seen) =>
          ds.files.text(report.id, { maxBytes: 100_000, onProgress: (_p, m) => seen.push(m) }),
        ),
      );
      for (const r of results) assert.match(r.text, /\S/);
      const waited = messages.filter((m) => m.some((x) => /waiting for your other conversion/.test(x)));
      assert.equal(waited.length, 2, JSON.stringify(messages));
    });

    it('waits for a conversion the same person started elsewhere', async () => {
      emu.setFaults({ slowOperationsMs: 300 });
      await startElsewhere('files/fileops/bulkdownload', { fileIds: [report.id] });
      const seen: string[] = [];
      const r = await ds.files.text(report.id, { maxBytes: 100_000, onProgress: (_p, m) => seen.push(m) });
      assert.match(r.text, /\S/);
      assert.ok(
        seen.some((m) => /waiting for your other conversion/.test(m)),
        JSON.stringify(seen),
      );
    });

    it('other people are not held up', async () => {
      emu.setFaults({ slowOperationsMs: 200 });
      const owner = clientFor(emu, 'owner');
      const mine = await owner.folders.my();
      const b = mine.files.find((f) => f.fileExst === '.xlsx') ?? mine.files[0];
      assert.ok(b);
      budget = b;
      const seen: string[] = [];
      await Promise.all([
        ds.files.text(report.id, { maxBytes: 100_000 }),
        owner.files.text(budget.id, { maxBytes: 100_000, onProgress: (_p, m) => seen.push(m) }),
      ]);
      assert.ok(!seen.some((m) => /waiting/.test(m)), JSON.stringify(seen));
    });
  });

  describe('the operation that belongs to the call', () => {
    /** An earlier delete of the same person, still running, that will fail. */
    async function failingDeleteElsewhere() {
      const doomed = await ds.folders.create(myId, 'Elsewhere');
      emu.setFaults({ slowOperationsMs: 250, failOperations: 'Another deletion failed' });
      await startElsewhere('files/fileops/delete', { folderIds: [doomed.id] });
      emu.setFaults({});
    }

    it('deleting a folder waits for its own operation, not the person’s other deletes', async () => {
      const mine = await ds.folders.create(myId, 'Mine to delete');
      await failingDeleteElsewhere();
      const ops = await ds.folders.delete(mine.id);
      assert.equal(ops.length, 1);
      assert.equal(ops[0]?.finished, true);
      assert.ok(!(await ds.folders.my()).folders.some((f) => f.title === 'Mine to delete'));
    });

    it('deleting a file waits for its own operation', async () => {
      const f = await ds.files.createText(myId, 'to-delete.txt', 'x');
      await failingDeleteElsewhere();
      const ops = await ds.files.delete(f.id);
      assert.equal(ops.length, 1);
      assert.equal(ops[0]?.finished, true);
    });

    it('deleting a room waits for its own operation, not the first one DocSpace lists', async () => {
      const owner = clientFor(emu, 'owner');
      const room = await owner.rooms.create({ title: 'Short-lived', roomType: 6 });
      await owner.rooms.archive(room.id);
      const ownerMy = Number((await owner.folders.my()).current.id);
      const doomed = await owner.folders.create(ownerMy, 'Elsewhere');
      emu.setFaults({ slowOperationsMs: 250, failOperations: 'Another deletion failed' });
      await startElsewhere('files/fileops/delete', { folderIds: [doomed.id] }, 'owner' as 'user');
      emu.setFaults({});
      await owner.rooms.delete(room.id);
      const e = await failure(owner.rooms.info(room.id));
      assert.equal(e.code, 'forbidden', 'unknown rooms answer 403');
    });

    it('an operation is finished only when DocSpace says so: one dropped meanwhile is an error, not success', async () => {
      const target = await ds.folders.create(myId, 'Dropped');
      emu.setFaults({ slowOperationsMs: 400 });
      let dropped = false;
      const e = await failure(
        ds.files.copy(
          { fileIds: [report.id], destFolderId: target.id },
          {
            onProgress: () => {
              if (dropped) return;
              dropped = true;
              // Another client of the same person stops every operation.
              void fetch(`${emu.url}/api/2.0/files/fileops/terminate`, {
                method: 'PUT',
                headers: { Authorization: `Bearer ${seedUser(emu, 'user').apiKey}` },
              });
            },
          },
        ),
      );
      assert.equal(e.code, 'operation_failed');
      assert.match(e.message, /stopped reporting/);
    });
  });

  it('uploads a file over 10 MiB in chunks DocSpace accepts', async () => {
    const big = new Uint8Array(10 * 1024 * 1024 + 4096).fill(7);
    const file = await ds.files.upload({ folderId: myId, fileName: 'big.bin', data: big });
    assert.equal(file.pureContentLength, big.byteLength);
  });
});
