import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LISTED_SCHEMAS } from '../../../src/tools/listed-schemas.generated.js';
import { useBuildTimeSchemas } from '../../../src/tools/listed.js';
import { META_TOOLS } from '../../../src/tools/meta.js';
import { TOOLS } from '../../../src/tools/registry.js';
import { listedJsonOf } from '../../../src/tools/schema.js';

describe('tools/list on a cold start', () => {
  it('lists every tool and meta tool with the build-time JSON Schemas, converting none', () => {
    useBuildTimeSchemas();
    // The very objects of the module (tools sharing a zod schema share one): a conversion would
    // return a new object.
    const fromModule = new Set(Object.values(LISTED_SCHEMAS).flatMap((s) => [s.input, s.output]));
    for (const tool of [...TOOLS, ...META_TOOLS]) {
      const built = LISTED_SCHEMAS[tool.name];
      const input = listedJsonOf(tool.input, 'input');
      assert.ok(fromModule.has(input), `${tool.name} input is converted`);
      assert.equal(JSON.stringify(input), JSON.stringify(built?.input));
      if (tool.output) {
        const output = listedJsonOf(tool.output, 'output');
        assert.ok(fromModule.has(output), `${tool.name} output is converted`);
        assert.equal(JSON.stringify(output), JSON.stringify(built?.output));
      }
    }
  });
});
