import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { refusedCall, withheldBy, withinAccess } from '../../../src/mcp/access.js';
import { accessLevelLabel, parseAccessLevel, raisesAccess } from '../../../src/oauth/access-level.js';
import { resolveSelection, selectTools } from '../../../src/tools/selection.js';

const READ = { level: 'read' as const, manageUrl: 'https://mcp.example/connections' };
const WRITE = { level: 'write' as const, manageUrl: 'https://mcp.example/connections' };

describe('a connection’s access level under the operator’s selection', () => {
  const all = resolveSelection();
  const names = (tools: readonly { name: string }[]) => tools.map((t) => t.name);

  it('Read only keeps exactly the tools the registry marks read-only', () => {
    const ceiling = selectTools(all);
    const read = withinAccess(ceiling, READ);
    assert.ok(read.length > 0 && read.length < ceiling.length);
    assert.ok(read.every((t) => t.hints.readOnlyHint));
    assert.deepEqual(names(read), names(ceiling.filter((t) => t.hints.readOnlyHint)));
    assert.ok(!names(read).includes('delete_file'));
    assert.ok(names(read).includes('get_current_user'));
  });

  it('Read and write (or no level: not an OAuth connection) keeps the operator’s whole selection', () => {
    const ceiling = selectTools(all);
    assert.deepEqual(names(withinAccess(ceiling, WRITE)), names(ceiling));
    assert.deepEqual(names(withinAccess(ceiling, undefined)), names(ceiling));
  });

  it('the operator’s settings stay the ceiling: Read and write cannot bring back what they removed', () => {
    const readOnlyServer = resolveSelection({ readOnly: true });
    const tools = names(withinAccess(selectTools(readOnlyServer), WRITE));
    assert.ok(!tools.includes('delete_file'));
    const noFiles = resolveSelection({ disabledTools: ['delete_file'] });
    assert.ok(!names(withinAccess(selectTools(noFiles), WRITE)).includes('delete_file'));
  });

  it('a call the level withholds gets one sentence naming the tool, why, and where to change it', () => {
    const why = withheldBy(all, READ, 'delete_file');
    assert.ok(why);
    assert.match(why, /^delete_file /);
    assert.match(why, /Read only/);
    assert.match(why, /https:\/\/mcp\.example\/connections\.$/);
    assert.equal(why.split('. ').length, 1, 'one sentence');
    assert.equal(withheldBy(all, WRITE, 'delete_file'), undefined);
    assert.equal(withheldBy(all, READ, 'get_current_user'), undefined);
    // Not offered by the operator at all, or unknown: not the connection's refusal to give.
    assert.equal(withheldBy(resolveSelection({ readOnly: true }), READ, 'delete_file'), undefined);
    assert.equal(withheldBy(all, READ, 'no_such_tool'), undefined);
  });

  it('sessions answer a withheld call in a batch with an isError result for its id', () => {
    const body = [
      { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'delete_file', arguments: {} } },
    ];
    const answer = refusedCall(body, all, READ);
    assert.equal(answer?.id, 7);
    assert.deepEqual((answer?.result as { isError?: boolean }).isError, true);
    assert.equal(refusedCall(body, all, WRITE), undefined);
    assert.equal(refusedCall(body[0], all, READ), undefined);
  });
});

describe('access level helpers', () => {
  it('parses only the two levels, labels them, and knows a raise', () => {
    assert.equal(parseAccessLevel('read'), 'read');
    assert.equal(parseAccessLevel('write'), 'write');
    assert.equal(parseAccessLevel('admin'), undefined);
    assert.equal(parseAccessLevel(null), undefined);
    assert.equal(accessLevelLabel('read'), 'Read only');
    assert.equal(accessLevelLabel('write'), 'Read and write');
    assert.equal(raisesAccess('read', 'write'), true);
    assert.equal(raisesAccess('write', 'read'), false);
    assert.equal(raisesAccess('write', 'write'), false);
  });
});
