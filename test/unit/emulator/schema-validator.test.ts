// The contract tests' validator must catch what it is there to catch.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadExtract, Validator } from '../../integration/emulator/schema.js';

const v = new Validator(loadExtract().schemas);

describe('contract-test schema validator', () => {
  it('accepts a minimal folder and rejects unknown fields across allOf parts', () => {
    const folder = {
      id: 1,
      title: 'x',
      parentId: 0,
      fileEntryType: 1,
      type: 5,
      created: '2026-01-05T09:00:00.0000000Z',
    };
    assert.deepEqual(v.validate(folder, 'FolderDtoInteger'), []);
    assert.deepEqual(v.validate({ ...folder, bogus: 1 }, 'FolderDtoInteger'), ['$.bogus: not in the schema']);
  });

  it('wants enums as numbers and dates as DocSpace writes them', () => {
    assert.equal(v.validate({ id: 1, roomType: 'PublicRoom' }, 'FolderDtoInteger').length, 1);
    assert.equal(v.validate({ id: 1, roomType: 7 }, 'FolderDtoInteger').length, 1);
    assert.equal(v.validate({ id: 1, created: { utcTime: 'x' } }, 'FolderDtoInteger').length, 1);
    assert.equal(v.validate({ id: 1, created: '2026-01-05' }, 'FolderDtoInteger').length, 1);
  });

  it('checks required fields, types and uuids', () => {
    const errors = v.validate({ id: 'not-a-guid', progress: '5' }, 'FileOperationDto');
    assert.ok(errors.includes('$.Operation: required'));
    assert.ok(errors.some((e) => e.startsWith('$.progress: expected an integer')));
    assert.ok(v.validate({ id: 'nope' }, 'EmployeeDto').some((e) => e.includes('uuid')));
  });

  it('accepts a file where a FileEntryBaseDto is declared (x-derived-types)', () => {
    const file = {
      id: 3,
      title: 'a.txt',
      folderId: 1,
      version: 1,
      fileEntryType: 2,
      fileType: 7,
      fileExst: '.txt',
    };
    assert.deepEqual(
      v.validate([file], { type: 'array', items: { $ref: '#/components/schemas/FileEntryBaseDto' } }),
      [],
    );
  });
});
