// Each filter and sort the listing tools gained (issue 18), end to end: the server as the CLI
// starts it, against the emulator. One test per filter or sort; each checks the effect a person
// would notice, not just that the call succeeds.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Harness, type Session, type ToolResult } from '../../helpers/harness.js';

type Entry = { id: number; title: string; kind?: string; roomType?: string; [k: string]: unknown };
type Content = { folder: Entry; items: Entry[]; total: number; nextStartIndex?: number };
const text = (r: ToolResult) => r.content.map((c) => c.text ?? '').join('\n');
const data = <T>(r: ToolResult): T => {
  assert.ok(!r.isError, text(r));
  return r.structuredContent as T;
};
const titles = (c: { items: Entry[] }) => c.items.map((e) => e.title);

describe('listing filters and sorts', () => {
  let h: Harness;
  let owner: Session;
  let user: Session;
  const ids: Record<string, number> = {};
  const list = async (s: Session, tool: string, args: Record<string, unknown>) =>
    data<Content>(await s.call(tool, args));
  before(async () => {
    h = await Harness.start();
    owner = await h.connect({ role: 'owner' });
    user = await h.connect({ role: 'user' });
    for (const r of (await list(owner, 'get_rooms_folder', { searchArea: 'any' })).items) ids[r.title] = r.id;
  });
  after(() => h.close());

  describe('get_folder_content', () => {
    for (const [show, expected] of [
      ['spreadsheets', ['Budget.xlsx']],
      ['presentations', ['Kickoff.pptx']],
      ['images', ['Logo.png']],
      ['documents', ['Project plan.docx', 'Risks.txt']],
      ['folders', ['Specs']],
    ] as const) {
      it(`show=${show}`, async () => {
        const r = await list(owner, 'get_folder_content', { folderId: ids.Projects, show, sortBy: 'title' });
        assert.deepEqual(titles(r), expected);
      });
    }

    it('show=pdf', async () => {
      const r = await list(owner, 'get_folder_content', { folderId: ids['Due diligence'], show: 'pdf' });
      assert.deepEqual(titles(r), ['Audit report.pdf']);
    });

    it('extension', async () => {
      const r = await list(owner, 'get_folder_content', { folderId: ids.Projects, extension: '.txt' });
      assert.deepEqual(titles(r), ['Risks.txt']);
    });

    it('authorId and excludeAuthor', async () => {
      const uma = h.emu.info.users.find((u) => u.role === 'user')?.id as string;
      data(await user.call('upload_file', { parentId: ids.Projects, filename: 'Uma.txt', content: 'mine' }));
      const mine = await list(owner, 'get_folder_content', { folderId: ids.Projects, authorId: uma });
      assert.deepEqual(titles(mine), ['Uma.txt']);
      const others = await list(owner, 'get_folder_content', {
        folderId: ids.Projects,
        authorId: uma,
        excludeAuthor: true,
      });
      assert.ok(others.items.length > 0 && !titles(others).includes('Uma.txt'), titles(others).join());
    });

    it('sortBy title, both orders', async () => {
      const up = await list(owner, 'get_folder_content', {
        folderId: ids.Projects,
        show: 'files',
        sortBy: 'title',
      });
      const down = await list(owner, 'get_folder_content', {
        folderId: ids.Projects,
        show: 'files',
        sortBy: 'title',
        sortOrder: 'descending',
      });
      assert.deepEqual(
        titles(up),
        [...titles(up)].sort((a, b) => a.localeCompare(b)),
      );
      assert.deepEqual(titles(down), [...titles(up)].reverse());
    });

    it('sortBy size', async () => {
      const r = await list(owner, 'get_folder_content', {
        folderId: ids.Projects,
        show: 'files',
        sortBy: 'size',
        sortOrder: 'ascending',
        fields: ['pureContentLength'],
      });
      const sizes = r.items.map((e) => Number(e.size));
      assert.deepEqual(
        sizes,
        [...sizes].sort((a, b) => a - b),
      );
    });

    it('accepts a numeric string id', async () => {
      const r = await list(owner, 'get_folder_content', { folderId: String(ids.Projects) });
      assert.equal(r.folder.title, 'Projects');
    });
  });

  describe('get_my_folder', () => {
    it('show=documents with sortBy title descending', async () => {
      const r = await list(user, 'get_my_folder', {
        show: 'documents',
        sortBy: 'title',
        sortOrder: 'descending',
      });
      assert.ok(r.items.length >= 2);
      assert.ok(
        r.items.every((e) => /\.(docx|txt|md|pdf)$/.test(e.title)),
        titles(r).join(),
      );
      assert.deepEqual(
        titles(r),
        [...titles(r)].sort((a, b) => b.localeCompare(a)),
      );
    });

    it('extension', async () => {
      const r = await list(user, 'get_my_folder', { extension: 'csv' });
      assert.deepEqual(titles(r), ['Contacts.csv']);
    });
  });

  describe('get_rooms_folder', () => {
    it('roomType, several at once', async () => {
      const r = await list(owner, 'get_rooms_folder', {
        roomType: ['public', 'virtual_data'],
        sortBy: 'title',
      });
      assert.deepEqual(titles(r), ['Due diligence', 'Public docs']);
    });

    it('searchArea archive, any and templates', async () => {
      const archive = await list(owner, 'get_rooms_folder', { searchArea: 'archive' });
      assert.equal(archive.folder.title, 'Archive');
      assert.deepEqual(titles(archive), ['Old project']);
      const any = await list(owner, 'get_rooms_folder', { searchArea: 'any' });
      assert.ok(titles(any).includes('Old project') && titles(any).includes('Projects'));
      assert.deepEqual(titles(await list(owner, 'get_rooms_folder', { searchArea: 'templates' })), []);
    });

    it('subjectId', async () => {
      const guest = h.emu.info.users.find((u) => u.role === 'guest')?.id as string;
      const r = await list(owner, 'get_rooms_folder', { subjectId: guest, sortBy: 'title' });
      assert.deepEqual(titles(r), ['Projects', 'Team collaboration']);
    });

    it('tags and withoutTags', async () => {
      assert.deepEqual(titles(await list(owner, 'get_rooms_folder', { tags: ['planning'] })), ['Projects']);
      const untagged = await list(owner, 'get_rooms_folder', { withoutTags: true });
      assert.ok(untagged.items.length > 0 && !titles(untagged).includes('Projects'));
    });

    it('sortBy title descending', async () => {
      const r = await list(owner, 'get_rooms_folder', { sortBy: 'title', sortOrder: 'descending' });
      assert.deepEqual(
        titles(r),
        [...titles(r)].sort((a, b) => b.localeCompare(a)),
      );
    });
  });

  describe('get_room_security_info', () => {
    it('show primaryLinks, additionalLinks and invitationLinks', async () => {
      const room = data<Entry>(await owner.call('create_room', { title: 'Links room', roomType: 'custom' }));
      data(await owner.call('create_share_link', { roomId: room.id, title: 'First' }));
      data(await owner.call('create_share_link', { roomId: room.id, title: 'Second' }));
      const primary = data<{ items: Entry[] }>(
        await owner.call('get_room_security_info', { roomId: room.id, show: 'primaryLinks' }),
      );
      assert.deepEqual(titles(primary), ['First']);
      const additional = data<{ items: Entry[] }>(
        await owner.call('get_room_security_info', { roomId: room.id, show: 'additionalLinks' }),
      );
      assert.deepEqual(titles(additional), ['Second']);
      const invites = data<{ items: Entry[] }>(
        await owner.call('get_room_security_info', { roomId: room.id, show: 'invitationLinks' }),
      );
      assert.deepEqual(titles(invites), []);
    });
  });

  describe('get_all_people', () => {
    it('sortBy email descending', async () => {
      const r = data<{ items: Entry[] }>(
        await owner.call('get_all_people', { sortBy: 'email', sortOrder: 'descending' }),
      );
      const emails = r.items.map((p) => String(p.email));
      assert.deepEqual(emails, [...emails].sort().reverse());
    });

    it('filterSeparator makes the search terms alternatives', async () => {
      const r = data<{ items: Entry[] }>(
        await owner.call('get_all_people', { search: 'olivia|uma', filterSeparator: '|' }),
      );
      assert.deepEqual(r.items.map((p) => p.email).sort(), ['owner@example.com', 'user@example.com']);
      const none = data<{ items: Entry[] }>(await owner.call('get_all_people', { search: 'olivia|uma' }));
      assert.deepEqual(none.items, []);
    });
  });

  describe('string ids', () => {
    it('a third-party id reaches DocSpace (not refused as an argument)', async () => {
      const r = await owner.call('get_file_info', { fileId: 'box-3-|Reports/q1.docx' });
      assert.equal(r.isError, true);
      assert.doesNotMatch(text(r), /Invalid argument/);
      assert.match(text(r), /box-3-\|Reports\/q1\.docx/);
      const copy = await owner.call('copy_batch_items', {
        fileIds: ['box-3-|Reports/q1.docx'],
        destFolderId: ids.Projects,
      });
      assert.doesNotMatch(text(copy), /Invalid argument/);
    });
  });

  describe('reading PDFs and older formats as text', () => {
    it('a PDF, a presentation and an RTF document read as text', async () => {
      const due = await list(owner, 'get_folder_content', { folderId: ids['Due diligence'] });
      const pdf = due.items.find((e) => e.title === 'Audit report.pdf') as Entry;
      const got = data<{ text: string; format: string }>(
        await owner.call('download_file_as_text', { fileId: pdf.id }),
      );
      assert.match(got.text, /true and fair view/);
      assert.equal(got.format, '.txt');
      const projects = await list(owner, 'get_folder_content', { folderId: ids.Projects });
      const deck = projects.items.find((e) => e.title === 'Kickoff.pptx') as Entry;
      const slides = data<{ text: string }>(await owner.call('download_file_as_text', { fileId: deck.id }));
      assert.ok(slides.text.length > 0);
      const rtf = data<Entry>(
        await owner.call('upload_file', {
          parentId: ids.Projects,
          filename: 'Menu.rtf',
          content: "{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\f0 Caf\\'e9 menu\\par Soup of the day\\par}",
        }),
      );
      const menu = data<{ text: string }>(await owner.call('download_file_as_text', { fileId: rtf.id }));
      assert.equal(menu.text, 'Café menu\nSoup of the day');
    });
  });

  describe('roles a room type does not allow', () => {
    it('says the role is not available in that room type and which are', async () => {
      const uma = h.emu.info.users.find((u) => u.role === 'user')?.id as string;
      const r = await owner.call('set_room_security', {
        roomId: ids['Public docs'],
        invitations: [{ id: uma, access: 'editor' }],
      });
      assert.equal(r.isError, true);
      assert.match(text(r), /not available in a public room/);
      assert.match(text(r), /allows: room_manager, content_creator/);
      assert.doesNotMatch(text(r), /Access denied|rights/);
    });
  });
});
