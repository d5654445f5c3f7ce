import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../../../emulator/index.js';
import type { DocSpaceClient, FileDto } from '../../../src/docspace/index.js';
import { clientFor, emulator, failure } from './helpers.js';

function pattern(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7) % 256;
  return b;
}

describe('upload, download and conversion against the emulator', () => {
  let emu: Emulator;
  let ds: DocSpaceClient;
  let myId: number;
  before(async () => {
    emu = await emulator();
    // Small limits so a few kilobytes exercise the chunked path.
    ds = clientFor(emu, 'user', { upload: { chunkSize: 4096, singleRequestLimit: 8192 } });
    myId = Number((await ds.folders.my()).current.id);
  });
  after(() => emu.close());

  it('uploads a small file in one request and downloads the same bytes', async () => {
    const data = pattern(3000);
    const file = await ds.files.upload({ folderId: myId, fileName: 'small.bin', data });
    assert.equal(file.title, 'small.bin');
    assert.equal(file.pureContentLength, 3000);
    const got = await ds.files.download(file.id, { maxBytes: 10_000 });
    assert.deepEqual(Buffer.from(got.bytes), Buffer.from(data));
  });

  it('uploads a large stream in chunks, reporting progress, and downloads it intact', async () => {
    const data = pattern(4096 * 5 + 123);
    const stream = new ReadableStream<Uint8Array>({
      start(ctl) {
        for (let i = 0; i < data.byteLength; i += 1500) ctl.enqueue(data.slice(i, i + 1500));
        ctl.close();
      },
    });
    const progress: number[] = [];
    const file = await ds.files.upload({
      folderId: myId,
      fileName: 'large.bin',
      data: stream,
      size: data.byteLength,
      onProgress: (sent) => progress.push(sent),
    });
    assert.equal(file.title, 'large.bin');
    assert.equal(progress.length, 6);
    assert.equal(progress.at(-1), data.byteLength);
    const got = await ds.files.download(file.id, { maxBytes: 1_000_000 });
    assert.deepEqual(Buffer.from(got.bytes), Buffer.from(data));
  });

  it('uploading the same name twice keeps both files', async () => {
    const a = await ds.files.upload({
      folderId: myId,
      fileName: 'twice.txt',
      data: new TextEncoder().encode('one'),
    });
    const b = await ds.files.upload({
      folderId: myId,
      fileName: 'twice.txt',
      data: new TextEncoder().encode('two'),
    });
    assert.notEqual(a.id, b.id);
  });

  it('reads a document as text through conversion', async () => {
    const report = (await ds.folders.my({ search: 'Report' })).files[0] as FileDto;
    const progress: number[] = [];
    const got = await ds.files.text(report.id, { maxBytes: 100_000, onProgress: (p) => progress.push(p) });
    assert.equal(got.converted, true);
    assert.equal(got.format, '.txt');
    assert.match(got.text, /Sales grew 14 percent/);
    assert.equal(progress.at(-1), 100);
  });

  it('reads a spreadsheet as CSV and a text file as is', async () => {
    const owner = clientFor(emu, 'owner');
    const budget = (await owner.folders.my({ search: 'Personal budget' })).files[0] as FileDto;
    const csv = await owner.files.text(budget.id, { maxBytes: 100_000 });
    assert.equal(csv.format, '.csv');
    assert.match(csv.text, /January,900/);
    const notes = (await ds.folders.my({ search: 'My notes' })).files[0] as FileDto;
    const txt = await ds.files.text(notes.id, { maxBytes: 100_000 });
    assert.equal(txt.converted, false);
    assert.match(txt.text, /Buy milk/);
  });

  it('refuses to read more than the cap, or cuts when asked', async () => {
    const file = await ds.files.upload({
      folderId: myId,
      fileName: 'long.txt',
      data: new Uint8Array(5000).fill(65),
    });
    const e = await failure(ds.files.text(file.id, { maxBytes: 1000 }));
    assert.equal(e.code, 'too_large');
    const cut = await ds.files.text(file.id, { maxBytes: 1000, truncate: true });
    assert.equal(cut.text.length, 1000);
    assert.equal(cut.truncated, true);
  });
});
