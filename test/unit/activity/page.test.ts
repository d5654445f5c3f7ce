import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Hono } from 'hono';
import { createActivityLog } from '../../../src/activity/log.js';
import { mountActivityPage } from '../../../src/activity/page.js';
import { createMemoryStore } from '../../../src/store/memory.js';

function setup() {
  const store = createMemoryStore();
  const log = createActivityLog({ store, settings: { retentionDays: 30, maxEntries: 1000 } });
  const app = new Hono();
  mountActivityPage(app, {
    log,
    // The test's stand-in for the connections session: a header names the person.
    personOf: async (c) => c.req.header('x-person') || undefined,
    clientName: async (id) => ({ c1: 'Research Assistant', c2: 'Admin Bot' })[id],
  });
  const get = (path: string, person?: string) =>
    app.request(path, { headers: person ? { 'x-person': person } : {} });
  let at = Date.now() - 100_000;
  const call = (userId: string, clientId: string, tool: string, extra: Record<string, unknown> = {}) =>
    log.record({
      event: 'tool.called',
      outcome: 'success',
      userId,
      clientId,
      tool,
      durationMs: 5,
      at: at++,
      ...extra,
    });
  return { store, get, call };
}

describe('the activity page', () => {
  test('without a session it sends the person to sign in', async () => {
    const { get } = setup();
    const res = await get('/connections/activity');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/connections');
  });

  test('shows the person’s own calls with app names, titles escaped, outcome sentences', async () => {
    const { get, call } = setup();
    await call('alice', 'c1', 'get_file_info', {
      touched: [{ id: '7', title: '<script>alert(1)</script>Plan' }],
    });
    await call('alice', 'c1', 'delete_file', {
      outcome: 'failure',
      reason: 'not_confirmed',
      touched: [{ id: '7' }],
    });
    await call('bob', 'c2', 'get_all_people');
    const res = await get('/connections/activity', 'alice');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    const html = await res.text();
    assert.equal(html.match(/data-testid="activity-entry"/g)?.length, 2);
    assert.ok(html.indexOf('delete_file') < html.indexOf('get_file_info'), 'newest first');
    assert.ok(!html.includes('<script>'), 'a title cannot inject markup');
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;Plan/);
    assert.match(html, /Research Assistant/);
    assert.match(html, /refused<\/span> Not done: it needed the person’s confirmation/);
    assert.ok(!html.includes('get_all_people') && !html.includes('Admin Bot'), 'nothing of another person');
    assert.match(html, /<label for="client">App<\/label>/);
  });

  test('filters by client; a client from another person’s log is a 404', async () => {
    const { get, call } = setup();
    await call('alice', 'c1', 'get_file_info');
    await call('alice', 'c3', 'get_room_info');
    await call('bob', 'c2', 'get_all_people');
    const mine = await (await get('/connections/activity?client=c3', 'alice')).text();
    assert.equal(mine.match(/data-testid="activity-entry"/g)?.length, 1);
    assert.match(mine, /get_room_info/);
    assert.match(mine, /<option value="c3" selected>/);
    const foreign = await get('/connections/activity?client=c2', 'alice');
    assert.equal(foreign.status, 404);
    assert.ok(!(await foreign.text()).includes('get_all_people'));
  });

  test('pages with plain links, newest first', async () => {
    const { get, call } = setup();
    for (let i = 0; i < 30; i++) await call('alice', 'c1', `tool_${i}`);
    const first = await (await get('/connections/activity', 'alice')).text();
    assert.equal(first.match(/data-testid="activity-entry"/g)?.length, 25);
    assert.match(first, /Page 1 of 2/);
    assert.match(first, /<a href="\/connections\/activity\?page=2" rel="next">Older<\/a>/);
    const second = await (await get('/connections/activity?page=2', 'alice')).text();
    assert.equal(second.match(/data-testid="activity-entry"/g)?.length, 5);
    assert.match(second, /rel="prev">Newer<\/a>/);
    assert.match(second, /tool_0/);
  });

  test('store unavailable: a clear page and 503, never a list', async () => {
    const { get, call, store } = setup();
    await call('alice', 'c1', 'get_file_info');
    await store.close();
    const res = await get('/connections/activity', 'alice');
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '5');
    const html = await res.text();
    assert.match(html, /briefly unavailable/);
    assert.ok(!html.includes('activity-entry') && !html.includes('Nothing recorded'));
  });
});
