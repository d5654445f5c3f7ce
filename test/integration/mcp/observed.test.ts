// Every tool call is audited (`tool.called`) and reported to the metrics hook, whatever its
// outcome, without arguments or tokens in the record.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, beforeEach, describe, it } from 'node:test';
import pino from 'pino';
import { createAudit, createMemoryAuditSink } from '../../../src/audit/index.js';
import { Metrics } from '../../../src/http/metrics.js';
import { type ConnectOptions, Harness, text } from '../../helpers/harness.js';

const SECRET_TEXT = 'zebra-7781-confidential';

describe('tool calls are audited and counted', () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start({ assembly: 'in-process' });
  });
  after(() => h.close());
  beforeEach(() => h.emu.reset());

  /** A session whose audit events and metric reports are collected. */
  async function observed(opts: ConnectOptions = {}) {
    const { events, sink } = createMemoryAuditSink();
    const results: [string, string, number][] = [];
    const s = await h.connect({
      role: 'user',
      ...opts,
      request: { principal: { userId: 'user-42', clientId: 'client-7' }, ...opts.request },
      deps: {
        audit: createAudit(undefined, sink),
        onToolResult: (tool, outcome, ms) => results.push([tool, outcome, ms]),
        ...opts.deps,
      },
    });
    return { s, events, results };
  }

  it('records who called which tool, how it ended and how long it took', async () => {
    const { s, events, results } = await observed();
    const r = await s.call('get_my_folder', {});
    assert.ok(!r.isError, text(r));
    assert.equal(events.length, 1);
    const e = events[0] as unknown as Record<string, unknown>;
    assert.equal(e.event, 'tool.called');
    assert.equal(e.tool, 'get_my_folder');
    assert.equal(e.outcome, 'success');
    assert.equal(e.userId, 'user-42');
    assert.equal(e.clientId, 'client-7');
    assert.equal(typeof e.durationMs, 'number');
    assert.equal(e.reason, undefined);
    assert.deepEqual(
      results.map(([t, o]) => [t, o]),
      [['get_my_folder', 'ok']],
    );
    assert.ok((results[0]?.[2] ?? -1) >= 0);
  });

  it('names the error code of a failed call, including bad arguments the SDK used to reject', async () => {
    const { s, events, results } = await observed();
    const missing = await s.call('get_file_info', { fileId: 987654 });
    assert.equal(missing.isError, true);
    const bad = await s.call('get_file_info', { fileId: 'abc' });
    assert.equal(bad.isError, true);
    assert.match(text(bad), /`fileId`/);
    const combo = await s.call('find_person', {});
    assert.equal(combo.isError, true);
    assert.deepEqual(
      events.map((e) => [e.tool, e.outcome, e.reason]),
      [
        ['get_file_info', 'failure', 'not_found'],
        ['get_file_info', 'failure', 'invalid_arguments'],
        ['find_person', 'failure', 'no_query'],
      ],
    );
    assert.deepEqual(
      results.map(([t, o]) => `${t}:${o}`),
      ['get_file_info:not_found', 'get_file_info:invalid_arguments', 'find_person:no_query'],
    );
  });

  it('never records argument values or the credential', async () => {
    const { s, events } = await observed();
    const my = (await s.call('get_my_folder', {})).structuredContent as {
      items: { id: number; title: string }[];
    };
    const personal = my.items.find((i) => i.title === 'Personal')?.id;
    // The file name is the upload's title, which the activity log keeps; the content is not.
    const up = await s.call('upload_file', {
      parentId: personal,
      filename: 'Notes.txt',
      content: SECRET_TEXT,
    });
    assert.ok(!up.isError, text(up));
    const logged = JSON.stringify(events);
    assert.ok(!logged.includes(SECRET_TEXT), logged);
    assert.ok(!logged.includes(h.apiKey('user')), 'API key in the audit record');
  });

  it('carries the ids and titles a call touched for the activity log, and its log line leaves them out', async () => {
    const lines: string[] = [];
    const logger = pino(new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }));
    const { events, sink } = createMemoryAuditSink();
    const s = await h.connect({
      role: 'user',
      request: { principal: { userId: 'user-42', clientId: 'client-7' } },
      deps: { audit: createAudit(logger, sink) },
    });
    const my = (await s.call('get_my_folder', {})).structuredContent as {
      items: { id: number; title: string }[];
    };
    const personal = my.items.find((i) => i.title === 'Personal')?.id;
    const up = await s.call('upload_file', {
      parentId: personal,
      filename: 'Board memo.txt',
      content: SECRET_TEXT,
    });
    const fileId = (up.structuredContent as { id: number }).id;
    assert.deepEqual(events.at(-1)?.touched, [
      { id: String(personal) },
      { id: String(fileId), title: 'Board memo.txt' },
    ]);
    assert.ok(!JSON.stringify(events).includes(SECRET_TEXT), 'content is not an id or a title');
    await new Promise((r) => setImmediate(r));
    assert.ok(lines.some((l) => l.includes('upload_file')));
    assert.ok(!lines.some((l) => l.includes('Board memo')), 'titles stay out of the audit log line');
  });

  it('a declined confirmation, a missing credential and dynamic-mode calls are recorded too', async () => {
    const declined = await observed({ elicit: 'decline' });
    const my = (await declined.s.call('get_my_folder', {})).structuredContent as {
      items: { id: number; title: string }[];
    };
    const r = await declined.s.call('delete_folder', {
      folderId: my.items.find((i) => i.title === 'Personal')?.id,
    });
    assert.equal(r.isError, true);
    // Two rounds: the question (input_required), then the call again with the person's answer.
    assert.deepEqual(declined.results.map(([t, o]) => `${t}:${o}`).slice(1), [
      'delete_folder:input_required',
      'delete_folder:not_confirmed',
    ]);

    const unconfigured = await observed({ request: { configError: 'No DocSpace credential.' } });
    await unconfigured.s.call('get_my_folder', {});
    assert.deepEqual(
      unconfigured.events.map((e) => e.reason),
      ['not_configured'],
    );

    const dynamic = await observed({ selection: { dynamic: true } });
    await dynamic.s.call('list_toolsets', {});
    await dynamic.s.call('call_tool', { tool: 'get_my_folder', input: {} });
    await dynamic.s.call('call_tool', { tool: 'get_folder_content', input: { folderId: 'x' } });
    await dynamic.s.call('call_tool', { tool: 'no_such_tool', input: {} });
    assert.deepEqual(
      dynamic.results.map(([t, o]) => `${t}:${o}`),
      [
        'list_toolsets:ok',
        'get_my_folder:ok',
        'get_folder_content:invalid_arguments',
        'call_tool:unknown_tool',
      ],
    );
  });

  it('feeds the /metrics counters the server keeps', async () => {
    const metrics = new Metrics();
    const s = await h.connect({
      role: 'user',
      deps: {
        onToolResult: (tool, outcome, ms) => {
          metrics.toolCalls.inc({ tool, outcome });
          metrics.toolDuration.observe({ tool }, ms / 1000);
        },
      },
    });
    await s.call('get_current_user', {});
    await s.call('get_current_user', {});
    await s.call('get_file_info', { fileId: 987654 });
    assert.equal(metrics.toolCalls.get({ tool: 'get_current_user', outcome: 'ok' }), 2);
    assert.equal(metrics.toolCalls.get({ tool: 'get_file_info', outcome: 'not_found' }), 1);
    assert.match(
      metrics.render(),
      /docspace_mcp_tool_call_duration_seconds_count\{tool="get_current_user"\} 2/,
    );
  });

  it('a failing observer does not change the result', async () => {
    const s = await h.connect({
      role: 'user',
      deps: {
        onToolResult: () => {
          throw new Error('metrics are down');
        },
      },
    });
    const r = await s.call('get_current_user', {});
    assert.ok(!r.isError, text(r));
  });

  it('without an audit, a given logger gets the audit line', async () => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const s = await h.connect({
      role: 'user',
      request: { principal: { userId: 'user-42' } },
      deps: { logger: pino({ level: 'info' }, stream) },
    });
    await s.call('get_current_user', {});
    const audit = lines.filter((l) => l.audit === true);
    assert.equal(audit.length, 1, JSON.stringify(lines));
    assert.equal(audit[0]?.event, 'tool.called');
    assert.equal(audit[0]?.tool, 'get_current_user');
    assert.equal(audit[0]?.userId, 'user-42');
  });
});
