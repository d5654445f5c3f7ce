import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDocSpaceClient, type DocSpaceError } from '../../../src/docspace/index.js';
import { BASE, fakeClock, fakeFetch, type Handler, ok } from '../../helpers/fake-docspace.js';

function client(handler: Handler) {
  const f = fakeFetch(handler);
  const c = createDocSpaceClient({
    baseUrl: BASE,
    credential: { kind: 'apiKey', apiKey: 'sk-a' },
    fetch: f.fetch,
    clock: fakeClock(),
  });
  return { c, calls: f.calls };
}

const docx = { id: 8, title: 'Plan.docx', fileExst: '.docx', folderId: 2 };

/** Portal that converts through bulkdownload and serves the result from a storage host. */
const converting: Handler = (call) => {
  const p = call.url.pathname;
  if (p === '/api/2.0/files/file/8') return ok(docx);
  if (p === '/api/2.0/files/settings') return ok({ extsConvertible: { '.docx': ['.pdf', '.txt', '.odt'] } });
  if (p === '/api/2.0/files/fileops/bulkdownload')
    return ok([{ id: 'dl', Operation: 3, progress: 0, finished: false, error: '' }]);
  if (p === '/api/2.0/files/fileops')
    return ok([
      {
        id: 'dl',
        Operation: 3,
        progress: 100,
        finished: true,
        error: '',
        url: 'https://storage.example.net/result?sig=1',
      },
    ]);
  if (call.url.host === 'storage.example.net') return new Response('\uFEFFQuarterly plan\nline two');
  return ok(null, { status: 404 });
};

describe('download', () => {
  it('converts a document to text through a bulk download and fetches the result without credentials', async () => {
    const { c, calls } = client(converting);
    const got = await c.files.text(8, { maxBytes: 1_000 });
    assert.equal(got.text, 'Quarterly plan\nline two');
    assert.equal(got.format, '.txt');
    assert.equal(got.converted, true);
    assert.equal(got.truncated, false);
    const bulk = calls.find((x) => x.url.pathname.endsWith('bulkdownload'));
    assert.deepEqual(bulk?.body, {
      fileConvertIds: [{ key: 8, value: '.txt' }],
      fileIds: [],
      folderIds: [],
      returnSingleOperation: true,
    });
    const fetched = calls.at(-1);
    assert.equal(fetched?.url.host, 'storage.example.net');
    assert.equal(fetched?.headers.get('authorization'), null);
  });

  it('reads a plain-text file directly', async () => {
    const { c, calls } = client((call) =>
      call.url.pathname === '/filehandler.ashx'
        ? new Response('just text')
        : ok({ id: 4, title: 'a.md', fileExst: '.md' }),
    );
    const got = await c.files.text(4, { maxBytes: 100 });
    assert.equal(got.text, 'just text');
    assert.equal(got.converted, false);
    const dl = calls.at(-1);
    assert.equal(dl?.url.searchParams.get('action'), 'download');
    assert.equal(dl?.url.searchParams.get('fileid'), '4');
    assert.equal(dl?.headers.get('authorization'), 'Bearer sk-a');
  });

  it('refuses a file larger than the cap, or cuts it when asked', async () => {
    const big = () => new Response('x'.repeat(5_000));
    const { c } = client(big);
    const e = (await c.files.download(4, { maxBytes: 1_000 }).catch((x) => x)) as DocSpaceError;
    assert.equal(e.code, 'too_large');
    assert.match(e.message, /limit/);
    const cut = await c.files.download(4, { maxBytes: 1_000, truncate: true });
    assert.equal(cut.bytes.byteLength, 1_000);
    assert.equal(cut.truncated, true);
  });

  it('says so when a file cannot become text', async () => {
    const { c } = client((call) =>
      call.url.pathname === '/api/2.0/files/settings'
        ? ok({ extsConvertible: { '.png': ['.jpg'] } })
        : ok({ id: 6, title: 'photo.png', fileExst: '.png' }),
    );
    const e = (await c.files.text(6, { maxBytes: 100 }).catch((x) => x)) as DocSpaceError;
    assert.equal(e.code, 'bad_request');
    assert.match(e.message, /photo\.png.*cannot convert to text/);
  });

  it('a missing file download names the file', async () => {
    const { c } = client(() => new Response('', { status: 404 }));
    const e = (await c.files.download(99, { maxBytes: 10 }).catch((x) => x)) as DocSpaceError;
    assert.equal(e.code, 'not_found');
    assert.match(e.message, /File 99 was not found/);
  });
});
