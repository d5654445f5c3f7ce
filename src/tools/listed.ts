import { LISTED_SCHEMAS } from './listed-schemas.generated.js';
import { META_TOOLS } from './meta.js';
import { TOOLS } from './registry.js';
import { useBuiltJson } from './schema.js';

let used = false;

/**
 * Lists every tool and meta tool with the JSON Schemas computed at build time
 * (`listed-schemas.generated.ts`, written by scripts/gen-tools-doc.mjs with the reviewed snapshot)
 * instead of converting 35 zod schemas on the first `tools/list`. Keyed by the records' own zod
 * objects: any other schema is still converted. Validation stays with zod. A test keeps the
 * module equal to zod's conversion (test/unit/tools/snapshot.test.ts).
 */
export function useBuildTimeSchemas(): void {
  if (used) return;
  used = true;
  for (const tool of [...TOOLS, ...META_TOOLS]) {
    const built = LISTED_SCHEMAS[tool.name];
    if (!built) continue;
    useBuiltJson(tool.input, 'input', built.input);
    if (tool.output && built.output) useBuiltJson(tool.output, 'output', built.output);
  }
}
