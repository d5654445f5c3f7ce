// Destructive tools ask the person first where the client can ask; elsewhere they act as annotated.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Harness, type Session, text } from '../../helpers/harness.js';

async function personalFolder(s: Session): Promise<number> {
  const my = (await s.call('get_my_folder', {})).structuredContent as {
    items: { id: number; title: string }[];
  };
  return my.items.find((i) => i.title === 'Personal')?.id ?? 0;
}

/** Still in My documents (a folder moved to the Trash no longer is). */
async function inMyDocuments(s: Session, folderId: number): Promise<boolean> {
  const my = (await s.call('get_my_folder', {})).structuredContent as { items: { id: number }[] };
  return my.items.some((i) => i.id === folderId);
}

async function myDocumentsId(s: Session): Promise<number> {
  return ((await s.call('get_my_folder', {})).structuredContent as { folder: { id: number } }).folder.id;
}

// modern: MRTR input_required round trip; legacy (a 2025 HTTP session, Mcp-Session-Id) and
// session (stdio): the SDK's shim sends elicitation/create on the POST's stream or the connection.
for (const era of ['modern', 'legacy', 'session'] as const) {
  describe(`confirmation of destructive tools (${era} client)`, () => {
    let h: Harness;
    before(async () => {
      h = await Harness.start();
    });
    after(() => h.close());
    beforeEach(() => h.emu.reset());

    it('asks, and acts when the person accepts', async () => {
      const s = await h.connect({ role: 'user', elicit: 'accept', era });
      const id = await personalFolder(s);
      const r = await s.call('delete_folder', { folderId: id });
      assert.ok(!r.isError, text(r));
      assert.deepEqual(s.asked, [`Move folder ${id} and everything in it to the Trash?`]);
      assert.equal(await inMyDocuments(s, id), false);
    });

    it('asks, and changes nothing when the person declines', async () => {
      const s = await h.connect({ role: 'user', elicit: 'decline', era });
      const id = await personalFolder(s);
      const r = await s.call('delete_folder', { folderId: id });
      assert.equal(r.isError, true);
      assert.match(text(r), /did not confirm.*Nothing was changed/);
      assert.equal(s.asked.length, 1);
      assert.equal(await inMyDocuments(s, id), true);
    });

    it('does not ask for tools that change nothing irreversibly', async () => {
      const s = await h.connect({ role: 'user', elicit: 'decline', era });
      const id = await personalFolder(s);
      const r = await s.call('rename_folder', { folderId: id, title: 'Private' });
      assert.ok(!r.isError, text(r));
      const copy = await s.call('copy_batch_items', {
        folderIds: [id],
        destFolderId: await myDocumentsId(s),
      });
      assert.ok(!copy.isError, text(copy));
      assert.deepEqual(s.asked, []);
    });

    it('acts as annotated when the client cannot ask', async () => {
      const s = await h.connect({ role: 'user', era });
      const id = await personalFolder(s);
      const r = await s.call('delete_folder', { folderId: id });
      assert.ok(!r.isError, text(r));
      assert.equal(await inMyDocuments(s, id), false);
    });

    it('acts without asking when confirmation is switched off', async () => {
      const s = await h.connect({
        role: 'user',
        elicit: 'decline',
        era,
        selection: { confirmDestructive: false },
      });
      const id = await personalFolder(s);
      const r = await s.call('delete_folder', { folderId: id });
      assert.ok(!r.isError, text(r));
      assert.deepEqual(s.asked, []);
    });
  });
}

describe('confirmation over stateless 2025 HTTP (DOCSPACE_HTTP_SESSIONS=stateless)', () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start();
  });
  after(() => h.close());

  it('acts as annotated: a stateless request cannot carry a question back to the person', async () => {
    const s = await h.connect({ role: 'user', elicit: 'decline', era: 'legacy', httpSessions: 'stateless' });
    const id = await personalFolder(s);
    const r = await s.call('delete_folder', { folderId: id });
    assert.ok(!r.isError, text(r));
    assert.deepEqual(s.asked, []);
    assert.equal(await inMyDocuments(s, id), false);
  });
});
