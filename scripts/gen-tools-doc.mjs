#!/usr/bin/env node
// Regenerates docs/tools.md and the reviewed schema snapshot test/fixtures/tools.snapshot.json
// from the tool records. Run after `npx tsc -p .`; tests fail while either file is stale.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const { renderToolsDoc, toolsSnapshot } = await import(new URL('dist/src/tools/docs.js', root).href);

const snapshot = new URL('test/fixtures/tools.snapshot.json', root);
writeFileSync(new URL('docs/tools.md', root), renderToolsDoc());
// Short arrays of plain values on one line, as prettier leaves them: the diff stays readable.
const json = JSON.stringify(toolsSnapshot(), null, 2).replace(/\[\n\s+([^[\]{}]*?)\n\s+\]/g, (all, inner) => {
  const one = `[${inner.split(/,\n\s+/).join(', ')}]`;
  return one.length <= 80 ? one : all;
});
writeFileSync(snapshot, `${json}\n`);
// Keep the fixture in the repository's own JSON style so `npm run lint` (prettier) passes on it.
const prettier = fileURLToPath(new URL('node_modules/.bin/prettier', root));
const formatted = spawnSync(prettier, ['--write', fileURLToPath(snapshot)], { stdio: 'ignore' });
if (formatted.status !== 0) console.warn('prettier did not format the snapshot; run `npm run format`');
console.log('wrote docs/tools.md and test/fixtures/tools.snapshot.json');
