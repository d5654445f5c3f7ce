import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDocSpaceClient, type DocSpaceError } from '../../../src/docspace/index.js';
import { BASE, fakeClock, fakeFetch, type Handler, ok } from '../../helpers/fake-docspace.js';

const KB = 1024;

function client(handler: Handler) {
  const f = fakeFetch(handler);
  const c = createDocSpaceClient({
    baseUrl: BASE,
    credential: { kind: 'apiKey', apiKey: 'sk-a' },
    fetch: f.fetch,
    clock: fakeClock(),
    upload: { chunkSize: 4 * KB, singleRequestLimit: 6 * KB },
  });
  return { c, calls: f.calls };
}

function bytes(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = i % 251;
  return b;
}

/** A chunked-upload portal that stores what it receives; `location` may point anywhere. */
function chunkPortal(location = `${BASE}/ChunkedUploader.ashx?uid=s-1`) {
  const received: Uint8Array[] = [];
  let declared = 0;
  const handler: Handler = async (call) => {
    if (call.url.pathname === '/api/2.0/files/77/upload/create_session') {
      declared = (call.body as { fileSize: number }).fileSize;
      return ok({ success: true, data: { id: 's-1', location, bytes_total: declared } });
    }
    if (call.url.pathname === '/ChunkedUploader.ashx') {
      const file = (call.body as FormData).get('file') as Blob;
      received.push(new Uint8Array(await file.arrayBuffer()));
      const total = received.reduce((s, r) => s + r.byteLength, 0);
      if (total < declared)
        return Response.json({ success: true, data: { id: 's-1', bytes_uploaded: total }, message: '' });
      return Response.json(
        {
          success: true,
          data: { id: 501, uploaded: true, file: { id: 501, title: 'big.bin', folderId: 77 } },
          message: '',
        },
        { status: 201 },
      );
    }
    return ok(null, { status: 404 });
  };
  return { handler, received };
}

describe('upload', () => {
  it('sends a small file in one insert request', async () => {
    const { c, calls } = client(() => ok({ id: 3, title: 'note.txt' }));
    const progress: number[] = [];
    const file = await c.files.upload({
      folderId: 77,
      fileName: 'note.txt',
      data: new TextEncoder().encode('hello'),
      onProgress: (sent) => progress.push(sent),
    });
    assert.equal(file.id, 3);
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.url.pathname, '/api/2.0/files/77/insert');
    const form = calls[0]?.body as FormData;
    assert.equal(await (form.get('file') as Blob).text(), 'hello');
    assert.equal(form.get('title'), 'note.txt');
    assert.deepEqual(progress, [5]);
  });

  it('sends a large file as a session of ordered chunks and returns the stored file', async () => {
    const p = chunkPortal();
    const { c, calls } = client(p.handler);
    const data = bytes(10 * KB + 100);
    const progress: number[] = [];
    const file = await c.files.upload({
      folderId: 77,
      fileName: 'big.bin',
      data,
      onProgress: (s) => progress.push(s),
    });
    assert.equal(file.id, 501);
    assert.deepEqual(
      calls.map((x) => `${x.method} ${x.url.pathname}`),
      [
        'POST /api/2.0/files/77/upload/create_session',
        'POST /ChunkedUploader.ashx',
        'POST /ChunkedUploader.ashx',
        'POST /ChunkedUploader.ashx',
      ],
    );
    assert.deepEqual(
      p.received.map((r) => r.byteLength),
      [4 * KB, 4 * KB, 2 * KB + 100],
    );
    assert.deepEqual(Buffer.concat(p.received), Buffer.from(data));
    assert.deepEqual(progress, [4 * KB, 8 * KB, 10 * KB + 100]);
    const session = calls[0]?.body as { fileName: string; fileSize: number; createNewIfExist: boolean };
    assert.equal(session.fileName, 'big.bin');
    assert.equal(session.fileSize, 10 * KB + 100);
    assert.equal(calls[1]?.headers.get('authorization'), 'Bearer sk-a');
  });

  it('reads a stream chunk by chunk', async () => {
    const p = chunkPortal();
    const { c } = client(p.handler);
    const data = bytes(9 * KB);
    const stream = new ReadableStream<Uint8Array>({
      start(ctl) {
        for (let i = 0; i < data.byteLength; i += 1000) ctl.enqueue(data.slice(i, i + 1000));
        ctl.close();
      },
    });
    await c.files.upload({ folderId: 77, fileName: 'big.bin', data: stream, size: data.byteLength });
    assert.deepEqual(
      p.received.map((r) => r.byteLength),
      [4 * KB, 4 * KB, KB],
    );
    assert.deepEqual(Buffer.concat(p.received), Buffer.from(data));
  });

  it('keeps chunks on the portal even when the session names another host', async () => {
    const p = chunkPortal('http://internal-node:8092/ChunkedUploader.ashx?uid=s-1');
    const { c, calls } = client(p.handler);
    await c.files.upload({ folderId: 77, fileName: 'big.bin', data: bytes(7 * KB) });
    assert.ok(calls.slice(1).every((x) => x.url.origin === BASE));
  });

  it("a refused chunk fails with DocSpace's reason", async () => {
    const { c } = client((call) =>
      call.url.pathname.endsWith('create_session')
        ? ok({ success: true, data: { id: 's-1', location: `${BASE}/ChunkedUploader.ashx?uid=s-1` } })
        : Response.json({
            success: false,
            message: 'Not authorized or session with specified upload id already expired',
          }),
    );
    const e = (await c.files
      .upload({ folderId: 77, fileName: 'big.bin', data: bytes(7 * KB) })
      .catch((x) => x)) as DocSpaceError;
    assert.equal(e.code, 'bad_request');
    assert.match(e.message, /"big\.bin" failed at byte 0\. DocSpace says: "Not authorized or session/);
  });

  it('a stream without a size is refused before anything is sent', async () => {
    const { c, calls } = client(() => ok({}));
    const e = (await c.files
      .upload({
        folderId: 77,
        fileName: 'x.bin',
        data: (async function* () {
          yield bytes(10);
        })(),
      })
      .catch((x) => x)) as DocSpaceError;
    assert.equal(e.code, 'bad_request');
    assert.equal(calls.length, 0);
  });
});
