import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createDocSpaceClient,
  type DocSpaceError,
  type FileOperationDto,
} from '../../../src/docspace/index.js';
import { BASE, fakeClock, fakeFetch, ok } from '../../helpers/fake-docspace.js';

const started: FileOperationDto = { id: 'op-1', Operation: 1, progress: 0, error: '', finished: false };

/** A portal whose copy starts `op-1` and whose polls answer from `polls` in turn (last repeats). */
function portal(
  polls: FileOperationDto[][],
  onPoll?: (n: number) => void,
  opts: { startedWith?: FileOperationDto[]; self?: number } = {},
) {
  let n = 0;
  const f = fakeFetch((call) => {
    if (call.method === 'PUT' && call.url.pathname === '/api/2.0/files/fileops/copy')
      return ok(opts.startedWith ?? [started]);
    if (call.method === 'GET' && call.url.pathname === '/api/2.0/people/@self')
      return opts.self === 401 ? new Response(null, { status: 401 }) : ok({ id: 'me' });
    if (call.method === 'GET' && call.url.pathname === '/api/2.0/files/fileops') {
      onPoll?.(n);
      const answer = polls[Math.min(n, polls.length - 1)] as FileOperationDto[];
      n++;
      return ok(answer);
    }
    return ok(null, { status: 404 });
  });
  const clock = fakeClock();
  const c = createDocSpaceClient({
    baseUrl: BASE,
    credential: { kind: 'apiKey', apiKey: 'sk-a' },
    fetch: f.fetch,
    clock,
  });
  return { c, calls: f.calls, clock, polls: () => n };
}

async function failure(p: Promise<unknown>): Promise<DocSpaceError> {
  try {
    await p;
  } catch (e) {
    return e as DocSpaceError;
  }
  assert.fail('expected the call to fail');
}

describe('long-running file operations', () => {
  it('polls with growing pauses until finished, reporting progress', async () => {
    const { c, calls, clock } = portal([
      [{ ...started, progress: 40 }],
      [{ ...started, progress: 80 }],
      [{ ...started, progress: 100, finished: true, files: [{ id: 9, title: 'a.docx' }] }],
    ]);
    const seen: number[] = [];
    const ops = await c.files.copy({ fileIds: [5], destFolderId: 7 }, { onProgress: (p) => seen.push(p) });
    assert.equal(ops[0]?.finished, true);
    assert.equal(ops[0]?.files?.[0]?.id, 9);
    assert.deepEqual(seen, [0, 40, 80, 100]);
    assert.deepEqual(calls[0]?.body, {
      fileIds: [5],
      folderIds: [],
      destFolderId: 7,
      conflictResolveType: 2,
      deleteAfter: false,
      returnSingleOperation: true,
    });
    assert.equal(clock.slept.length, 3);
    assert.ok((clock.slept[2] as number) > (clock.slept[0] as number), 'pauses grow');
    assert.equal(calls[1]?.url.searchParams.get('id'), 'op-1');
  });

  it("a failed item surfaces DocSpace's own error text", async () => {
    const { c } = portal([
      [{ ...started, progress: 100, finished: true, error: 'You cannot copy into this room' }],
    ]);
    const e = await failure(c.files.copy({ fileIds: [5], destFolderId: 7 }));
    assert.equal(e.code, 'operation_failed');
    assert.match(
      e.message,
      /Copying 1 item to folder 7 failed\. DocSpace says: "You cannot copy into this room"/,
    );
    assert.equal(e.docspaceMessage, 'You cannot copy into this room');
  });

  it('gives up after its time limit, saying how far it got', async () => {
    const { c, polls } = portal([[{ ...started, progress: 10 }]]);
    const e = await failure(c.files.copy({ fileIds: [5], destFolderId: 7 }, { timeoutMs: 5_000 }));
    assert.equal(e.code, 'timeout');
    assert.match(e.message, /did not finish within 5 s \(last progress 10%\)/);
    assert.ok(polls() >= 3 && polls() < 20, `bounded polls, got ${polls()}`);
  });

  it('stops waiting when the caller cancels', async () => {
    const ac = new AbortController();
    const { c, polls } = portal([[{ ...started, progress: 10 }]], (n) => {
      if (n === 1) ac.abort();
    });
    const e = await failure(c.files.copy({ fileIds: [5], destFolderId: 7 }, { signal: ac.signal }));
    assert.equal(e.code, 'aborted');
    assert.equal(polls(), 2);
  });

  it('an operation that vanished before DocSpace said it finished is an error, not a success', async () => {
    const { c, calls } = portal([[{ ...started, progress: 50 }], []]);
    const e = await failure(c.files.copy({ fileIds: [5], destFolderId: 7 }));
    assert.equal(e.code, 'operation_failed');
    assert.match(e.message, /stopped reporting on the operation before saying it had finished/);
    assert.ok(
      calls.some((x) => x.url.pathname === '/api/2.0/people/@self'),
      'checked the credential',
    );
  });

  it('an empty list because the credential stopped working is "unauthorized"', async () => {
    const { c } = portal([[]], undefined, { self: 401 });
    const e = await failure(c.files.copy({ fileIds: [5], destFolderId: 7 }));
    assert.equal(e.code, 'unauthorized');
    assert.match(e.message, /no longer accepts the credentials/);
  });

  it('progress 100 is not finished until DocSpace says so', async () => {
    const { c, polls } = portal([
      [{ ...started, progress: 100 }],
      [{ ...started, progress: 100, finished: true, status: 2 }],
    ]);
    await c.files.copy({ fileIds: [5], destFolderId: 7 });
    assert.equal(polls(), 2);
  });

  it("follows its own operation when DocSpace's answer lists others of other types too", async () => {
    const other: FileOperationDto = {
      id: 'op-0',
      Operation: 0,
      progress: 10,
      error: 'not mine',
      finished: false,
    };
    const { c, calls } = portal([[{ ...started, progress: 100, finished: true }]], undefined, {
      startedWith: [other, started],
    });
    const ops = await c.files.copy({ fileIds: [5], destFolderId: 7 });
    assert.deepEqual(
      ops.map((o) => o.id),
      ['op-1'],
    );
    assert.equal(calls[1]?.url.searchParams.get('id'), 'op-1');
  });

  it('refuses to guess between several operations of its kind', async () => {
    const { c } = portal([], undefined, { startedWith: [started, { ...started, id: 'op-2' }] });
    const e = await failure(c.files.copy({ fileIds: [5], destFolderId: 7 }));
    assert.equal(e.code, 'invalid_response');
    assert.match(e.message, /2 operations/);
  });

  it('archiving a room waits for the single operation DocSpace returns', async () => {
    const f = fakeFetch((call) =>
      call.method === 'PUT'
        ? ok({ id: 'arch', Operation: 0, progress: 0, error: '', finished: false })
        : ok([{ id: 'arch', Operation: 0, progress: 100, error: '', finished: true }]),
    );
    const c = createDocSpaceClient({
      baseUrl: BASE,
      credential: { kind: 'apiKey', apiKey: 'sk-a' },
      fetch: f.fetch,
      clock: fakeClock(),
    });
    const ops = await c.rooms.archive(12);
    assert.equal(ops[0]?.id, 'arch');
    assert.equal(f.calls[0]?.url.pathname, '/api/2.0/files/rooms/12/archive');
    assert.deepEqual(f.calls[0]?.body, { deleteAfter: false });
  });
});
