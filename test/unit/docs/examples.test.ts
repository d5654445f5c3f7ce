// Doc-comment examples live in `*.examples.ts` files that tsc compiles (so they keep up with the
// API); the comments point at them with `{@includeCode <file>#<region>}`. Every pointer must
// name a file and a region that exist.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const SRC = new URL('../../../../src/', import.meta.url);

function sources(dir: URL): URL[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(new URL(`${e.name}/`, dir)) : e.name.endsWith('.ts') ? [new URL(e.name, dir)] : [],
  );
}

describe('doc-comment examples', () => {
  it('every {@includeCode} names an examples file and a region in it', () => {
    const pointers: string[] = [];
    for (const file of sources(SRC)) {
      for (const [, target, region] of readFileSync(file, 'utf8').matchAll(/\{@includeCode ([^#}\s]+)#([\w-]+)\}/g)) {
        const examples = new URL(target as string, file);
        pointers.push(`${file.pathname.split('/src/')[1]} → ${target}#${region}`);
        assert.match(target as string, /\.examples\.ts$/, `${file.pathname}: examples live in *.examples.ts`);
        assert.ok(existsSync(examples), `${file.pathname}: ${target} is missing`);
        const text = readFileSync(examples, 'utf8');
        assert.ok(
          text.includes(`//#region ${region}\n`) && text.includes(`//#endregion ${region}\n`),
          `${target} has no region ${region}`,
        );
      }
    }
    assert.ok(pointers.length >= 2, pointers.join('\n'));
  });
});
