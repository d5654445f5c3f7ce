// Read tools ask DocSpace for the fields their answer uses (DocSpace's `fields` filter), so the
// portal serialises and we parse a fraction of each DTO; the answers stay what they were.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FILE_FIELDS, PERSON_FIELDS } from '../../../src/tools/shape.js';
import { Harness, type Session } from '../../helpers/harness.js';

describe('read tools trim what DocSpace sends', () => {
  let h: Harness;
  let s: Session;
  const asked: URL[] = [];
  before(async () => {
    h = await Harness.start();
    s = await h.connect({
      role: 'owner',
      deps: {
        fetch: (input, init) => {
          const url = new URL(input instanceof Request ? input.url : String(input));
          if (url.pathname.startsWith('/api/2.0/')) asked.push(url);
          return fetch(input, init);
        },
      },
    });
  });
  after(async () => {
    await s.close();
    await h.close();
  });

  /** The `fields` of the last DocSpace request whose path ends with `suffix`. */
  function fieldsOf(suffix: string | RegExp): string[] {
    const url = asked.findLast((u) =>
      typeof suffix === 'string' ? u.pathname.endsWith(suffix) : suffix.test(u.pathname),
    );
    assert.ok(url, `no DocSpace request to ${String(suffix)}`);
    return url.searchParams.getAll('fields');
  }

  it('get_file_info asks for the projection and the extra fields, and still answers them', async () => {
    const list = await s.call('get_my_folder', { show: 'files' });
    const first = (list.structuredContent as { items: { id: number }[] }).items[0];
    assert.ok(first, 'the demo seed has a file in My documents');
    const r = await s.call('get_file_info', { fileId: first.id, fields: ['createdBy'] });
    assert.equal(r.isError, undefined);
    assert.deepEqual(fieldsOf(`/files/file/${first.id}`).sort(), [...FILE_FIELDS, 'createdBy'].sort());
    const data = r.structuredContent as Record<string, unknown>;
    for (const k of ['id', 'title', 'folderId', 'version', 'size', 'updated', 'webUrl', 'createdBy']) {
      assert.notEqual(data[k], undefined, `get_file_info lost ${k}`);
    }
  });

  it('listings ask for nested entry fields, the current folder and the total', async () => {
    const r = await s.call('get_rooms_folder', {});
    assert.equal(r.isError, undefined);
    const fields = fieldsOf('/files/rooms');
    for (const f of ['folders.id', 'folders.roomType', 'files.webUrl', 'current.id', 'pathParts', 'total']) {
      assert.ok(fields.includes(f), `get_rooms_folder does not ask for ${f}`);
    }
    const data = r.structuredContent as { items: Record<string, unknown>[]; total: number };
    assert.ok(data.items.length > 0 && data.total >= data.items.length);
    assert.ok(data.items.every((i) => i.kind === 'room' && typeof i.roomType === 'string'));
  });

  it('people tools ask for what the role and status are made of', async () => {
    const me = await s.call('get_current_user', {});
    assert.deepEqual(fieldsOf('/people/@self').sort(), [...PERSON_FIELDS].sort());
    assert.equal((me.structuredContent as { role: string }).role, 'owner');
    const all = await s.call('get_all_people', { count: 5 });
    assert.equal(all.isError, undefined);
    assert.deepEqual(fieldsOf('/people/filter').sort(), [...PERSON_FIELDS].sort());
  });
});
