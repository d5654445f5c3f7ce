#!/usr/bin/env node
// Regenerates docs/tools.md and the reviewed schema snapshot test/fixtures/tools.snapshot.json
// from the tool records. Run after `npx tsc -p .`; tests fail while either file is stale.
import { writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const { renderToolsDoc, toolsSnapshot } = await import(new URL('dist/src/tools/docs.js', root).href);

writeFileSync(new URL('docs/tools.md', root), renderToolsDoc());
writeFileSync(new URL('test/fixtures/tools.snapshot.json', root), `${JSON.stringify(toolsSnapshot(), null, 2)}\n`);
console.log('wrote docs/tools.md and test/fixtures/tools.snapshot.json');
