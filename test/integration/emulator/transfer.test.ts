// Uploads (chunked and single request), downloads and conversion to text.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type FolderContent, Harness, roomId } from './harness.js';

type FileDto = Record<string, unknown> & { id: number; title: string; fileExst: string; viewUrl: string };
type Session = {
  success: boolean;
  data: { id: string; location: string; bytes_total: number; path: number[] };
};
type Op = { id: string; url?: string; error: string; finished: boolean };

function chunk(bytes: Uint8Array, name = 'blob'): FormData {
  const form = new FormData();
  form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'text/plain' }), name);
  return form;
}

describe('emulator: upload, download, conversion', () => {
  let h: Harness;
  let my: number;
  before(async () => {
    h = await Harness.start();
    my = (await h.get<FolderContent>('files/@my', 'user')).body.response.current.id as number;
  });
  after(() => h.close());

  it('uploads in chunks through ChunkedUploader.ashx and keeps the exact bytes', async () => {
    const bytes = new Uint8Array(3000).map((_, i) => (i * 7) % 251);
    const s = await h.call<Session>('POST', `files/${my}/upload/create_session`, {
      as: 'user',
      json: {
        fileName: 'data.bin',
        fileSize: bytes.length,
        createOn: new Date().toISOString(),
        createNewIfExist: true,
      },
    });
    assert.equal(s.status, 200);
    assert.equal(s.body.response.success, true);
    const { location, bytes_total, path } = s.body.response.data;
    assert.equal(bytes_total, 3000);
    assert.equal(path.at(-1), my);
    assert.match(location, /\/ChunkedUploader\.ashx\?uid=/);

    const first = await fetch(location, {
      method: 'POST',
      headers: h.key('user'),
      body: chunk(bytes.slice(0, 1024)),
    });
    assert.equal(first.status, 200);
    assert.equal(((await first.json()) as { success: boolean }).success, true);
    const last = await fetch(location, {
      method: 'POST',
      headers: h.key('user'),
      body: chunk(bytes.slice(1024)),
    });
    assert.equal(last.status, 201);
    const done = (await last.json()) as {
      success: boolean;
      data: { id: number; uploaded: boolean; file: FileDto };
    };
    assert.equal(done.data.uploaded, true);
    assert.equal(done.data.file.title, 'data.bin');

    const dl = await fetch(done.data.file.viewUrl, { headers: h.key('user') });
    assert.equal(dl.status, 200);
    assert.deepEqual(new Uint8Array(await dl.arrayBuffer()), bytes);
  });

  it('answers chunk errors with HTTP 200 and success:false', async () => {
    const bad = await fetch(`${h.url}/ChunkedUploader.ashx?uid=nope`, {
      method: 'POST',
      headers: h.key('user'),
      body: chunk(new Uint8Array(4)),
    });
    assert.equal(bad.status, 200);
    assert.deepEqual(await bad.json(), {
      success: false,
      message: 'Not authorized or session with specified upload id already expired',
    });
    const s = await h.call<Session>('POST', `files/${my}/upload/create_session`, {
      as: 'user',
      json: { fileName: 'a.txt', fileSize: 4 },
    });
    const other = await fetch(s.body.response.data.location, {
      method: 'POST',
      headers: h.key('owner'),
      body: chunk(new Uint8Array(4)),
    });
    assert.equal(
      ((await other.json()) as { success: boolean }).success,
      false,
      'only the session owner may upload',
    );
  });

  it('refuses upload sessions where the caller cannot create files', async () => {
    const dd = await roomId(h, 'Due diligence', 'user');
    const r = await h.call('POST', `files/${dd}/upload/create_session`, {
      as: 'user',
      json: { fileName: 'x.txt', fileSize: 1 },
    });
    assert.equal(r.status, 403);
  });

  it('stores same-named uploads as new files or as new versions', async () => {
    const send = async (createNewIfExist: boolean, text: string) => {
      const s = await h.call<Session>('POST', `files/${my}/upload/create_session`, {
        as: 'user',
        json: { fileName: 'same.txt', fileSize: text.length, createNewIfExist },
      });
      const r = await fetch(s.body.response.data.location, {
        method: 'POST',
        headers: h.key('user'),
        body: chunk(new TextEncoder().encode(text)),
      });
      return ((await r.json()) as { data: { file: FileDto & { version: number } } }).data.file;
    };
    const a = await send(true, 'one');
    const b = await send(false, 'two');
    assert.equal(b.id, a.id);
    assert.equal(b.version, 2);
    const c = await send(true, 'three');
    assert.equal(c.title, 'same (1).txt');
  });

  it('accepts a single multipart insert', async () => {
    const form = chunk(new TextEncoder().encode('hello'), 'hello.txt');
    const r = await h.call<FileDto>('POST', `files/${my}/insert`, { as: 'user', body: form });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.response.title, 'hello.txt');
    assert.equal(r.body.response.pureContentLength, 5);
  });

  async function convert(fileId: number, ext: string): Promise<Op> {
    const r = await h.call<Op[]>('PUT', 'files/fileops/bulkdownload', {
      as: 'user',
      json: { fileConvertIds: [{ key: fileId, value: ext }] },
    });
    assert.equal(r.status, 200);
    return (await h.waitOp(r.body.response[0]?.id as string, 'user')) as Op;
  }

  it('offers .txt/.csv conversions in files/settings and converts docx and xlsx to text', async () => {
    const settings = await h.get<{ extsConvertible: Record<string, string[]> }>('files/settings', 'user');
    assert.ok(settings.body.response.extsConvertible['.docx']?.includes('.txt'));
    assert.ok(settings.body.response.extsConvertible['.xlsx']?.includes('.csv'));

    const projects = await roomId(h, 'Projects', 'user');
    const listing = (await h.get<FolderContent>(`files/${projects}`, 'user')).body.response
      .files as FileDto[];
    const plan = listing.find((f) => f.title === 'Project plan.docx') as FileDto;
    const op = await convert(plan.id, '.txt');
    assert.equal(op.error, '');
    assert.match(op.url ?? '', /filehandler\.ashx\?action=bulk/);
    const text = await (
      await fetch(op.url as string, { headers: { ...h.key('user'), Accept: 'text/plain' } })
    ).text();
    assert.match(text, /Phase 1: discovery\./);

    const budget = listing.find((f) => f.title === 'Budget.xlsx') as FileDto;
    const csv = await (
      await fetch((await convert(budget.id, '.csv')).url as string, { headers: h.key('user') })
    ).text();
    assert.match(csv, /Quarter,Planned,Actual/);
    assert.equal(
      (await fetch(op.url as string, { headers: h.key('owner') })).status,
      404,
      'results belong to their requester',
    );
  });

  it('fails the operation for conversions DocSpace does not offer', async () => {
    const projects = await roomId(h, 'Projects', 'user');
    const deck = (
      (await h.get<FolderContent>(`files/${projects}`, 'user')).body.response.files as FileDto[]
    ).find((f) => f.title === 'Kickoff.pptx') as FileDto;
    // Presentations convert to .txt since ONLYOFFICE Docs 9 (document-formats), never to .csv.
    const op = await convert(deck.id, '.csv');
    assert.notEqual(op.error, '');
    assert.equal(op.url, undefined);
  });

  it('zips several files into one download', async () => {
    const files = (await h.get<FolderContent>(`files/${my}`, 'user')).body.response.files
      .slice(0, 2)
      .map((f) => f.id);
    const r = await h.call<Op[]>('PUT', 'files/fileops/bulkdownload', {
      as: 'user',
      json: { fileIds: files },
    });
    const op = (await h.waitOp(r.body.response[0]?.id as string, 'user')) as Op;
    const res = await fetch(op.url as string, { headers: h.key('user') });
    assert.equal(res.headers.get('content-type'), 'application/zip');
    const head = new Uint8Array(await res.arrayBuffer()).slice(0, 2);
    assert.deepEqual([...head], [0x50, 0x4b]);
  });

  it('protects downloads like the files themselves', async () => {
    const f = (await h.get<FolderContent>(`files/${my}`, 'user')).body.response.files[0] as FileDto;
    assert.equal((await fetch(f.viewUrl, { headers: h.key('admin') })).status, 403);
    assert.equal((await fetch(f.viewUrl)).status, 401);
  });

  it('replaces content as a new version and still serves the old one', async () => {
    const created = await h.call<FileDto & { version: number }>('POST', `files/${my}/text`, {
      as: 'user',
      json: { title: 'Versioned', content: 'first' },
    });
    assert.equal(created.body.response.title, 'Versioned.txt');
    const id = created.body.response.id;
    const form = chunk(new TextEncoder().encode('second'), 'Versioned.txt');
    const updated = await h.call<FileDto & { version: number }>('PUT', `files/${id}/update`, {
      as: 'user',
      body: form,
    });
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.body.response.version, 2);
    const latest = await fetch(`${h.url}/filehandler.ashx?action=download&fileid=${id}`, {
      headers: h.key('user'),
    });
    assert.equal(await latest.text(), 'second');
    const old = await fetch(`${h.url}/filehandler.ashx?action=download&fileid=${id}&version=1`, {
      headers: h.key('user'),
    });
    assert.equal(await old.text(), 'first');
    const v1 = await h.get<{ version: number; pureContentLength: number }>(
      `files/file/${id}?version=1`,
      'user',
    );
    assert.equal(v1.body.response.version, 1);
    assert.equal(v1.body.response.pureContentLength, 5);
  });
});
