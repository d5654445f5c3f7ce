// Every tool, through the SDK v2 client against the emulator: it works, it says clearly when
// access is denied, when the target does not exist, and when an argument is wrong.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { TOOLS } from '../../../src/tools/registry.js';
import { Harness, type Role, type ToolResult, text } from '../../helpers/harness.js';

type Ids = Record<string, number>;

interface Case {
  /** Arguments that succeed for `role` (default user), and what the result must show. */
  ok: { role?: Role; args: (ids: Ids) => Record<string, unknown>; expect: RegExp; structured?: string };
  /** Someone without the rights; undefined when the tool touches nothing access-controlled. */
  denied?: { role: Role; args: (ids: Ids) => Record<string, unknown> };
  /** A missing target. */
  notFound?: (ids: Ids) => Record<string, unknown>;
  /** A wrong argument, and the field the message must name. */
  bad: { args: (ids: Ids) => Record<string, unknown>; field: string };
}

const MISSING = 987654;

const cases: Record<string, Case> = {
  get_file_info: {
    ok: { args: (i) => ({ fileId: i['Report.docx'] }), expect: /Report\.docx/, structured: 'id' },
    denied: { role: 'guest', args: (i) => ({ fileId: i['Audit report.pdf'] }) },
    notFound: () => ({ fileId: MISSING }),
    bad: { args: () => ({ fileId: 'abc' }), field: 'fileId' },
  },
  update_file: {
    ok: {
      args: (i) => ({ fileId: i['Report.docx'], title: 'Annual report.docx' }),
      expect: /Annual report\.docx/,
    },
    denied: { role: 'guest', args: (i) => ({ fileId: i['Meeting notes.docx'], title: 'x.docx' }) },
    notFound: () => ({ fileId: MISSING, title: 'x.docx' }),
    bad: { args: (i) => ({ fileId: i['Report.docx'], title: '' }), field: 'title' },
  },
  delete_file: {
    ok: { args: (i) => ({ fileId: i['My notes.txt'] }), expect: /Trash/ },
    denied: { role: 'guest', args: (i) => ({ fileId: i['Meeting notes.docx'] }) },
    notFound: () => ({ fileId: MISSING }),
    bad: { args: () => ({}), field: 'fileId' },
  },
  copy_batch_items: {
    ok: {
      args: (i) => ({ folderIds: [i.Personal], destFolderId: i.Projects }),
      expect: /Copied 1 item.*\n.*Personal/,
    },
    denied: {
      role: 'guest',
      args: (i) => ({ fileIds: [i['Meeting notes.docx']], destFolderId: i['Team collaboration'] }),
    },
    notFound: (i) => ({ fileIds: [i['Report.docx']], destFolderId: MISSING }),
    bad: {
      args: (i) => ({ fileIds: [i['Report.docx']], destFolderId: i.Projects, conflict: 'merge' }),
      field: 'conflict',
    },
  },
  move_batch_items: {
    ok: {
      args: (i) => ({ fileIds: [i['Contacts.csv']], destFolderId: i.Personal }),
      expect: /Moved 1 item.*\n.*Contacts\.csv/,
    },
    denied: {
      role: 'guest',
      args: (i) => ({ fileIds: [i['Meeting notes.docx']], destFolderId: i['Team collaboration'] }),
    },
    notFound: (i) => ({ fileIds: [i['Contacts.csv']], destFolderId: MISSING }),
    bad: { args: () => ({ fileIds: [1] }), field: 'destFolderId' },
  },
  download_file_as_text: {
    ok: {
      args: (i) => ({ fileId: i['Report.docx'] }),
      expect: /<document_[0-9a-f]+ file_id="\d+" title="Report\.docx" trust="untrusted">\nQuarterly report/,
    },
    denied: { role: 'guest', args: (i) => ({ fileId: i['Audit report.pdf'] }) },
    notFound: () => ({ fileId: MISSING }),
    bad: { args: (i) => ({ fileId: i['Report.docx'], length: 0 }), field: 'length' },
  },
  get_file_versions: {
    ok: { args: (i) => ({ fileId: i['Report.docx'] }), expect: /2 version\(s\):\n- v2/ },
    denied: { role: 'guest', args: (i) => ({ fileId: i['Audit report.pdf'] }) },
    notFound: () => ({ fileId: MISSING }),
    bad: { args: () => ({ fileId: 1.5 }), field: 'fileId' },
  },
  restore_file_version: {
    ok: {
      args: (i) => ({ fileId: i['Report.docx'], version: 1 }),
      expect: /Restored version 1 .* now version 3/,
    },
    denied: { role: 'guest', args: (i) => ({ fileId: i['Meeting notes.docx'], version: 1 }) },
    notFound: () => ({ fileId: MISSING, version: 1 }),
    bad: { args: (i) => ({ fileId: i['Report.docx'], version: 0 }), field: 'version' },
  },
  search_files: {
    ok: {
      args: () => ({ query: 'report' }),
      expect: /Report\.docx[\s\S]*Audit report\.pdf|Audit report\.pdf[\s\S]*Report\.docx/,
    },
    notFound: () => ({ query: 'report', folderId: MISSING }),
    bad: { args: () => ({ query: '' }), field: 'query' },
  },
  get_recent_files: {
    ok: { args: () => ({}), expect: /total|Items/ },
    bad: { args: () => ({ count: 1000 }), field: 'count' },
  },
  get_favorite_files: {
    ok: { args: () => ({}), expect: /total|Items/ },
    bad: { args: () => ({ startIndex: 'first' }), field: 'startIndex' },
  },
  upload_file: {
    ok: {
      args: (i) => ({ parentId: i.Personal, filename: 'hello.txt', content: 'hi' }),
      expect: /Uploaded .*hello\.txt/,
    },
    denied: {
      role: 'guest',
      args: (i) => ({ parentId: i['Team collaboration'], filename: 'x.txt', content: 'x' }),
    },
    notFound: () => ({ parentId: MISSING, filename: 'x.txt', content: 'x' }),
    bad: {
      args: (i) => ({ parentId: i.Personal, filename: 'x.bin', content: 'not base64!', encoding: 'base64' }),
      field: 'content',
    },
  },
  download_file: {
    ok: { args: (i) => ({ fileId: i['Logo.png'] }), expect: /embedded resource/ },
    denied: { role: 'guest', args: (i) => ({ fileId: i['Audit report.pdf'] }) },
    notFound: () => ({ fileId: MISSING }),
    bad: { args: () => ({ fileId: null }), field: 'fileId' },
  },
  create_file: {
    ok: { args: (i) => ({ folderId: i.Personal, title: 'Plan.xlsx' }), expect: /Created .*Plan\.xlsx/ },
    denied: { role: 'guest', args: (i) => ({ folderId: i['Team collaboration'], title: 'x.docx' }) },
    notFound: () => ({ folderId: MISSING, title: 'x.docx' }),
    bad: { args: (i) => ({ folderId: i.Personal, title: 'x.exe' }), field: 'title' },
  },
  get_share_links: {
    ok: { role: 'owner', args: (i) => ({ roomId: i['Public docs'] }), expect: /Shared link.*viewer.*\/s\// },
    denied: { role: 'guest', args: (i) => ({ fileId: i['Audit report.pdf'] }) },
    notFound: () => ({ fileId: MISSING }),
    bad: { args: (i) => ({ fileId: i['Report.docx'], roomId: i.Projects }), field: 'fileId' },
  },
  create_share_link: {
    ok: {
      args: (i) => ({ fileId: i['Report.docx'], access: 'editor', expiresAt: '2031-01-01T00:00:00Z' }),
      expect: /Created editor link .*\/s\/.*expires 2031/,
    },
    denied: { role: 'guest', args: (i) => ({ fileId: i['Meeting notes.docx'] }) },
    notFound: () => ({ fileId: MISSING }),
    bad: { args: (i) => ({ fileId: i['Report.docx'], expiresAt: 'tomorrow' }), field: 'expiresAt' },
  },
  create_folder: {
    ok: {
      args: (i) => ({ parentId: i.Personal, title: 'Invoices' }),
      expect: /Created folder \d+ "Invoices"/,
    },
    denied: { role: 'guest', args: (i) => ({ parentId: i['Team collaboration'], title: 'x' }) },
    notFound: () => ({ parentId: MISSING, title: 'x' }),
    bad: { args: (i) => ({ parentId: i.Personal }), field: 'title' },
  },
  delete_folder: {
    ok: { args: (i) => ({ folderId: i.Personal }), expect: /Moved folder \d+ to the Trash/ },
    denied: { role: 'guest', args: (i) => ({ folderId: i.Specs }) },
    notFound: () => ({ folderId: MISSING }),
    bad: { args: () => ({ folderId: 'Documents' }), field: 'folderId' },
  },
  get_folder_content: {
    ok: {
      args: (i) => ({ folderId: i.Projects, show: 'folders' }),
      expect: /Items 1–1 of 1\.\n- \[folder\] \d+ "Specs"/,
    },
    denied: { role: 'guest', args: (i) => ({ folderId: i['Due diligence'] }) },
    notFound: () => ({ folderId: MISSING }),
    bad: { args: (i) => ({ folderId: i.Projects, show: 'everything' }), field: 'show' },
  },
  get_folder_info: {
    ok: { args: (i) => ({ folderId: i.Specs }), expect: /\[folder\] \d+ "Specs"/ },
    denied: { role: 'guest', args: (i) => ({ folderId: i['Due diligence'] }) },
    notFound: () => ({ folderId: MISSING }),
    bad: { args: () => ({ folderId: -1.5 }), field: 'folderId' },
  },
  rename_folder: {
    ok: {
      args: (i) => ({ folderId: i.Personal, title: 'Private' }),
      expect: /Renamed folder \d+ to "Private"/,
    },
    denied: { role: 'guest', args: (i) => ({ folderId: i.Specs, title: 'x' }) },
    notFound: () => ({ folderId: MISSING, title: 'x' }),
    bad: { args: (i) => ({ folderId: i.Personal, title: 42 }), field: 'title' },
  },
  get_my_folder: {
    ok: {
      args: () => ({ count: 2 }),
      expect: /My documents.*Items 1–2 of \d+\. More: call get_my_folder with startIndex=2\./,
    },
    bad: { args: () => ({ startIndex: -1 }), field: 'startIndex' },
  },
  create_room: {
    ok: {
      role: 'roomAdmin',
      args: () => ({ title: 'Contracts' }),
      expect: /Created custom room \d+ "Contracts"/,
    },
    denied: { role: 'user', args: () => ({ title: 'Contracts' }) },
    bad: { args: () => ({ title: 'Contracts', roomType: 3 }), field: 'roomType' },
  },
  get_room_info: {
    ok: { args: (i) => ({ roomId: i.Projects }), expect: /\[room\] \d+ "Projects" \(custom\)/ },
    denied: { role: 'guest', args: (i) => ({ roomId: i['Due diligence'] }) },
    bad: { args: () => ({ roomId: 'Projects' }), field: 'roomId' },
  },
  update_room: {
    ok: {
      role: 'owner',
      args: (i) => ({ roomId: i.Projects, title: 'Projects 2026' }),
      expect: /Updated room \d+ "Projects 2026"/,
    },
    denied: { role: 'user', args: (i) => ({ roomId: i.Projects, title: 'x' }) },
    bad: { args: (i) => ({ roomId: i.Projects }), field: 'title' },
  },
  archive_room: {
    ok: { role: 'owner', args: (i) => ({ roomId: i.Projects }), expect: /Archived room/ },
    denied: { role: 'user', args: (i) => ({ roomId: i.Projects }) },
    bad: { args: () => ({}), field: 'roomId' },
  },
  unarchive_room: {
    ok: {
      role: 'owner',
      args: (i) => ({ roomId: i['Old project'] }),
      expect: /Restored room \d+ from the Archive/,
    },
    denied: { role: 'user', args: (i) => ({ roomId: i['Old project'] }) },
    bad: { args: () => ({ roomId: [1] }), field: 'roomId' },
  },
  set_room_security: {
    ok: {
      role: 'owner',
      args: (i) => ({ roomId: i.Projects, invitations: [{ email: 'admin@example.com', access: 'editor' }] }),
      expect: /Updated access to room[\s\S]*admin@example\.com/,
    },
    denied: {
      role: 'user',
      args: (i) => ({ roomId: i.Projects, invitations: [{ email: 'admin@example.com', access: 'viewer' }] }),
    },
    bad: {
      args: (i) => ({ roomId: i.Projects, invitations: [{ email: 'admin@example.com', access: 'owner' }] }),
      field: 'invitations.0.access',
    },
  },
  get_room_security_info: {
    ok: {
      role: 'owner',
      args: (i) => ({ roomId: i.Projects, show: 'users' }),
      expect: /Olivia Owner.*room_manager/,
    },
    denied: { role: 'guest', args: (i) => ({ roomId: i['Due diligence'] }) },
    bad: { args: (i) => ({ roomId: i.Projects, show: 'owners' }), field: 'show' },
  },
  get_rooms_folder: {
    ok: { args: () => ({ roomType: 'custom' }), expect: /\[room\] \d+ "Projects" \(custom\)/ },
    bad: { args: () => ({ roomType: 'lounge' }), field: 'roomType' },
  },
  get_room_types: {
    ok: { args: () => ({}), expect: /- custom: Custom room/ },
    bad: { args: () => ({ extra: 1 }), field: 'extra' },
  },
  get_room_access_levels: {
    ok: { args: (i) => ({ roomId: i.Forms }), expect: /form_filling[\s\S]*- form_filler/ },
    denied: { role: 'guest', args: (i) => ({ roomId: i['Due diligence'] }) },
    bad: { args: () => ({ roomId: 'x' }), field: 'roomId' },
  },
  get_all_people: {
    ok: { role: 'admin', args: () => ({ search: 'rita' }), expect: /Rita Roomadmin/ },
    denied: { role: 'guest', args: () => ({}) },
    bad: { args: () => ({ count: 0 }), field: 'count' },
  },
  get_current_user: {
    ok: { role: 'guest', args: () => ({}), expect: /Signed in as .*Gus Guest.*guest/ },
    bad: { args: () => ({ fields: 'email' }), field: 'fields' },
  },
  find_person: {
    ok: { args: () => ({ email: 'roomadmin@example.com' }), expect: /Rita Roomadmin/ },
    // A guest's name search falls back to room members (restricted.test.ts), so no denial here.
    bad: { args: () => ({ email: 'not-an-email' }), field: 'email' },
  },
};

// DocSpace answers 403 (not 404) for a room id that does not exist; the message says both.
const roomNotFound = (c: Case) => (i: Ids) => ({ ...c.ok.args(i), roomId: MISSING });

describe('every tool against the emulator', () => {
  let h: Harness;
  let ids: Ids = {};

  before(async () => {
    h = await Harness.start();
    ids = await lookupIds(h);
  });
  after(() => h.close());
  beforeEach(() => h.emu.reset());

  it('has a case for every tool', () => {
    assert.deepEqual(Object.keys(cases).sort(), TOOLS.map((t) => t.name).sort());
  });

  for (const [tool, c] of Object.entries(cases)) {
    describe(tool, () => {
      it('succeeds', async () => {
        const s = await h.connect({ role: c.ok.role ?? 'user' });
        const r = await s.call(tool, c.ok.args(ids));
        assert.ok(!r.isError, text(r));
        assert.match(text(r), c.ok.expect);
        assert.ok(r.structuredContent, 'structuredContent missing');
      });

      if (c.denied) {
        const denied = c.denied;
        it(`tells ${denied.role} that access is denied`, async () => {
          const s = await h.connect({ role: denied.role });
          const r = await s.call(tool, denied.args(ids));
          assert.equal(r.isError, true, text(r));
          assert.match(text(r), /access|denied|permission|rights/i);
          assertNoStack(r);
        });
      }

      const missing = c.notFound ?? ('roomId' in c.ok.args(ids) ? roomNotFound(c) : undefined);
      if (missing) {
        it('says when the target does not exist', async () => {
          const s = await h.connect({ role: c.ok.role ?? 'owner' });
          const r = await s.call(tool, missing(ids));
          assert.equal(r.isError, true, text(r));
          assert.match(text(r), /not found|does not exist|cannot see|denied/i);
          assertNoStack(r);
        });
      }

      it('names the bad argument', async () => {
        const s = await h.connect({ role: c.ok.role ?? 'user' });
        const r = await s.call(tool, c.bad.args(ids));
        assert.equal(r.isError, true, text(r));
        assert.ok(text(r).includes(c.bad.field), `expected "${c.bad.field}" in: ${text(r)}`);
        assertNoStack(r);
      });
    });
  }
});

function assertNoStack(r: ToolResult): void {
  assert.doesNotMatch(text(r), /\n\s+at .+:\d+:\d+/, 'stack trace in a tool result');
}

/** Ids of the seeded entries by title, so the cases read like the demo portal. */
async function lookupIds(h: Harness): Promise<Ids> {
  const ids: Ids = {};
  const add = (r: ToolResult) => {
    const sc = r.structuredContent as {
      folder?: { id: number; title: string };
      items?: { id: number; title: string }[];
    };
    if (sc.folder) ids[sc.folder.title] = sc.folder.id;
    for (const it of sc.items ?? []) ids[it.title] ??= it.id;
  };
  const user = await h.connect({ role: 'user' });
  const owner = await h.connect({ role: 'owner' });
  add(await user.call('get_my_folder', {}));
  add(await owner.call('get_rooms_folder', {}));
  add(await owner.call('get_rooms_folder', { archived: true }));
  for (const room of ['Projects', 'Team collaboration', 'Due diligence']) {
    add(await owner.call('get_folder_content', { folderId: ids[room] }));
  }
  for (const name of [
    'Report.docx',
    'Personal',
    'Projects',
    'Specs',
    'Audit report.pdf',
    'Meeting notes.docx',
    'Logo.png',
    'Old project',
  ]) {
    assert.ok(ids[name], `seed has no "${name}"`);
  }
  return ids;
}
