import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { decodeBase64 } from '../../../src/tools/content.js';
import { ToolInputError } from '../../../src/tools/types.js';

// The rule before the copy-free rewrite: the new check must accept and refuse exactly the same.
const previousRule = (s: string) => {
  const clean = s.replace(/\s+/g, '');
  return /^[A-Za-z0-9+/]*={0,2}$/.test(clean) && clean.length % 4 !== 1;
};

const accepts = (s: string) => {
  try {
    decodeBase64(s);
    return true;
  } catch (err) {
    assert.ok(err instanceof ToolInputError && err.code === 'bad_base64', String(err));
    return false;
  }
};

describe('decodeBase64 (upload_file with encoding base64)', () => {
  it('decodes binary of every length back to the same bytes, with or without line breaks', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = randomBytes(n);
      const b64 = bytes.toString('base64');
      assert.deepEqual(Buffer.from(decodeBase64(b64)), bytes);
      const wrapped = b64.replace(/(.{8})/g, '$1\r\n ');
      assert.deepEqual(Buffer.from(decodeBase64(wrapped)), bytes);
    }
  });

  it('refuses text, base64url, misplaced or extra padding, and a dangling character', () => {
    for (const bad of ['hello world!', 'ab-_', 'a=bc', 'ab=c', 'abc===', '====', 'abcde', 'YWJj\u00e9']) {
      assert.equal(accepts(bad), false, bad);
    }
  });

  it('agrees with the previous anchored-regex rule on random short strings', () => {
    const alphabet = 'AZaz09+/= \n-_.';
    for (let i = 0; i < 20_000; i++) {
      const len = i % 9;
      let s = '';
      for (let j = 0; j < len; j++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
      assert.equal(accepts(s), previousRule(s), JSON.stringify(s));
    }
  });

  it('returns the decoded buffer without a second copy of a large upload', () => {
    const bytes = randomBytes(3_000_000);
    const out = decodeBase64(bytes.toString('base64'));
    assert.equal(out.byteLength, bytes.length);
    // A view over its own allocation, not a copy into a fresh Uint8Array of it.
    assert.ok(Buffer.isBuffer(out));
    assert.ok(Buffer.from(out).equals(bytes));
  });
});
