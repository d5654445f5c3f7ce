// Whatever a client sends, the emulator answers in DocSpace's error shape and keeps running.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type FolderContent, Harness } from './harness.js';

describe('emulator: bad input', () => {
  let h: Harness;
  let my: number;
  before(async () => {
    h = await Harness.start();
    my = (await h.get<FolderContent>('files/@my', 'owner')).body.response.current.id as number;
  });
  after(() => h.close());

  it('answers malformed JSON with a validation problem', async () => {
    const r = await h.call<{ title: string; status: number; errors: Record<string, string[]> }>(
      'POST',
      `files/folder/${my}`,
      {
        as: 'owner',
        headers: { 'Content-Type': 'application/json' },
        body: '{"title": ',
      },
    );
    assert.equal(r.status, 400);
    assert.equal(r.body.status, 1);
    assert.equal(r.body.statusCode, 400);
    assert.equal(r.body.response.title, 'One or more validation errors occurred.');
    assert.ok(Object.keys(r.body.response.errors).length > 0);
  });

  it('answers wrong types and missing fields with the field named', async () => {
    const wrong = await h.call<{ errors: Record<string, string[]> }>('POST', `files/folder/${my}`, {
      as: 'owner',
      json: { title: 5 },
    });
    assert.equal(wrong.status, 400);
    assert.ok(wrong.body.response.errors['$.title']);
    const missing = await h.call<{ errors: Record<string, string[]> }>('POST', `files/folder/${my}`, {
      as: 'owner',
      json: {},
    });
    assert.ok(missing.body.response.errors.Title);
    const long = await h.call<{ errors: Record<string, string[]> }>('POST', `files/folder/${my}`, {
      as: 'owner',
      json: { title: 'x'.repeat(166) },
    });
    assert.deepEqual(long.body.response.errors.Title, [
      'The field Title must be a string with a maximum length of 165.',
    ]);
  });

  it('reads numbers from strings like DocSpace, but not words', async () => {
    const ok = await h.call<{ id: string }[]>('PUT', 'files/fileops/copy', {
      as: 'owner',
      json: { fileIds: ['1'], destFolderId: String(my) },
    });
    assert.equal(ok.status, 200);
    const bad = await h.call('PUT', 'files/fileops/copy', {
      as: 'owner',
      json: { fileIds: ['abc'], destFolderId: my },
    });
    assert.equal(bad.status, 400);
  });

  it('answers 404 for non-numeric and unknown ids', async () => {
    for (const path of [
      'files/file/abc',
      'files/file/-1',
      'files/folder/99999',
      'files/99999',
      'files/file/99999/history',
    ]) {
      const r = await h.get(path, 'owner');
      assert.equal(r.status, 404, path);
      assert.equal(r.body.status, 1, path);
      assert.equal(typeof r.body.error?.message, 'string', path);
    }
  });

  it('refuses oversized bodies without reading them whole', async () => {
    const r = await h.call('POST', `files/folder/${my}`, {
      as: 'owner',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'x', pad: 'y'.repeat(2 * 1024 * 1024) }),
    });
    assert.equal(r.status, 413);
    assert.equal(r.body.statusCode, 413);
  });

  it('answers unknown API routes with 404 and keeps serving', async () => {
    const r = await h.get('files/nothing/here/at/all', 'owner');
    assert.equal(r.status, 404);
    assert.equal((await h.get('people/@self', 'owner')).status, 200);
  });

  it('rejects a non-multipart upload', async () => {
    const r = await h.call('POST', `files/${my}/insert`, { as: 'owner', json: { file: 'x' } });
    assert.equal(r.status, 400);
    assert.equal(r.body.status, 1);
  });
});
