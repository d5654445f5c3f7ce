import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONFIRM_TTL_SECONDS, createConfirmCodes } from '../../../src/mcp/confirm-token.js';

describe('two-step confirmation codes', () => {
  const codes = createConfirmCodes('k'.repeat(40));
  const now = Date.UTC(2026, 0, 1);

  it('fit the same tool, arguments (in any key order) and caller, until they expire', () => {
    const code = codes.issue('delete_file', { fileId: 1, b: [1, { y: 2, x: 1 }] }, 'u1', now);
    assert.ok(codes.check('delete_file', { b: [1, { x: 1, y: 2 }], fileId: 1 }, 'u1', code, now + 1000));
    assert.ok(
      !codes.check(
        'delete_file',
        { fileId: 1, b: [1, { y: 2, x: 1 }] },
        'u1',
        code,
        now + CONFIRM_TTL_SECONDS * 1000,
      ),
    );
    assert.ok(!codes.check('delete_file', { fileId: 2, b: [1, { y: 2, x: 1 }] }, 'u1', code, now));
    assert.ok(!codes.check('delete_folder', { fileId: 1, b: [1, { y: 2, x: 1 }] }, 'u1', code, now));
    assert.ok(!codes.check('delete_file', { fileId: 1, b: [1, { y: 2, x: 1 }] }, 'u2', code, now));
  });

  it('another key (another deployment) cannot make or read them', () => {
    const code = createConfirmCodes('o'.repeat(40)).issue('delete_file', { fileId: 1 }, '', now);
    assert.ok(!codes.check('delete_file', { fileId: 1 }, '', code, now));
    assert.ok(!codes.check('delete_file', { fileId: 1 }, '', 'garbage', now));
  });
});
