// What people with less than full access get: guests (no My documents, no people list), users
// (no people list) and API keys without some scopes. They get what they can reach, told so,
// or a refusal that says what works instead.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Harness, text } from '../../helpers/harness.js';

interface Listed {
  items: { id: number; title: string }[];
  note?: string;
}

describe('restricted access', () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start();
  });
  after(() => h.close());
  beforeEach(() => h.emu.reset());

  describe('search_files without folderId', () => {
    it('a guest (no My documents) gets the rooms’ results and is told so', async () => {
      const s = await h.connect({ role: 'guest' });
      const r = await s.call('search_files', { query: 'notes' });
      assert.ok(!r.isError, text(r));
      const data = r.structuredContent as unknown as Listed;
      assert.ok(
        data.items.some((i) => i.title === 'Meeting notes.docx'),
        text(r),
      );
      assert.match(text(r), /Only rooms were searched/);
      assert.match(data.note ?? '', /My documents/);
    });

    it('a key without rooms:read searches My documents and says rooms were left out', async () => {
      const credential = await h.scopedKey('user', ['files:read']);
      const s = await h.connect({ credential });
      const r = await s.call('search_files', { query: 'report' });
      assert.ok(!r.isError, text(r));
      const titles = (r.structuredContent as unknown as Listed).items.map((i) => i.title);
      assert.ok(titles.includes('Report.docx'), text(r));
      assert.ok(!titles.includes('Audit report.pdf'), 'a room file without rooms:read');
      assert.match(text(r), /Only My documents was searched.*rooms:read/);
    });

    it('nothing searchable is an error, not an empty result', async () => {
      const credential = await h.scopedKey('guest', ['files:read']);
      const s = await h.connect({ credential });
      const r = await s.call('search_files', { query: 'notes' });
      assert.equal(r.isError, true, text(r));
      assert.match(text(r), /access|denied|permission|rights/i);
    });

    it('full access says nothing about skipped sections', async () => {
      const s = await h.connect({ role: 'user' });
      const r = await s.call('search_files', { query: 'report' });
      assert.ok(!r.isError, text(r));
      assert.equal((r.structuredContent as unknown as Listed).note, undefined);
      assert.doesNotMatch(text(r), /Only/);
    });
  });

  describe('people', () => {
    it('a guest finding someone by name searches the members of their rooms', async () => {
      const s = await h.connect({ role: 'guest' });
      const r = await s.call('find_person', { name: 'rita' });
      assert.ok(!r.isError, text(r));
      assert.match(text(r), /Rita Roomadmin/);
      assert.match(text(r), /members of your rooms.*`email`/);
    });

    it('a user finding nobody in their rooms is told to search by email', async () => {
      const s = await h.connect({ role: 'user' });
      const r = await s.call('find_person', { name: 'fay' });
      assert.ok(!r.isError, text(r));
      assert.match(text(r), /Nobody found/);
      assert.match(text(r), /`email`/);
      const byEmail = await s.call('find_person', { email: 'former@example.com' });
      assert.match(text(byEmail), /Fay Former/);
    });

    it('when even room members cannot be read, the refusal says that email works', async () => {
      const credential = await h.scopedKey('user', ['accounts:read']);
      const s = await h.connect({ credential });
      const r = await s.call('find_person', { name: 'rita' });
      assert.equal(r.isError, true, text(r));
      assert.match(text(r), /admins and room admins/);
      assert.match(text(r), /find_person with `email`/);
    });

    it('get_all_people refused to a guest points at find_person', async () => {
      const s = await h.connect({ role: 'guest' });
      const r = await s.call('get_all_people', {});
      assert.equal(r.isError, true);
      assert.match(text(r), /Access denied.*find_person with an exact `email`/);
    });

    it('an admin’s name search is portal-wide, without a note', async () => {
      const s = await h.connect({ role: 'admin' });
      const r = await s.call('find_person', { name: 'fay' });
      assert.ok(!r.isError, text(r));
      assert.match(text(r), /Fay Former/);
      assert.doesNotMatch(text(r), /members of your rooms/);
    });
  });

  describe('room share links', () => {
    it('a link created on a room is listed on that room', async () => {
      const s = await h.connect({ role: 'owner' });
      const rooms = (await s.call('get_rooms_folder', {})).structuredContent as unknown as Listed;
      const roomId = rooms.items.find((i) => i.title === 'Projects')?.id;
      assert.ok(roomId);
      const made = await s.call('create_share_link', { roomId, title: 'Client preview', access: 'viewer' });
      assert.ok(!made.isError, text(made));
      assert.match(text(made), /\/s\//);
      const listed = await s.call('get_share_links', { roomId });
      assert.ok(!listed.isError, text(listed));
      assert.match(text(listed), /Client preview/);
    });
  });
});
