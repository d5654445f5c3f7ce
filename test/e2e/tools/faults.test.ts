// What a flaky portal looks like through the tools: transient failures are retried and
// invisible; lasting ones become one clear sentence, never a protocol error or a stack.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { TOOLS } from '../../../src/tools/registry.js';
import { Harness, text } from './harness.js';

describe('faults', () => {
  let h: Harness;
  let myId = 0;
  let personalId = 0;
  let reportId = 0;
  before(async () => {
    h = await Harness.start();
    const s = await h.connect({ role: 'user' });
    const my = (await s.call('get_my_folder', {})).structuredContent as {
      folder: { id: number };
      items: { id: number; title: string }[];
    };
    myId = my.folder.id;
    personalId = my.items.find((i) => i.title === 'Personal')?.id ?? 0;
    reportId = my.items.find((i) => i.title === 'Report.docx')?.id ?? 0;
  });
  after(() => h.close());
  beforeEach(() => h.emu.reset());

  it('every read-only tool survives two 503s in a row', async () => {
    const s = await h.connect({ role: 'user' });
    const args: Record<string, Record<string, unknown>> = {
      get_file_info: { fileId: reportId },
      download_file_as_text: { fileId: reportId },
      get_file_versions: { fileId: reportId },
      search_files: { query: 'report', folderId: myId },
      download_file: { fileId: reportId },
      get_share_links: { fileId: reportId },
      get_folder_content: { folderId: personalId },
      get_folder_info: { folderId: personalId },
      get_room_info: { roomId: 18 },
      get_room_security_info: { roomId: 18 },
      get_room_access_levels: { roomId: 18 },
      find_person: { email: 'user@example.com' },
    };
    // get_all_people needs an admin; the user's denial is covered elsewhere.
    for (const tool of TOOLS.filter((t) => t.hints.readOnlyHint && t.name !== 'get_all_people')) {
      h.emu.setFaults({ serverErrors: { count: 2, status: 503 } });
      const r = await s.call(tool.name, args[tool.name] ?? {});
      assert.ok(!r.isError, `${tool.name}: ${text(r)}`);
    }
  });

  it('waits out a 429 with Retry-After and then answers', async () => {
    const s = await h.connect({ role: 'user' });
    h.emu.setFaults({ rateLimit: { count: 1, retryAfterSeconds: 1 } });
    const started = Date.now();
    const r = await s.call('get_file_info', { fileId: reportId });
    assert.ok(!r.isError, text(r));
    assert.ok(Date.now() - started >= 900, 'did not wait for Retry-After');
  });

  it('a dropped connection on a read is retried', async () => {
    const s = await h.connect({ role: 'user' });
    h.emu.setFaults({ dropConnections: { count: 1 } });
    const r = await s.call('get_folder_info', { folderId: personalId });
    assert.ok(!r.isError, text(r));
  });

  it('a portal that keeps failing gives one sentence saying so', async () => {
    const s = await h.connect({ role: 'user' });
    h.emu.setFaults({ serverErrors: { count: 50, status: 502 } });
    const r = await s.call('get_file_info', { fileId: reportId });
    assert.equal(r.isError, true);
    assert.match(text(r), /DocSpace|unavailable|try again/i);
    assert.doesNotMatch(text(r), /\n\s+at /);
  });

  it('a failing copy reports DocSpace’s own reason', async () => {
    const s = await h.connect({ role: 'user' });
    h.emu.setFaults({ failOperations: 'Disk quota exceeded on the storage' });
    const r = await s.call('copy_batch_items', { fileIds: [reportId], destFolderId: personalId });
    assert.equal(r.isError, true);
    assert.match(text(r), /Disk quota exceeded on the storage/);
  });

  it('a failing delete and archive report the reason too', async () => {
    h.emu.setFaults({ failOperations: 'Storage is read-only' });
    const user = await h.connect({ role: 'user' });
    const del = await user.call('delete_folder', { folderId: personalId });
    assert.equal(del.isError, true);
    assert.match(text(del), /Storage is read-only/);
    const owner = await h.connect({ role: 'owner' });
    const arch = await owner.call('archive_room', { roomId: 18 });
    assert.equal(arch.isError, true);
    assert.match(text(arch), /Storage is read-only/);
  });

  it('a portal slower than the request timeout gives a timeout message, not a hang', async () => {
    const s = await h.connect({ role: 'user', deps: { requestTimeoutMs: 300 } });
    h.emu.setFaults({ latencyMs: 1500, pathPattern: '/files/file/' });
    const started = Date.now();
    const r = await s.call('get_file_info', { fileId: reportId });
    assert.equal(r.isError, true);
    assert.match(text(r), /time|slow|answer/i);
    assert.ok(Date.now() - started < 10_000);
  });

  it('an expired API key says what to do', async () => {
    const s = await h.connect({ role: 'user' });
    h.emu.setFaults({ expiredTokens: true });
    const r = await s.call('get_my_folder', {});
    assert.equal(r.isError, true);
    assert.match(text(r), /API key/);
  });
});
