// Calls shaped as the reference server (ONLYOFFICE docspace-mcp) takes them: every one of its 23
// tools, with its `filters` object and DocSpace's numbers, against the server as the CLI starts
// it. Filters must take effect (never be dropped), and what cannot be mapped is refused by name.
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

describe('reference-shaped calls', () => {
  let h: Harness;
  let s: Session;
  let u: Session;
  const ids: Record<string, number> = {};
  before(async () => {
    h = await Harness.start();
    s = await h.connect({ role: 'owner' });
    u = await h.connect({ role: 'user' });
    const rooms = data<Content>(await s.call('get_rooms_folder', {}));
    for (const r of rooms.items) ids[r.title] = r.id;
    const projects = data<Content>(await s.call('get_folder_content', { folderId: ids.Projects }));
    for (const e of projects.items) ids[e.title] = e.id;
    const my = data<Content>(await u.call('get_my_folder', {}));
    ids.my = my.folder.id;
    for (const e of my.items) ids[e.title] = e.id;
  });
  after(() => h.close());

  it('get_all_people: filters.count and filters.filterValue take effect', async () => {
    const two = data<{ items: Entry[]; total: number }>(
      await s.call('get_all_people', { filters: { count: 2, fields: [] } }),
    );
    assert.equal(two.items.length, 2);
    assert.ok(two.total > 2);
    const uma = data<{ items: Entry[] }>(await s.call('get_all_people', { filters: { filterValue: 'uma' } }));
    assert.deepEqual(
      uma.items.map((p) => p.email),
      ['user@example.com'],
    );
    const sorted = data<{ items: Entry[] }>(
      await s.call('get_all_people', { filters: { sortBy: 'email', sortOrder: 1, filterSeparator: ',' } }),
    );
    const emails = sorted.items.map((p) => String(p.email));
    assert.deepEqual(emails, [...emails].sort().reverse());
  });

  it('get_rooms_folder: filters.type (several RoomType numbers) takes effect', async () => {
    const r = data<Content>(await s.call('get_rooms_folder', { filters: { type: [2, 5], fields: [] } }));
    assert.ok(r.items.length > 0);
    for (const room of r.items)
      assert.ok(['collaboration', 'custom'].includes(String(room.roomType)), room.title);
    const archived = data<Content>(await s.call('get_rooms_folder', { filters: { searchArea: 'Archive' } }));
    assert.equal(archived.folder.title, 'Archive');
    assert.deepEqual(
      archived.items.map((x) => x.title),
      ['Old project'],
    );
  });

  it('get_folder_content and get_my_folder: count, sort, filterType and ByExtension take effect', async () => {
    const page = data<Content>(
      await s.call('get_folder_content', {
        folderId: ids.Projects,
        filters: {
          count: 2,
          startIndex: 0,
          sortBy: 'AZ',
          sortOrder: 0,
          fields: ['files.title', 'current.id'],
        },
      }),
    );
    assert.equal(page.items.length, 2);
    assert.equal(page.nextStartIndex, 2);
    const files = data<Content>(
      await s.call('get_folder_content', { folderId: ids.Projects, filters: { filterType: 5 } }),
    );
    assert.deepEqual(
      files.items.map((x) => x.title),
      ['Budget.xlsx'],
    );
    const byExt = data<Content>(
      await u.call('get_my_folder', {
        filters: { filterType: 11, filterValue: '.csv', applyFilterOption: 'Files' },
      }),
    );
    assert.deepEqual(
      byExt.items.map((x) => x.title),
      ['Contacts.csv'],
    );
  });

  it('get_room_security_info: filters.filterType (ShareFilterType) takes effect', async () => {
    const users = data<{ items: Entry[] }>(
      await s.call('get_room_security_info', {
        roomId: ids.Projects,
        filters: { filterType: 16, count: 50 },
      }),
    );
    assert.ok(users.items.length > 0);
    for (const m of users.items) assert.equal(m.kind, 'user');
  });

  it('info, create, rename and update tools accept filters.fields', async () => {
    const file = data<Entry>(
      await u.call('get_file_info', { fileId: ids['Report.docx'], filters: { fields: ['createdBy'] } }),
    );
    assert.ok(file.createdBy, 'createdBy was asked for');
    data(await u.call('get_folder_info', { folderId: ids.my, filters: { fields: [] } }));
    const folder = data<Entry>(
      await u.call('create_folder', { parentId: ids.my, title: 'Ref folder', filters: { fields: [] } }),
    );
    data(
      await u.call('rename_folder', { folderId: folder.id, title: 'Ref folder 2', filters: { fields: [] } }),
    );
    const room = data<Entry>(
      await s.call('create_room', { title: 'Ref room', roomType: 6, filters: { fields: [] } }),
    );
    assert.equal(room.roomType, 'public');
    data(await s.call('get_room_info', { roomId: room.id, filters: { fields: ['tags'] } }));
    data(await s.call('update_room', { roomId: room.id, title: 'Ref room 2', filters: { fields: [] } }));
    data(await s.call('get_room_types', {}));
    data(await s.call('get_room_access_levels', { roomId: room.id }));
    const uma = h.emu.info.users.find((u) => u.role === 'user')?.id;
    const custom = data<Entry>(await s.call('create_room', { title: 'Ref custom', roomType: 5 }));
    const invited = data<{ members: Entry[] }>(
      await s.call('set_room_security', {
        roomId: custom.id,
        invitations: [{ id: uma, access: 2 }],
        notify: false,
        filters: { fields: [] },
      }),
    );
    assert.equal(invited.members[0]?.access, 'viewer');
    data(await s.call('archive_room', { roomId: custom.id }));
  });

  it('file tools take the reference’s shapes', async () => {
    const up = data<Entry>(
      await u.call('upload_file', { parentId: ids.my, filename: 'ref.txt', content: 'hello reference' }),
    );
    const read = data<{ text: string }>(await u.call('download_file_as_text', { fileId: up.id }));
    assert.equal(read.text, 'hello reference');
    data(await u.call('update_file', { fileId: up.id, title: 'ref2.txt' }));
    const dest = data<Entry>(await u.call('create_folder', { parentId: ids.my, title: 'Ref target' }));
    const copied = data<{ files: Entry[] }>(
      await u.call('copy_batch_items', { fileIds: [up.id], folderIds: [], destFolderId: dest.id }),
    );
    assert.equal(copied.files.length, 1);
    data(await u.call('move_batch_items', { fileIds: [up.id], destFolderId: dest.id }));
    data(await u.call('delete_file', { fileId: up.id }));
    data(await u.call('delete_folder', { folderId: dest.id }));
  });

  it('refuses what it cannot map, naming it and what is accepted', async () => {
    const badFilter = await s.call('get_all_people', { filters: { count: 2, employeeColour: 'red' } });
    assert.equal(badFilter.isError, true);
    assert.match(text(badFilter), /`filters\.employeeColour`/);
    assert.match(text(badFilter), /filterSeparator/);
    const unknown = await s.call('get_all_people', { colour: 'red' });
    assert.equal(unknown.isError, true);
    assert.match(text(unknown), /Unknown argument `colour`\. Accepted: search, .*count/);
    const roomFilter = await s.call('get_folder_content', {
      folderId: ids.Projects,
      filters: { filterType: 13 },
    });
    assert.equal(roomFilter.isError, true);
    assert.match(text(roomFilter), /filterType` 13 does not apply to folder contents/);
  });
});
