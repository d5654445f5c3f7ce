import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DocSpaceError } from '../../../src/docspace/errors.js';
import { failureResult } from '../../../src/mcp/run-tool.js';
import { ToolInputError } from '../../../src/tools/types.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = { error: (obj: Record<string, unknown>) => lines.push(obj) } as never;
  return { lines, logger };
}

const textOf = (r: { content: unknown[] }) => (r.content[0] as { text: string }).text;

describe('tool failures', () => {
  it('a DocSpace error is the model’s to act on: its sentence, isError, nothing logged', () => {
    const { lines, logger } = capture();
    const r = failureResult(
      { name: 'get_file_info' },
      new DocSpaceError('not_found', 'File 9 was not found, or you cannot see it.'),
      { logger },
    );
    assert.equal(r.isError, true);
    assert.equal(textOf(r), 'File 9 was not found, or you cannot see it.');
    assert.equal(lines.length, 0);
  });

  it('a bad argument combination names the field', () => {
    const r = failureResult(
      { name: 'find_person' },
      new ToolInputError('no_query', 'Give `email` or `name`.'),
      {},
    );
    assert.equal(textOf(r), 'Give `email` or `name`.');
  });

  it('a bug is logged with a reference id and shown without its stack', () => {
    const { lines, logger } = capture();
    const bug = new TypeError("Cannot read properties of undefined (reading 'id')");
    const r = failureResult({ name: 'get_room_info' }, bug, { logger, requestId: 'req-1' });
    const ref = /reference ([0-9a-f]{8})/.exec(textOf(r))?.[1];
    assert.ok(ref, textOf(r));
    assert.doesNotMatch(textOf(r), /Cannot read properties|at .*:\d+/);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.ref, ref);
    assert.equal(lines[0]?.err, bug);
    assert.equal(lines[0]?.requestId, 'req-1');
  });

  it('a cancelled call says so', () => {
    const r = failureResult({ name: 'x' }, new DocSpaceError('aborted', 'aborted'), {});
    assert.match(textOf(r), /Cancelled/);
  });
});
