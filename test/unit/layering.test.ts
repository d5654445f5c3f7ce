// Data flows one way (http → auth → mcp → tools → docspace): the HTTP edge uses the MCP layer,
// never the reverse, so the MCP server can be served by any transport (stdio, HTTP).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const SRC = new URL('../../../src/', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier a file imports (static, type-only and dynamic). */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]);
}

describe('layering', () => {
  for (const layer of ['mcp', 'auth', 'tools', 'docspace', 'store']) {
    it(`src/${layer} imports neither hono nor src/http`, () => {
      const offending = sources(join(SRC, layer)).flatMap((file) =>
        imports(file)
          .filter((s) => s === 'hono' || s.startsWith('hono/') || /(^|\/)http\//.test(s))
          .map((s) => `${file.slice(SRC.length)} → ${s}`),
      );
      assert.deepEqual(offending, []);
    });
  }
});
