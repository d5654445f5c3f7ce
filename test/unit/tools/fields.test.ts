import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { project, selectorTree } from '../../../emulator/http/envelope.js';
import { contentResult } from '../../../src/tools/folders.js';
import {
  contentFields,
  FILE_FIELDS,
  FOLDER_FIELDS,
  fieldsFor,
  PERSON_FIELDS,
  projectFile,
  projectFolder,
  projectPerson,
} from '../../../src/tools/shape.js';

/** What DocSpace answers when asked for only `names`. */
function trimmed<T>(dto: T, names: readonly string[]): T {
  return project(dto, selectorTree(names)) as T;
}

// Every field a projection could read, and more it must not need.
const file = {
  id: 7,
  title: 'Plan.docx',
  folderId: 3,
  version: 2,
  versionGroup: 1,
  pureContentLength: 2048,
  contentLength: '2 KB',
  fileExst: '.docx',
  updated: '2026-01-01T00:00:00.0000000Z',
  created: '2025-12-01T00:00:00.0000000Z',
  webUrl: 'https://p/doceditor?fileid=7',
  viewUrl: 'https://p/filehandler.ashx?action=view&fileid=7',
  createdBy: { id: 'u1', displayName: 'Olivia', avatar: '/a.png' },
  security: { Edit: true, Delete: false },
  viewAccessibility: { WebView: true, CanConvert: true },
  shared: false,
};
const folder = {
  id: 3,
  title: 'Reports',
  parentId: 1,
  filesCount: 4,
  foldersCount: 1,
  updated: '2026-01-02T00:00:00.0000000Z',
  createdBy: { id: 'u1', displayName: 'Olivia' },
  security: { Create: true },
  isShareable: true,
  new: 0,
};
const room = { ...folder, id: 1, title: 'Team', roomType: 2, parentId: 0, tags: ['q1'], logo: { large: '' } };
const person = {
  id: 'u2',
  displayName: 'Rita Ng',
  firstName: 'Rita',
  lastName: 'Ng',
  email: 'rita@example.com',
  isOwner: false,
  isAdmin: false,
  isRoomAdmin: true,
  isVisitor: false,
  status: 1,
  activationStatus: 1,
  avatar: '/rita.png',
  groups: [{ id: 'g1', name: 'Sales' }],
};

describe('DocSpace fields sent for a projection', () => {
  it('give the same file, folder, room and person as the whole DTO', () => {
    assert.deepEqual(projectFile(trimmed(file, FILE_FIELDS)), projectFile(file));
    assert.deepEqual(projectFolder(trimmed(folder, FOLDER_FIELDS)), projectFolder(folder));
    assert.deepEqual(projectFolder(trimmed(room, FOLDER_FIELDS)), projectFolder(room));
    assert.deepEqual(projectPerson(trimmed(person, PERSON_FIELDS)), projectPerson(person));
  });

  it('carry the extra fields a caller asked for, once', () => {
    const names = fieldsFor(FILE_FIELDS, ['createdBy', 'id']);
    assert.equal(names.filter((n) => n === 'id').length, 1);
    assert.deepEqual(projectFile(trimmed(file, names), ['createdBy']), projectFile(file, ['createdBy']));
    assert.deepEqual(fieldsFor(['id'], ['title'], 'files.'), ['files.id', 'files.title']);
  });

  it('give the same folder listing, text and data, as the whole page', () => {
    const page = {
      files: [file, { ...file, id: 8, title: 'Notes.txt', pureContentLength: 12 }],
      folders: [folder],
      current: room,
      pathParts: [{ id: 1, title: 'Team', roomType: 2 }],
      startIndex: 0,
      count: 3,
      total: 7,
      new: 0,
    };
    const args = { startIndex: 0, fields: ['createdBy'] };
    const whole = contentResult(page, args, 'get_folder_content');
    const trim = contentResult(trimmed(page, contentFields(args.fields)), args, 'get_folder_content');
    assert.deepEqual(trim, whole);
    assert.match(whole.text, /"Team": Items 1–3 of 7\. More: call get_folder_content with startIndex=3\./);
  });

  it('leave out nothing when an empty list is dropped from the answer', () => {
    const page = { folders: [folder], current: room, total: 1 } as unknown as Parameters<
      typeof contentResult
    >[0];
    assert.equal(contentResult(page, { startIndex: 0 }, 'get_my_folder').data.items.length, 1);
  });
});
