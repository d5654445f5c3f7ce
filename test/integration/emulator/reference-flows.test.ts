// The DocSpace calls the reference MCP server makes for its tools (reference/upstream-docspace-mcp.md
// §1.3, §1.5–1.7), sent the way it sends them, answered with what it parses.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Harness } from './harness.js';

type Env<T> = {
  status: number;
  statusCode: number;
  response: T;
  links: { href: string; action: string }[];
  count?: number;
};
type Op = { id: string; progress: number; error: string; finished: boolean; url?: string };

describe("emulator: the reference server's call sequences", () => {
  let h: Harness;
  let headers: Record<string, string>;
  before(async () => {
    h = await Harness.start();
    const login = await h.call<{ token: string }>('POST', 'authentication', {
      json: { userName: 'user@example.com', password: 'demo-password' },
    });
    const t = login.body.response.token;
    // How the reference sends a personal token: raw header plus cookie, JSON accept.
    headers = { Authorization: t, Cookie: `asc_auth_key=${t}`, Accept: 'application/json' };
  });
  after(() => h.close());

  async function call<T>(method: string, path: string, body?: unknown): Promise<Env<T>> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
    }
    const r = await fetch(`${h.url}/${path}`, init);
    const json = (await r.json()) as Env<T> & { error?: { message: string } };
    assert.equal(json.error, undefined, `${method} ${path}: ${json.error?.message}`);
    assert.ok(r.ok, `${method} ${path}: ${r.status}`);
    for (const k of ['status', 'statusCode', 'response', 'links'] as const)
      assert.ok(k in json, `${path} has ${k}`);
    return json;
  }

  /** resolver.ts: poll every 100 ms, at most 20 times, done on finished / progress 100 / error. */
  async function resolve(ops: Op[]): Promise<Op[]> {
    const state = new Map(ops.map((o) => [o.id, o]));
    for (let i = 0; i < 20; i++) {
      if ([...state.values()].every((o) => o.error || o.progress === 100 || o.finished)) break;
      await new Promise((r) => setTimeout(r, 100));
      for (const o of (await call<Op[]>('GET', 'api/2.0/files/fileops')).response)
        if (state.has(o.id)) state.set(o.id, o);
    }
    const out = [...state.values()];
    assert.ok(
      out.every((o) => !o.error && (o.progress === 100 || o.finished)),
      JSON.stringify(out),
    );
    return out;
  }

  it('get_my_folder, create_folder, rename_folder, get_folder_info, get_folder_content, delete_folder', async () => {
    const my = await call<{ current: { id: number } }>(
      'GET',
      'api/2.0/files/@my?count=30&fields=current.id&fields=files.title',
    );
    const created = await call<{ id: number }>(
      'POST',
      `api/2.0/files/folder/${my.response.current.id}?fields=id`,
      { title: 'Agent' },
    );
    await call('PUT', `api/2.0/files/folder/${created.response.id}?fields=title`, { title: 'Agent 2' });
    const info = await call<{ title: string }>(
      'GET',
      `api/2.0/files/folder/${created.response.id}?fields=title`,
    );
    assert.equal(info.response.title, 'Agent 2');
    await call('GET', `api/2.0/files/${created.response.id}?count=30&startIndex=0&sortOrder=0`);
    const del = await call<Op[]>('DELETE', `api/2.0/files/folder/${created.response.id}`, {
      deleteAfter: false,
      immediately: false,
    });
    await resolve(del.response);
  });

  it('upload_file then download_file_as_text', async () => {
    const my = await call<{ current: { id: number } }>('GET', 'api/2.0/files/@my');
    const content = new TextEncoder().encode('Hello from the agent.\nSecond line.');
    const session = await call<{ success: boolean; data: { id: string } }>(
      'POST',
      `api/2.0/files/${my.response.current.id}/upload/create_session`,
      {
        fileName: 'agent.txt',
        fileSize: content.length,
        createOn: new Date().toISOString(),
        createNewIfExist: true,
      },
    );
    const form = new FormData();
    form.append('file', new Blob([content], { type: 'text/plain' }));
    const chunk = await fetch(`${h.url}/ChunkedUploader.ashx?uid=${session.response.data.id}`, {
      method: 'POST',
      headers,
      body: form,
    });
    assert.equal(chunk.status, 201);
    const uploaded = ((await chunk.json()) as { data: { id: number } }).data.id;

    const file = await call<{ fileExst: string }>('GET', `api/2.0/files/file/${uploaded}`);
    assert.equal(file.response.fileExst, '.txt');
    const bulk = await call<Op[]>('PUT', 'api/2.0/files/fileops/bulkdownload', {
      fileConvertIds: [{ key: uploaded, value: '.txt' }],
    });
    const [op] = await resolve(bulk.response);
    const text = await (
      await fetch(op?.url as string, { headers: { ...headers, Accept: 'text/plain' } })
    ).text();
    assert.equal(text, 'Hello from the agent.\nSecond line.');

    const report = (
      await call<{ files: { id: number; title: string }[] }>('GET', 'api/2.0/files/@my')
    ).response.files.find((f) => f.title === 'Report.docx');
    const settings = await call<{ extsConvertible: Record<string, string[]> }>(
      'GET',
      'api/2.0/files/settings',
    );
    const target = settings.response.extsConvertible['.docx']?.find((e) => e === '.txt' || e === '.csv');
    assert.equal(target, '.txt');
    const conv = await call<Op[]>('PUT', 'api/2.0/files/fileops/bulkdownload', {
      fileConvertIds: [{ key: report?.id, value: target }],
    });
    const [done] = await resolve(conv.response);
    assert.match(await (await fetch(done?.url as string, { headers })).text(), /Sales grew/);
  });

  it('get_file_info, update_file, copy_batch_items, move_batch_items, delete_file', async () => {
    const my = await call<{ current: { id: number }; files: { id: number; title: string }[] }>(
      'GET',
      'api/2.0/files/@my',
    );
    const f = my.response.files[0] as { id: number };
    await call('GET', `api/2.0/files/file/${f.id}?fields=id&fields=title`);
    await call('PUT', `api/2.0/files/file/${f.id}`, { title: 'Renamed by agent' });
    const sub = await call<{ id: number }>('POST', `api/2.0/files/folder/${my.response.current.id}`, {
      title: 'Batch',
    });
    const copy = await call<Op[]>('PUT', 'api/2.0/files/fileops/copy', {
      folderIds: [],
      fileIds: [f.id],
      destFolderId: sub.response.id,
      conflictResolveType: 2,
      deleteAfter: false,
    });
    await resolve(copy.response);
    const move = await call<Op[]>('PUT', 'api/2.0/files/fileops/move', {
      folderIds: [],
      fileIds: [f.id],
      destFolderId: sub.response.id,
      conflictResolveType: 2,
      deleteAfter: false,
    });
    await resolve(move.response);
    // delete_file: checks Trash first, then deletes.
    const trash = await call<{ current: { id: number } }>('GET', 'api/2.0/files/@trash');
    const info = await call<{ folderId: number }>('GET', `api/2.0/files/file/${f.id}`);
    assert.notEqual(info.response.folderId, trash.response.current.id);
    const del = await call<Op[]>('DELETE', `api/2.0/files/file/${f.id}`, {
      deleteAfter: false,
      immediately: false,
    });
    await resolve(del.response);
    assert.equal(
      (await call<{ folderId: number }>('GET', `api/2.0/files/file/${f.id}`)).response.folderId,
      trash.response.current.id,
    );
  });

  it('rooms: create, info, update, access levels, security, archive; people', async () => {
    const ownerKey = { Authorization: `Bearer ${h.user('roomAdmin').apiKey}`, Accept: 'application/json' };
    const saved = headers;
    headers = ownerKey;
    try {
      await call('GET', 'api/2.0/files/rooms?count=30&type=5&type=6&sortBy=AZ&sortOrder=0');
      const room = await call<{ id: number; roomType: number }>(
        'POST',
        'api/2.0/files/rooms?fields=id&fields=roomType',
        {
          title: 'Agent room',
          roomType: 6,
        },
      );
      assert.equal(room.response.roomType, 6);
      const id = room.response.id;
      await call('GET', `api/2.0/files/rooms/${id}?fields=title`);
      await call('PUT', `api/2.0/files/rooms/${id}`, { title: 'Agent room 2' });
      const sec = await call<{ members: { access: number }[] }>('PUT', `api/2.0/files/rooms/${id}/share`, {
        invitations: [{ id: h.user('user').id, access: 11 }],
        notify: false,
        message: 'Welcome',
      });
      assert.equal(sec.response.members[0]?.access, 11);
      const members = await call<unknown[]>('GET', `api/2.0/files/rooms/${id}/share?count=30&filterType=0`);
      assert.equal(members.response.length, 2);
      const archived = await call<Op>('PUT', `api/2.0/files/rooms/${id}/archive`, {});
      await resolve([archived.response]);
      const people = await call<{ id: string; displayName: string }[]>(
        'GET',
        'api/2.0/people/filter?count=30&fields=id&fields=displayName',
      );
      assert.ok(people.response.every((p) => typeof p.id === 'string' && typeof p.displayName === 'string'));
    } finally {
      headers = saved;
    }
  });
});
