import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createActivityLog, describeOutcome } from '../../../src/activity/log.js';
import { createAudit } from '../../../src/audit/index.js';
import { createMemoryStore } from '../../../src/store/memory.js';
import { TOOLS } from '../../../src/tools/registry.js';
import { MAX_TITLE_LENGTH, MAX_TOUCHED, touchedBy } from '../../../src/tools/touched.js';

const DAY = 86_400_000;

function setup(opts: { retentionDays?: number; maxEntries?: number } = {}) {
  let now = Date.UTC(2026, 11, 1);
  const store = createMemoryStore({ clock: () => now });
  const log = createActivityLog({
    store,
    settings: { retentionDays: opts.retentionDays ?? 30, maxEntries: opts.maxEntries ?? 1000 },
    now: () => now,
  });
  const call = (userId: string, tool: string, extra: Record<string, unknown> = {}) =>
    log.record({
      event: 'tool.called',
      outcome: 'success',
      userId,
      clientId: 'c1',
      tool,
      durationMs: 12,
      at: now,
      ...extra,
    });
  return {
    store,
    log,
    call,
    advance: (ms: number) => {
      now += ms;
    },
    at: () => now,
  };
}

describe('activity log', () => {
  test('keeps ids and titles of what a call touched, never its content', async () => {
    const { log, store } = setup();
    const secret = 'QUARTERLY-NUMBERS-ARE-SECRET';
    // What download_file_as_text returns, and what upload_file takes: content beside ids and titles.
    const touched = touchedBy(
      { fileId: 7, offset: 0, length: 100, content: secret },
      { fileId: 7, title: 'Plan.docx', text: secret, format: 'docx', totalLength: 28 },
    );
    assert.deepEqual(touched, [{ id: '7', title: 'Plan.docx' }]);
    const audit = createAudit(undefined, log.sink);
    audit.record({
      event: 'tool.called',
      outcome: 'success',
      userId: 'u1',
      clientId: 'c1',
      tool: 'download_file_as_text',
      durationMs: 30,
      touched,
    });
    await new Promise((r) => setImmediate(r));
    const raw = await store.readLog('activity:log:u1', { since: 0, offset: 0, count: 10 });
    assert.equal(raw.total, 1);
    assert.ok(!raw.entries[0]?.includes(secret), raw.entries[0]);
    const page = await log.read('u1', { page: 1, perPage: 10 });
    assert.equal(page.entries[0]?.tool, 'download_file_as_text');
    assert.deepEqual(page.entries[0]?.touched, [{ id: '7', title: 'Plan.docx' }]);
    assert.equal(page.entries[0]?.outcome, 'ok');
    assert.equal(page.entries[0]?.durationMs, 30);
  });

  test('the audit log line leaves titles out; the activity sink gets them', async () => {
    const lines: string[] = [];
    const logger = pino(new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }));
    const seen: unknown[] = [];
    createAudit(logger, (e) => seen.push(e)).record({
      event: 'tool.called',
      outcome: 'success',
      userId: 'u1',
      tool: 'get_file_info',
      touched: [{ id: '9', title: 'Salaries 2027.xlsx' }],
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(lines.length, 1);
    assert.ok(!lines[0]?.includes('Salaries'), lines[0]);
    assert.match(lines[0] ?? '', /get_file_info/);
    assert.deepEqual((seen[0] as { touched: unknown }).touched, [{ id: '9', title: 'Salaries 2027.xlsx' }]);
  });

  test('what a call touched is bounded: at most 10 items, long titles and ids clipped', () => {
    const ids = Array.from({ length: 50 }, (_, i) => `id-${i}`);
    const touched = touchedBy(
      { fileIds: ids, folderIds: ['x'.repeat(500)] },
      { title: 't'.repeat(5000), id: 'r' },
    );
    assert.equal(touched.length, MAX_TOUCHED);
    const big = touchedBy({}, { id: 1, title: 't'.repeat(5000) });
    assert.equal(big[0]?.title?.length, MAX_TITLE_LENGTH);
  });

  test('every id-like argument of every tool is named so the log picks it up', () => {
    const missed: string[] = [];
    for (const tool of TOOLS) {
      for (const key of Object.keys(tool.input.shape)) {
        if (!/id/i.test(key) || /^(hide|width|valid)/i.test(key)) continue;
        const got = touchedBy({ [key]: '42' }, undefined);
        if (!got.some((t) => t.id === '42')) missed.push(`${tool.name}.${key}`);
      }
    }
    assert.deepEqual(missed, []);
  });

  test('a listing logs the folder it listed, not every item in it', () => {
    const touched = touchedBy(
      { folderId: 3 },
      {
        folder: { id: 3, title: 'Contracts' },
        items: [
          { id: 1, title: 'a' },
          { id: 2, title: 'b' },
        ],
        total: 2,
      },
    );
    assert.deepEqual(touched, [{ id: '3', title: 'Contracts' }]);
  });

  test('newest first, paged, filtered by client, with the clients it names', async () => {
    const { log, call, advance } = setup();
    for (let i = 0; i < 30; i++) {
      advance(1000);
      await call('u1', `tool_${i}`, { clientId: i % 3 === 0 ? 'c-other' : 'c1' });
    }
    const first = await log.read('u1', { page: 1, perPage: 25 });
    assert.equal(first.total, 30);
    assert.equal(first.pages, 2);
    assert.equal(first.entries.length, 25);
    assert.equal(first.entries[0]?.tool, 'tool_29');
    const second = await log.read('u1', { page: 2, perPage: 25 });
    assert.deepEqual(
      second.entries.map((e) => e.tool),
      ['tool_4', 'tool_3', 'tool_2', 'tool_1', 'tool_0'],
    );
    assert.equal(
      (await log.read('u1', { page: 99, perPage: 25 })).page,
      2,
      'a page past the end shows the last',
    );
    const other = await log.read('u1', { clientId: 'c-other', page: 1, perPage: 25 });
    assert.equal(other.total, 10);
    assert.ok(other.entries.every((e) => e.clientId === 'c-other'));
    assert.deepEqual(new Set(first.clientIds), new Set(['c1', 'c-other']));
    assert.equal(
      (await log.read('u2', { page: 1, perPage: 25 })).total,
      0,
      'another person sees nothing of it',
    );
  });

  test('keeps at most maxEntries per person, the newest', async () => {
    const { log, call, advance } = setup({ maxEntries: 5 });
    for (let i = 0; i < 8; i++) {
      advance(10);
      await call('u1', `tool_${i}`);
    }
    const page = await log.read('u1', { page: 1, perPage: 25 });
    assert.deepEqual(
      page.entries.map((e) => e.tool),
      ['tool_7', 'tool_6', 'tool_5', 'tool_4', 'tool_3'],
    );
  });

  test('an entry is gone once the retention has passed', async () => {
    const { log, call, advance } = setup({ retentionDays: 30 });
    await call('u1', 'old_call');
    advance(20 * DAY);
    await call('u1', 'recent_call');
    advance(11 * DAY);
    const page = await log.read('u1', { page: 1, perPage: 25 });
    assert.deepEqual(
      page.entries.map((e) => e.tool),
      ['recent_call'],
    );
  });

  test('grant events of the person are logged; events naming nobody are not', async () => {
    const { log, advance } = setup();
    const at = Date.UTC(2026, 11, 1);
    await log.record({ event: 'grant.issued', outcome: 'success', userId: 'u1', clientId: 'c1', at });
    advance(1);
    await log.record({
      event: 'refresh.reused',
      outcome: 'failure',
      userId: 'u1',
      clientId: 'c1',
      reason: 'reuse',
      at: at + 1,
    });
    await log.record({
      event: 'token.revoked',
      outcome: 'success',
      userId: 'u1',
      clientId: 'c1',
      reason: 'refresh token replayed',
      at: at + 2,
    });
    await log.record({ event: 'connections.signed_in', outcome: 'success', userId: 'u1', at: at + 3 });
    await log.record({ event: 'consent.allowed', outcome: 'success', clientId: 'c1', at: at + 4 });
    await log.record({
      event: 'token.rejected',
      outcome: 'failure',
      userId: 'u1',
      reason: 'expired',
      at: at + 5,
    });
    const page = await log.read('u1', { page: 1, perPage: 25 });
    assert.deepEqual(
      page.entries.map((e) => e.kind),
      ['signed_in', 'revoked', 'refresh_reused', 'connected'],
    );
    assert.equal(page.entries[1]?.reason, 'refresh token replayed');
  });

  test('a write that fails is logged and never reaches the caller', async () => {
    const warnings: string[] = [];
    const logger = pino(new Writable({ write: (chunk, _e, done) => (warnings.push(String(chunk)), done()) }));
    const store = createMemoryStore();
    await store.close();
    const log = createActivityLog({ store, settings: { retentionDays: 30, maxEntries: 10 }, logger });
    assert.doesNotThrow(() =>
      log.sink({ event: 'tool.called', outcome: 'success', userId: 'u1', tool: 't', at: Date.now() }),
    );
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /activity log write failed/);
    await assert.rejects(log.read('u1', { page: 1, perPage: 10 }), /closed/);
  });

  test('maxEntries 0 turns the log off: nothing is written', async () => {
    const { log, store, call } = setup({ maxEntries: 0 });
    await call('u1', 'get_file_info');
    log.sink({ event: 'tool.called', outcome: 'success', userId: 'u1', tool: 't', at: Date.now() });
    await new Promise((r) => setImmediate(r));
    assert.equal(store.size, 0);
    assert.equal((await log.read('u1', { page: 1, perPage: 10 })).total, 0);
  });

  test('outcomes read as ok, refused or failed with one sentence of our own', () => {
    assert.deepEqual(describeOutcome('ok'), { status: 'ok' });
    assert.equal(describeOutcome('not_confirmed').status, 'refused');
    assert.equal(describeOutcome('forbidden').status, 'refused');
    assert.equal(describeOutcome('not_found').status, 'failed');
    assert.deepEqual(describeOutcome('input_required'), {
      status: 'ok',
      reason: 'It asked the person to confirm first.',
    });
    assert.match(describeOutcome('something_new').reason ?? '', /something_new/);
  });
});
