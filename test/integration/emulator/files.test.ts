import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type FolderContent, Harness, roomId } from './harness.js';

type FileDto = Record<string, unknown> & { id: number; title: string; version: number; folderId: number };
type Op = {
  id: string;
  Operation: number;
  progress: number;
  error: string;
  finished: boolean;
  files?: FileDto[];
};

describe('emulator: files and file operations', () => {
  let h: Harness;
  let my: number;
  before(async () => {
    h = await Harness.start();
    my = (await h.get<FolderContent>('files/@my', 'user')).body.response.current.id as number;
  });
  after(() => h.close());

  async function file(title: string, folder = my, as: 'user' | 'owner' = 'user'): Promise<FileDto> {
    const r = await h.get<FolderContent>(`files/${folder}`, as);
    const f = r.body.response.files.find((x) => x.title === title);
    if (!f) throw new Error(`${title} not found`);
    return f as FileDto;
  }

  it('returns file info and 404 for unknown files', async () => {
    const f = await file('Report.docx');
    const r = await h.get<FileDto>(`files/file/${f.id}`, 'user');
    assert.equal(r.body.response.title, 'Report.docx');
    assert.equal(
      r.body.response.pureContentLength,
      (
        await (
          await fetch(`${h.url}/filehandler.ashx?action=download&fileid=${f.id}`, { headers: h.key('user') })
        ).arrayBuffer()
      ).byteLength,
    );
    const missing = await h.get('files/file/999999', 'user');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error?.message, 'The required file was not found');
    assert.equal((await h.get(`files/file/${f.id}`, 'admin')).status, 403);
  });

  it('renames a file and keeps its extension', async () => {
    const f = await file('My notes.txt');
    const r = await h.call<FileDto>('PUT', `files/file/${f.id}`, { as: 'user', json: { title: 'Shopping' } });
    assert.equal(r.body.response.title, 'Shopping.txt');
  });

  it('lists versions and restores an old one as a new version', async () => {
    const f = await file('Report.docx');
    const history = await h.get<FileDto[]>(`files/file/${f.id}/history`, 'user');
    assert.deepEqual(
      history.body.response.map((v) => v.version),
      [2, 1],
    );
    const restored = await h.call<{ version: number }[]>(
      'POST',
      `files/file/${f.id}/restoreversion?version=1`,
      { as: 'user' },
    );
    assert.equal(restored.status, 200);
    assert.equal(restored.body.response[0]?.version, 3);
    const same = await h.call('PUT', `files/file/${f.id}`, { as: 'user', json: { lastVersion: 3 } });
    assert.equal(same.status, 400);
    assert.equal(same.body.error?.message, 'The new version cannot be the same as the current one');
  });

  it('creates a new office file from a title and appends .docx to unknown types', async () => {
    const r = await h.call<FileDto>('POST', `files/${my}/file`, { as: 'user', json: { title: 'Plan.xlsx' } });
    assert.equal(r.body.response.fileExst, '.xlsx');
    assert.ok((r.body.response.pureContentLength as number) > 100);
    const odd = await h.call<FileDto>('POST', 'files/@my/file', { as: 'user', json: { title: 'Memo' } });
    assert.equal(odd.body.response.title, 'Memo.docx');
  });

  it('copies with duplicate names, moves, and reports the results on the operation', async () => {
    const projects = await roomId(h, 'Projects', 'user');
    const plan = await file('Project plan.docx', projects, 'user');
    const copy = await h.call<Op[]>('PUT', 'files/fileops/copy', {
      as: 'user',
      json: {
        fileIds: [plan.id],
        folderIds: [],
        destFolderId: my,
        conflictResolveType: 2,
        deleteAfter: false,
      },
    });
    assert.equal(copy.status, 200);
    const started = copy.body.response[0];
    assert.ok(started);
    assert.equal(started.Operation, 1);
    assert.equal(started.finished, false);
    const done = (await h.waitOp(started.id, 'user')) as Op;
    assert.equal(done.progress, 100);
    assert.equal(done.files?.[0]?.title, 'Project plan.docx');
    const again = await h.call<Op[]>('PUT', 'files/fileops/copy', {
      as: 'user',
      json: { fileIds: [String(plan.id)], destFolderId: String(my), conflictResolveType: 'Duplicate' },
    });
    const second = (await h.waitOp(again.body.response[0]?.id as string, 'user')) as Op;
    assert.equal(second.files?.[0]?.title, 'Project plan (1).docx');

    const mine = await file('Project plan (1).docx');
    const move = await h.call<Op[]>('PUT', 'files/fileops/move', {
      as: 'user',
      json: { fileIds: [mine.id], destFolderId: projects, conflictResolveType: 2 },
    });
    await h.waitOp(move.body.response[0]?.id as string, 'user');
    assert.equal((await h.get<FileDto>(`files/file/${mine.id}`, 'user')).body.response.folderId, projects);
  });

  it('reports per-item errors on the operation instead of failing the request', async () => {
    const dueDiligence = await roomId(h, 'Due diligence', 'user');
    const contract = await file('Contract.docx', dueDiligence, 'user');
    const r = await h.call<Op[]>('PUT', 'files/fileops/move', {
      as: 'user',
      json: { fileIds: [contract.id], destFolderId: my },
    });
    assert.equal(r.status, 200);
    const op = (await h.waitOp(r.body.response[0]?.id as string, 'user')) as Op;
    assert.equal(op.error, 'Access denied', 'a viewer cannot move files out of a room');
    const toRoom = await h.call<Op[]>('PUT', 'files/fileops/copy', {
      as: 'user',
      json: { fileIds: [contract.id], destFolderId: dueDiligence },
    });
    const op2 = (await h.waitOp(toRoom.body.response[0]?.id as string, 'user')) as Op;
    assert.equal(op2.error, "You don't have enough permission to create");
  });

  it('reports a finished operation once, and never when deleteAfter is true', async () => {
    const created = await h.call<FileDto>('POST', `files/${my}/file`, {
      as: 'user',
      json: { title: 'Temp.txt' },
    });
    const del = await h.call<Op[]>('DELETE', `files/file/${created.body.response.id}`, {
      as: 'user',
      json: { deleteAfter: true, immediately: false },
    });
    const id = del.body.response[0]?.id;
    await new Promise((r) => setTimeout(r, 150));
    const list = await h.get<Op[]>('files/fileops', 'user');
    assert.ok(!list.body.response.some((o) => o.id === id));
    const trash = await h.get<FolderContent>('files/@trash', 'user');
    assert.ok(trash.body.response.files.some((f) => f.title === 'Temp.txt'));

    const other = await h.call<FileDto>('POST', `files/${my}/file`, {
      as: 'user',
      json: { title: 'Temp2.txt' },
    });
    const del2 = await h.call<Op[]>('DELETE', `files/file/${other.body.response.id}`, {
      as: 'user',
      json: {},
    });
    const id2 = del2.body.response[0]?.id as string;
    await h.waitOp(id2, 'user');
    const after = await h.get<Op[]>('files/fileops', 'user');
    assert.ok(!after.body.response.some((o) => o.id === id2), 'dequeued after it was reported');
  });

  it('lets a room viewer read but not edit, rename or delete', async () => {
    const dd = await roomId(h, 'Due diligence', 'user');
    const f = await file('Audit report.pdf', dd, 'user');
    const info = await h.get<FileDto & { security: Record<string, boolean>; access: number }>(
      `files/file/${f.id}`,
      'user',
    );
    assert.equal(info.body.response.access, 2);
    assert.equal(info.body.response.security.Edit, false);
    assert.equal(info.body.response.security.Read, true);
    const rename = await h.call('PUT', `files/file/${f.id}`, { as: 'user', json: { title: 'Mine.pdf' } });
    assert.equal(rename.status, 403);
    const create = await h.call('POST', `files/folder/${dd}`, { as: 'user', json: { title: 'x' } });
    assert.equal(create.status, 403);
  });

  it('keeps favourites and recent files per user', async () => {
    const f = await file('Report.docx');
    assert.equal(
      (await h.call<boolean>('POST', 'files/favorites', { as: 'user', json: { fileIds: [f.id, 424242] } }))
        .body.response,
      true,
    );
    const favs = await h.get<FolderContent>('files/@favorites', 'user');
    assert.deepEqual(
      favs.body.response.files.map((x) => x.id),
      [f.id],
    );
    await fetch(`${h.url}/filehandler.ashx?action=download&fileid=${f.id}`, { headers: h.key('user') });
    const recent = await h.get<FolderContent>('files/recent', 'user');
    assert.equal(recent.body.response.files[0]?.id, f.id);
  });

  it('shares files and folders by link with access and expiry, and revokes them', async () => {
    type Link = {
      access: number;
      sharedLink: { id: string; primary: boolean; isExpired: boolean; shareLink: string };
    };
    const f = await file('Report.docx');
    const primary = await h.get<Link>(`files/file/${f.id}/link`, 'user');
    assert.equal(primary.status, 200);
    assert.equal(primary.body.response.sharedLink.primary, true);
    assert.equal(primary.body.response.access, 2);
    assert.equal(
      (await h.get<Link>(`files/file/${f.id}/link`, 'user')).body.response.sharedLink.id,
      primary.body.response.sharedLink.id,
    );
    const expired = await h.call<Link>('PUT', `files/file/${f.id}/links`, {
      as: 'user',
      json: { access: 6, expirationDate: '2020-01-01T00:00:00.0000000Z', title: 'Old' },
    });
    assert.equal(expired.body.response.access, 6);
    assert.equal(expired.body.response.sharedLink.isExpired, true);
    const list = await h.get<Link[]>(`files/file/${f.id}/links`, 'user');
    assert.equal(list.body.total, 2);
    const revoke = await h.call('PUT', `files/file/${f.id}/links`, {
      as: 'user',
      json: { linkId: expired.body.response.sharedLink.id, access: 0 },
    });
    assert.equal(revoke.status, 200);
    assert.equal((await h.get<Link[]>(`files/file/${f.id}/links`, 'user')).body.total, 1);
    assert.equal(
      (await h.get(`files/file/${f.id}/links`, 'admin')).status,
      403,
      'others cannot see the links',
    );

    const folder = (await h.get<FolderContent>(`files/${my}`, 'user')).body.response.folders[0];
    const folderLink = await h.get<Link>(`files/folder/${folder?.id}/link`, 'user');
    assert.equal(folderLink.body.response.sharedLink.primary, true);
  });
});
