import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../../../emulator/index.js';
import type { DocSpaceClient, FolderContentDto } from '../../../src/docspace/index.js';
import { clientFor, emulator, failure } from './helpers.js';

function titles(c: FolderContentDto): string[] {
  return [...c.folders, ...c.files].map((e) => e.title);
}

describe('folders and files against the emulator', () => {
  let emu: Emulator;
  let ds: DocSpaceClient;
  let myId: number;
  before(async () => {
    emu = await emulator();
    ds = clientFor(emu, 'user');
    myId = Number((await ds.folders.my()).current.id);
  });
  after(() => emu.close());

  it('lists My documents with paging and search', async () => {
    const mine = await ds.folders.my();
    assert.equal(mine.current.type, 5, 'My documents is FolderType 5');
    assert.ok(titles(mine).includes('Report.docx'));
    const page = await ds.folders.my({ count: 2, startIndex: 0 });
    assert.equal(page.files.length + page.folders.length, 2);
    assert.ok((page.total ?? 0) > 2);
    const found = await ds.folders.content(myId, { search: 'Report' });
    assert.deepEqual(
      found.files.map((f) => f.title),
      ['Report.docx'],
    );
  });

  it('creates, renames, reads and deletes a folder (to Trash)', async () => {
    const made = await ds.folders.create(myId, 'Integration');
    assert.equal(made.title, 'Integration');
    const renamed = await ds.folders.rename(made.id, 'Integration renamed');
    assert.equal(renamed.title, 'Integration renamed');
    assert.equal((await ds.folders.info(made.id)).parentId, myId);
    const progress: number[] = [];
    await ds.folders.delete(made.id, { onProgress: (p) => progress.push(p) });
    assert.equal(progress.at(-1), 100);
    assert.ok(!titles(await ds.folders.my()).includes('Integration renamed'));
    assert.ok(titles(await ds.folders.trash()).includes('Integration renamed'));
  });

  it('creates a document, renames it and reads its versions', async () => {
    const file = await ds.files.create(myId, 'Minutes.docx');
    assert.equal(file.fileExst, '.docx');
    const renamed = await ds.files.update(file.id, { title: 'Board minutes.docx' });
    assert.equal(renamed.title, 'Board minutes.docx');
    const report = (await ds.folders.my({ search: 'Report' })).files[0];
    assert.ok(report);
    const versions = await ds.files.versions(report.id);
    assert.deepEqual(versions.map((v) => v.version).sort(), [1, 2]);
    const restored = await ds.files.restoreVersion(report.id, 1);
    assert.equal(restored.id, report.id);
    assert.ok((restored.version ?? 0) >= 2);
  });

  it('copies and moves files between folders, waiting for the operation', async () => {
    const dest = await ds.folders.create(myId, 'Copies');
    const notes = (await ds.folders.my({ search: 'My notes' })).files[0];
    assert.ok(notes);
    const copied = await ds.files.copy({ fileIds: [notes.id], destFolderId: dest.id });
    assert.equal(copied[0]?.finished, true);
    assert.deepEqual(titles(await ds.folders.content(dest.id)), ['My notes.txt']);
    const moved = await ds.folders.create(myId, 'Moved here');
    await ds.files.move({ fileIds: [notes.id], destFolderId: moved.id });
    assert.deepEqual(titles(await ds.folders.content(moved.id)), ['My notes.txt']);
    assert.ok(!(await ds.folders.my()).files.some((f) => f.id === notes.id));
  });

  it('deletes a file to Trash', async () => {
    const file = await ds.files.createText(myId, 'scratch.txt', 'temporary');
    await ds.files.delete(file.id);
    assert.ok((await ds.folders.trash()).files.some((f) => f.id === file.id));
  });

  it('names the missing file in the error', async () => {
    const e = await failure(ds.files.info(999_999));
    assert.equal(e.code, 'not_found');
    assert.match(e.message, /File 999999 was not found, or you cannot see it/);
  });

  it('lists recent files and searches below a folder', async () => {
    const hits = await ds.files.search('Diary');
    assert.deepEqual(
      hits.files.map((f) => f.title),
      ['Diary.md'],
    );
    const recent = await ds.files.recent();
    assert.ok(Array.isArray(recent.files));
  });

  it('creates and lists external links of a file', async () => {
    const file = await ds.files.createText(myId, 'shared.txt', 'share me');
    const link = await ds.files.setLink(file.id, { access: 2, title: 'Readers' });
    assert.equal(link.access, 2);
    assert.match(link.sharedLink?.shareLink ?? '', /^http/);
    const links = await ds.files.links(file.id);
    assert.ok(links.some((l) => l.sharedLink?.id === link.sharedLink?.id));
  });
});
