// Destructive tools ask the person first where the client can ask; elsewhere they take two calls,
// the second carrying a code the first returned after the model asked the person.
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

    it('takes two calls when the client cannot ask: the first changes nothing and says what to ask', async () => {
      const s = await h.connect({ role: 'user', era, relayConfirmation: false });
      const id = await personalFolder(s);
      const first = await s.call('delete_folder', { folderId: id });
      assert.equal(first.isError, true);
      assert.match(text(first), /Not done yet.*Nothing was changed by delete_folder/);
      assert.match(text(first), new RegExp(`Move folder ${id} and everything in it to the Trash\\?`));
      assert.equal(await inMyDocuments(s, id), true);
      const code = /"confirm": "([^"]+)"/.exec(text(first))?.[1];
      assert.ok(code, text(first));
      const second = await s.call('delete_folder', { folderId: id, confirm: code });
      assert.ok(!second.isError, text(second));
      assert.equal(await inMyDocuments(s, id), false);
    });

    it('move_batch_items is destructive: it asks before moving', async () => {
      const s = await h.connect({ role: 'user', elicit: 'decline', era });
      const id = await personalFolder(s);
      const r = await s.call('move_batch_items', { folderIds: [id], destFolderId: await myDocumentsId(s) });
      assert.equal(r.isError, true);
      assert.match(s.asked[0] ?? '', /^Move 1 item\(s\) out of where they are now/);
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

describe('confirmation for clients that cannot be asked', () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start();
  });
  after(() => h.close());
  beforeEach(() => h.emu.reset());

  it('a 2025 client that declares elicitation but has no session (stateless) is not acted for silently', async () => {
    const s = await h.connect({
      role: 'user',
      elicit: 'accept',
      era: 'legacy',
      httpSessions: 'stateless',
      relayConfirmation: false,
    });
    const id = await personalFolder(s);
    const r = await s.call('delete_folder', { folderId: id });
    assert.equal(r.isError, true);
    assert.match(text(r), /this client cannot show them a question/);
    assert.deepEqual(s.asked, []);
    assert.equal(await inMyDocuments(s, id), true);
  });

  it('a code fits only its own call: other arguments, another tool or another person are refused', async () => {
    const s = await h.connect({ role: 'user', era: 'legacy', relayConfirmation: false });
    const id = await personalFolder(s);
    const code = /"confirm": "([^"]+)"/.exec(text(await s.call('delete_folder', { folderId: id })))?.[1];
    assert.ok(code);
    const other = await s.call('delete_folder', { folderId: id + 1, confirm: code });
    assert.match(text(other), /does not fit this call/);
    const tool = await s.call('delete_file', { fileId: id, confirm: code });
    assert.match(text(tool), /does not fit this call/);
    // Another person: another API key, so another caller at the server's edge.
    const mallory = await h.connect({ role: 'admin', era: 'legacy', relayConfirmation: false });
    const stolen = await mallory.call('delete_folder', { folderId: id, confirm: code });
    assert.match(text(stolen), /does not fit this call/);
    const forged = await s.call('delete_folder', { folderId: id, confirm: 'zzzz-AAAAAAAAAAAAAAAA' });
    assert.match(text(forged), /does not fit this call/);
    assert.equal(await inMyDocuments(s, id), true, 'nothing was deleted');
  });
});
