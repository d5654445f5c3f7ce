import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { renderToolsDoc, toolsSnapshot } from '../../../src/tools/docs.js';
import { LISTED_SCHEMAS } from '../../../src/tools/listed-schemas.generated.js';

const root = new URL('../../../../', import.meta.url);
const regenerate = 'Run `npx tsc -p . && node scripts/gen-tools-doc.mjs`, review the diff, and commit it.';

describe('what models see is reviewed', () => {
  it('every tool schema matches test/fixtures/tools.snapshot.json', () => {
    const saved = JSON.parse(readFileSync(new URL('test/fixtures/tools.snapshot.json', root), 'utf8'));
    const now = toolsSnapshot();
    const names = (x: { tools: { name: string }[] }) => x.tools.map((t) => t.name);
    assert.deepEqual(names(now), names(saved), `Tools were added or removed. ${regenerate}`);
    for (const tool of now.tools) {
      const before = saved.tools.find((t: { name: string }) => t.name === tool.name);
      assert.ok(JSON.stringify(tool) === JSON.stringify(before), `${tool.name} changed. ${regenerate}`);
    }
    assert.deepEqual(
      JSON.parse(JSON.stringify(now.metaTools)),
      saved.metaTools,
      `Meta tools changed. ${regenerate}`,
    );
  });

  it("the schemas tools/list sends without converting are zod's conversion of the current records", () => {
    const { tools, metaTools } = toolsSnapshot();
    const all = [...tools, ...metaTools];
    assert.deepEqual(
      Object.keys(LISTED_SCHEMAS),
      all.map((t) => t.name),
      `Tools were added or removed. ${regenerate}`,
    );
    for (const tool of all) {
      const built = LISTED_SCHEMAS[tool.name];
      assert.ok(
        JSON.stringify(built?.input) === JSON.stringify(tool.inputSchema) &&
          JSON.stringify(built?.output) === JSON.stringify(tool.outputSchema),
        `src/tools/listed-schemas.generated.ts is stale for ${tool.name}. ${regenerate}`,
      );
    }
  });

  it('docs/tools.md is generated from the current records', () => {
    const saved = readFileSync(new URL('docs/tools.md', root), 'utf8').split('\n');
    const now = renderToolsDoc().split('\n');
    const line = now.findIndex((l, i) => l !== saved[i]);
    assert.ok(
      line === -1 && now.length === saved.length,
      `docs/tools.md is stale from line ${line + 1}. ${regenerate}`,
    );
  });

  it('docs/tools.md names every tool with its hints', () => {
    const doc = renderToolsDoc();
    for (const t of toolsSnapshot().tools) assert.match(doc, new RegExp(`\\| \`${t.name}\` \\|`));
    assert.match(doc, /\| `delete_file` \|.*\| writes, destructive, idempotent \|/);
  });
});
