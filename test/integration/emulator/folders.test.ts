import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type FolderContent, Harness, roomId } from './harness.js';

const titles = (list: Record<string, unknown>[]) => list.map((e) => e.title);

describe('emulator: folders and listings', () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start();
  });
  after(() => h.close());

  it('shows My documents with breadcrumbs, counts and real file DTOs', async () => {
    const r = await h.get<FolderContent>('files/@my', 'user');
    assert.equal(r.status, 200);
    assert.equal(r.body.count, 1);
    const c = r.body.response;
    assert.equal(c.current.title, 'My documents');
    assert.equal(c.current.type, 5);
    assert.deepEqual(c.pathParts, [{ id: c.current.id, title: 'My documents', folderType: 5 }]);
    assert.equal(c.total, 5);
    assert.equal(c.count, 5);
    const report = c.files.find((f) => f.title === 'Report.docx');
    assert.ok(report);
    assert.equal(report.fileExst, '.docx');
    assert.equal(report.fileType, 7);
    assert.equal(report.version, 2);
    assert.equal(report.viewUrl, `${h.url}/filehandler.ashx?action=download&fileid=${report.id}`);
    assert.equal(report.fileEntryType, 2);
  });

  it('pages with startIndex/count and keeps folders before files', async () => {
    const first = await h.get<FolderContent>('files/@my?count=2&startIndex=0&sortBy=AZ&sortOrder=0', 'user');
    assert.deepEqual(titles(first.body.response.folders), ['Personal']);
    assert.deepEqual(titles(first.body.response.files), ['Contacts.csv']);
    assert.equal(first.body.response.total, 5);
    const rest = await h.get<FolderContent>('files/@my?count=100&startIndex=2&sortBy=AZ&sortOrder=0', 'user');
    assert.deepEqual(titles(rest.body.response.files), ['My notes.txt', 'Report.docx', 'Slides.pptx']);
    const bad = await h.get('files/@my?count=0', 'user');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.status, 1);
  });

  it('filters by type and searches titles in subfolders', async () => {
    const docs = await h.get<FolderContent>('files/@my?filterType=DocumentsOnly', 'user');
    assert.deepEqual(
      docs.body.response,
      (await h.get<FolderContent>('files/@my?filterType=3', 'user')).body.response,
    );
    assert.deepEqual(titles(docs.body.response.files).sort(), ['My notes.txt', 'Report.docx']);
    assert.deepEqual(docs.body.response.folders, []);
    const found = await h.get<FolderContent>('files/@my?filterValue=diary', 'user');
    assert.deepEqual(titles(found.body.response.files), ['Diary.md']);
    const flat = await h.get<FolderContent>('files/@my?filterValue=diary&withSubFolders=false', 'user');
    assert.deepEqual(found.body.response.total, 1);
    assert.equal(flat.body.response.total, 0);
  });

  it('trims the response to the requested fields', async () => {
    const r = await h.get<FolderContent>('files/@my?fields=files.id&fields=files.title&fields=total', 'user');
    assert.deepEqual(Object.keys(r.body.response).sort(), ['files', 'total']);
    assert.deepEqual(Object.keys(r.body.response.files[0] ?? {}).sort(), ['id', 'title']);
  });

  it('creates, renames and deletes a folder (Trash first, then for good)', async () => {
    const my = (await h.get<FolderContent>('files/@my', 'user')).body.response.current.id as number;
    const created = await h.call<{ id: number; title: string; parentId: number }>(
      'POST',
      `files/folder/${my}`,
      {
        as: 'user',
        json: { title: 'Work' },
      },
    );
    assert.equal(created.status, 200);
    assert.equal(created.body.response.parentId, my);
    const id = created.body.response.id;
    const renamed = await h.call<{ title: string }>('PUT', `files/folder/${id}`, {
      as: 'user',
      json: { title: 'Work 2' },
    });
    assert.equal(renamed.body.response.title, 'Work 2');

    const del = await h.call<{ id: string; Operation: number; finished: boolean }[]>(
      'DELETE',
      `files/folder/${id}`,
      {
        as: 'user',
        json: { deleteAfter: false, immediately: false },
      },
    );
    assert.equal(del.status, 200);
    const op = del.body.response[0];
    assert.ok(op);
    assert.equal(op.Operation, 2);
    assert.equal((await h.waitOp(op.id, 'user')).error, '');
    const trash = await h.get<FolderContent>('files/@trash', 'user');
    const trashed = trash.body.response.folders.find((f) => f.id === id);
    assert.ok(trashed, 'folder is in Trash');
    assert.equal(trashed.originId, my);
    assert.equal(trashed.rootFolderType, 3);

    const again = await h.call<{ id: string }[]>('DELETE', `files/folder/${id}`, {
      as: 'user',
      json: { immediately: true },
    });
    await h.waitOp(again.body.response[0]?.id as string, 'user');
    const gone = await h.get(`files/folder/${id}`, 'user');
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error?.message, 'The required folder was not found');
  });

  it('keeps My documents private, even from admins', async () => {
    const userMy = (await h.get<FolderContent>('files/@my', 'user')).body.response.current.id;
    const r = await h.get(`files/${userMy}`, 'admin');
    assert.equal(r.status, 403);
    assert.equal(r.body.error?.message, "You don't have enough permission to view the folder content");
    const create = await h.call('POST', `files/folder/${userMy}`, { as: 'owner', json: { title: 'x' } });
    assert.equal(create.status, 403);
  });

  it('shows nested folder paths inside rooms', async () => {
    const projects = await roomId(h, 'Projects');
    const room = await h.get<FolderContent>(`files/${projects}`, 'user');
    const specs = room.body.response.folders.find((f) => f.title === 'Specs');
    assert.ok(specs);
    const inside = await h.get<FolderContent>(`files/${specs.id}`, 'user');
    assert.deepEqual(
      inside.body.response.pathParts.map((p) => [p.title, p.folderType, p.roomType]),
      [
        ['Rooms', 14, undefined],
        ['Projects', 19, 5],
        ['Specs', 0, undefined],
      ],
    );
    assert.deepEqual(titles(inside.body.response.folders), ['Drafts']);
  });

  it('gives guests no personal folder', async () => {
    const r = await h.get('files/@my', 'guest');
    assert.equal(r.status, 403);
  });
});
