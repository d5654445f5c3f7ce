import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TOOLS } from '../../../src/tools/registry.js';
import {
  listToolNames,
  listToolsets,
  narrowSelection,
  resolveSelection,
  SelectionError,
} from '../../../src/tools/selection.js';

const inSet = (set: string) => TOOLS.filter((t) => t.toolset === set).map((t) => t.name);

describe('resolveSelection (DOCSPACE_TOOLSETS / ENABLED_TOOLS / DISABLED_TOOLS)', () => {
  it('exposes every tool by default, confirmation on', () => {
    const s = resolveSelection();
    assert.deepEqual(
      listToolNames(s),
      TOOLS.map((t) => t.name),
    );
    assert.equal(s.confirmDestructive, true);
    assert.equal(s.dynamic, false);
  });

  // The reference's documented examples (docs/configuration/tools-resolution.md).
  it('example 1: enabling a tool from an unlisted toolset adds it and its toolset', () => {
    const s = resolveSelection({ toolsets: ['files'], enabledTools: ['get_all_people'] });
    assert.deepEqual(listToolNames(s), [...inSet('files'), 'get_all_people']);
    assert.deepEqual(listToolsets(s), ['files', 'people']);
  });

  it('example 2: disabling a tool of a listed toolset removes only that tool', () => {
    const s = resolveSelection({ toolsets: ['files', 'folders'], disabledTools: ['delete_file'] });
    assert.deepEqual(
      listToolNames(s),
      [...inSet('files'), ...inSet('folders')].filter((n) => n !== 'delete_file'),
    );
  });

  it('example 3: no toolsets plus explicit tools exposes exactly those tools', () => {
    const s = resolveSelection({ toolsets: [], enabledTools: ['get_file_info', 'get_room_info'] });
    assert.deepEqual(listToolNames(s), ['get_file_info', 'get_room_info']);
    assert.deepEqual(listToolsets(s), ['files', 'rooms']);
  });

  it('expands "all", trims and lower-cases names', () => {
    const s = resolveSelection({ toolsets: [' ALL '], disabledTools: [' Delete_File'] });
    assert.ok(!listToolNames(s).includes('delete_file'));
    assert.equal(listToolNames(s).length, TOOLS.length - 1);
  });

  it('rejects unknown names, naming them', () => {
    assert.throws(
      () => resolveSelection({ toolsets: ['filez'] }),
      (e: unknown) => e instanceof SelectionError && /filez/.test(e.message),
    );
    assert.throws(() => resolveSelection({ enabledTools: ['delete_everything'] }), /delete_everything/);
  });

  it('rejects a selection that leaves no tool', () => {
    assert.throws(() => resolveSelection({ toolsets: [] }), /No tools left/);
    assert.throws(
      () => resolveSelection({ toolsets: ['files'], disabledTools: inSet('files') }),
      /No tools left/,
    );
  });

  it('read-only keeps exactly the tools annotated read-only', () => {
    const names = listToolNames(resolveSelection({ readOnly: true }));
    assert.deepEqual(
      names,
      TOOLS.filter((t) => t.hints.readOnlyHint).map((t) => t.name),
    );
    assert.ok(names.includes('get_file_info') && !names.includes('upload_file'));
  });
});

describe('narrowSelection (X-Mcp-* headers and query parameters)', () => {
  const server = resolveSelection({ toolsets: ['files', 'folders', 'rooms'] });
  const narrow = (req: Parameters<typeof narrowSelection>[1]) => narrowSelection(server, req);

  it('a toolset alone narrows (the reference needed enabled tools too)', () => {
    assert.deepEqual(listToolNames(narrow({ toolsets: ['folders'] })), inSet('folders'));
  });

  it('accepts names the server exposes (the reference checked them against an empty list)', () => {
    const r = narrow({
      toolsets: ['rooms'],
      enabledTools: ['get_file_info'],
      disabledTools: ['archive_room'],
    });
    assert.deepEqual(listToolNames(r), [
      'get_file_info',
      ...inSet('rooms').filter((n) => n !== 'archive_room'),
    ]);
  });

  it('empty lists mean nothing extra, not an error', () => {
    assert.deepEqual(
      listToolNames(narrow({ toolsets: ['files'], enabledTools: [], disabledTools: [] })),
      inSet('files'),
    );
  });

  it('cannot add what the server does not expose', () => {
    assert.throws(
      () => narrowSelection(server, { enabledTools: ['get_all_people'] }),
      (e: unknown) => e instanceof SelectionError && /get_all_people/.test(e.message),
    );
    assert.throws(
      () => narrowSelection(server, { toolsets: ['people'] }),
      (e: unknown) => e instanceof SelectionError && /people/.test(e.message),
    );
  });

  it('can switch read-only and confirmation on but never off', () => {
    const ro = resolveSelection({ readOnly: true, confirmDestructive: true });
    const r = narrowSelection(ro, { readOnly: false, confirmDestructive: false });
    assert.equal(r.readOnly, true);
    assert.equal(r.confirmDestructive, true);
    assert.ok(listToolNames(r).every((n) => TOOLS.find((t) => t.name === n)?.hints.readOnlyHint));
    assert.equal(narrow({ readOnly: true }).readOnly, true);
  });

  it('dynamic can be asked for per request', () => {
    assert.equal(narrow({ dynamic: true }).dynamic, true);
    assert.equal(narrow({}).dynamic, false);
  });

  it('reports when nothing is left', () => {
    assert.throws(
      () => narrowSelection(server, { toolsets: ['files'], disabledTools: inSet('files') }),
      (e: unknown) => e instanceof SelectionError && /No tools left/.test(e.message),
    );
  });
});
