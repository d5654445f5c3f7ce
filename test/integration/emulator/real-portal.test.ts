// Behaviours where a real portal is less kind than a naive emulator (issue 22). Each test names the
// DocSpace-server source (v3.7.2) that shows the behaviour; SRV = ONLYOFFICE/DocSpace-server.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { type FolderContent, Harness, type Role, roomId } from './harness.js';

interface Op {
  id: string;
  Operation: number;
  progress: number;
  error: string;
  finished: boolean;
  status: number;
  url?: string;
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('emulator: what a real portal does that a kind one would not', () => {
  let h: Harness;
  let my = 0;
  let report = 0;
  before(async () => {
    h = await Harness.start();
    my = (await h.get<FolderContent>('files/@my', 'user')).body.response.current.id as number;
    const files = (await h.get<FolderContent>(`files/${my}`, 'user')).body.response.files;
    report = files.find((f) => f.title === 'Report.docx')?.id as number;
  });
  afterEach(() => h.emu.setFaults({}));
  after(() => h.close());

  const folder = async (title: string, as: Role = 'user') =>
    (await h.call<{ id: number }>('POST', `files/folder/${my}`, { as, json: { title } })).body.response.id;

  describe('[AllowAnonymous] routes run a failed credential as the anonymous user (item 2)', () => {
    const stale = { Authorization: 'not-a-valid-session-token' };

    it('GET files/{id} → 403 "…view the folder content" (FoldersController.cs GetFolderByFolderId; FileStorageService.cs GetFolderItemsAsync)', async () => {
      const r = await h.get(`files/${my}`, undefined, stale);
      assert.equal(r.status, 403);
      assert.equal(r.body.error?.message, "You don't have enough permission to view the folder content");
    });

    it('GET/PUT files/file/{id}, its history, restoreversion and link → 403 (FilesController.cs [AllowAnonymous])', async () => {
      const info = await h.get(`files/file/${report}`, undefined, stale);
      assert.equal(info.status, 403);
      assert.equal(info.body.error?.message, "You don't have enough permission to view the file");
      assert.equal((await h.get(`files/file/${report}/history`, undefined, stale)).status, 403);
      assert.equal((await h.get(`files/file/${report}/link`, undefined, stale)).status, 403);
      const rename = await h.call('PUT', `files/file/${report}`, {
        headers: stale,
        json: { title: 'x.docx' },
      });
      assert.equal(rename.status, 403);
      const restore = await h.call('POST', `files/file/${report}/restoreversion?version=1`, {
        headers: stale,
      });
      assert.equal(restore.status, 403);
    });

    it('GET files/fileops → 200 with an empty list (OperationController.cs GetOperationStatuses)', async () => {
      h.emu.setFaults({ slowOperationsMs: 500 });
      const started = await h.call<Op[]>('PUT', 'files/fileops/copy', {
        as: 'user',
        json: { fileIds: [report], destFolderId: my, conflictResolveType: 2 },
      });
      assert.equal(started.body.response.length, 1);
      const r = await h.get<Op[]>('files/fileops', undefined, stale);
      assert.equal(r.status, 200);
      assert.deepEqual(r.body.response, []);
      // The same request with the owner's credential still sees the running operation.
      const mine = await h.get<Op[]>('files/fileops', 'user');
      assert.ok(mine.body.response.some((o) => o.id === started.body.response[0]?.id));
    });

    it('GET files/folder/{id} and files/rooms/{id} → 401 (FileStorageService.cs GetFolderAsync: AuthenticationException)', async () => {
      const f = await h.get(`files/folder/${my}`, undefined, stale);
      assert.equal(f.status, 401);
      assert.equal(f.body.error?.message, 'Authentication failed, see inner exception.');
      const room = await roomId(h, 'Projects');
      assert.equal((await h.get(`files/rooms/${room}`, undefined, stale)).status, 401);
      // Routes without [AllowAnonymous] keep the plain 401.
      assert.equal((await h.get('files/@my', undefined, stale)).status, 401);
      assert.equal((await h.get('people/@self', undefined, stale)).status, 401);
    });

    it('a wrong sk- key there → bare 403 (SRV:common/ASC.Api.Core/Middleware/ApiKeyScopesFilter.cs)', async () => {
      const wrong = { Authorization: `Bearer sk-${'0'.repeat(64)}` };
      const r = await h.get(`files/file/${report}`, undefined, wrong);
      assert.equal(r.status, 403);
      assert.equal(r.text, '');
      assert.equal((await h.get('people/@self', undefined, wrong)).status, 401);
    });

    it('expired credentials behave the same (the expiredTokens fault)', async () => {
      h.emu.setFaults({ expiredTokens: true });
      assert.equal((await h.get(`files/file/${report}`, 'user')).status, 403);
      assert.equal((await h.get('people/@self', 'user')).status, 401);
    });
  });

  it('OAuth scopes are not checked on [AllowAnonymous] routes (AuthorizationExtension.cs WithRequirementAuthorization skips them; item 8)', async () => {
    const login = await h.call<{ token: string }>('POST', 'authentication', {
      json: { userName: 'user@example.com', password: 'demo-password' },
    });
    const app = h.emu.info.oauthApps.find((a) => !a.isPublic);
    assert.ok(app);
    const r = await fetch(`${h.url}/oauth2/token`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Cookie: `asc_auth_key=${encodeURIComponent(login.body.response.token)}`,
      },
      body: new URLSearchParams({
        grant_type: 'personal_access_token',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        scope: 'rooms:read',
      }),
    });
    const auth = { Authorization: `Bearer ${((await r.json()) as { access_token: string }).access_token}` };
    assert.equal((await h.get(`files/file/${report}`, undefined, auth)).status, 200);
    assert.equal((await h.get('files/@my', undefined, auth)).status, 403);
  });

  it('a second bulk download while one runs → 403 "Too many downloads." (FileOperationsManager.cs CheckRunning; item 3)', async () => {
    h.emu.setFaults({ slowOperationsMs: 300 });
    const body = { fileConvertIds: [{ key: report, value: '.txt' }], returnSingleOperation: true };
    const first = await h.call<Op[]>('PUT', 'files/fileops/bulkdownload', { as: 'user', json: body });
    assert.equal(first.status, 200);
    const second = await h.call('PUT', 'files/fileops/bulkdownload', { as: 'user', json: body });
    assert.equal(second.status, 403);
    assert.equal(second.body.error?.message, 'Too many downloads.');
    // Another person is not affected.
    const other = await h.call('PUT', 'files/fileops/bulkdownload', {
      as: 'owner',
      json: { fileConvertIds: [{ key: report, value: '.txt' }] },
    });
    assert.equal(other.status, 404, 'the owner cannot read the user’s file: DownloadPermissionsCheck → 404');
    await h.waitOp(first.body.response[0]?.id as string, 'user');
    const third = await h.call<Op[]>('PUT', 'files/fileops/bulkdownload', { as: 'user', json: body });
    assert.equal(third.status, 200);
    await h.waitOp(third.body.response[0]?.id as string, 'user');
  });

  describe('which operations a call answers with (items 4 and 6)', () => {
    it('DELETE files/folder/{id} answers every delete operation of the person (FoldersController.cs DeleteFolder)', async () => {
      h.emu.setFaults({ slowOperationsMs: 300 });
      const a = await folder('del-a');
      const b = await folder('del-b');
      await h.call('DELETE', `files/folder/${a}`, { as: 'user', json: {} });
      const r = await h.call<Op[]>('DELETE', `files/folder/${b}`, {
        as: 'user',
        json: { returnSingleOperation: true },
      });
      assert.equal(r.body.response.length, 2);
    });

    it('DELETE files/file/{id} reads returnSingleOperation from the query, not the body (BatchModelRequestDto.cs DeleteRequestDto)', async () => {
      h.emu.setFaults({ slowOperationsMs: 300 });
      await h.call('PUT', 'files/fileops/delete', {
        as: 'user',
        json: { folderIds: [await folder('del-c')] },
      });
      const f1 = (
        await h.call<{ id: number }>('POST', `files/${my}/text`, { as: 'user', json: { title: 'a.txt' } })
      ).body.response.id;
      const f2 = (
        await h.call<{ id: number }>('POST', `files/${my}/text`, { as: 'user', json: { title: 'b.txt' } })
      ).body.response.id;
      const body = await h.call<Op[]>('DELETE', `files/file/${f1}`, {
        as: 'user',
        json: { returnSingleOperation: true },
      });
      assert.ok(body.body.response.length >= 2, 'the body flag is ignored');
      const query = await h.call<Op[]>('DELETE', `files/file/${f2}?returnSingleOperation=true`, {
        as: 'user',
        json: {},
      });
      assert.equal(query.body.response.length, 1);
    });

    it('DELETE files/rooms/{id} answers the first delete operation, not necessarily its own (VirtualRoomsController.cs DeleteRoom)', async () => {
      const created = await h.call<{ id: number }>('POST', 'files/rooms', {
        as: 'owner',
        json: { title: 'Doomed', roomType: 6 },
      });
      const room = created.body.response.id;
      const archived = await h.call<Op>('PUT', `files/rooms/${room}/archive`, { as: 'owner', json: {} });
      await h.waitOp(archived.body.response.id, 'owner');
      h.emu.setFaults({ slowOperationsMs: 300 });
      const ownerMy = (await h.get<FolderContent>('files/@my', 'owner')).body.response.current.id as number;
      const victim = (
        await h.call<{ id: number }>('POST', `files/folder/${ownerMy}`, { as: 'owner', json: { title: 'v' } })
      ).body.response.id;
      const first = await h.call<Op[]>('PUT', 'files/fileops/delete', {
        as: 'owner',
        json: { folderIds: [victim], returnSingleOperation: true },
      });
      const r = await h.call<Op>('DELETE', `files/rooms/${room}`, { as: 'owner', json: {} });
      assert.equal(r.status, 200, r.text);
      assert.ok(!Array.isArray(r.body.response));
      assert.equal(r.body.response.id, first.body.response[0]?.id);
    });

    it('copy, move, delete and bulkdownload answer an array even for one operation (OperationController.cs)', async () => {
      const target = await folder('arrays');
      for (const [path, json] of [
        ['files/fileops/copy', { fileIds: [report], destFolderId: target, returnSingleOperation: true }],
        ['files/fileops/delete', { folderIds: [await folder('gone')], returnSingleOperation: true }],
        ['files/fileops/bulkdownload', { fileIds: [report], returnSingleOperation: true }],
      ] as const) {
        const r = await h.call<Op[]>('PUT', path, { as: 'user', json });
        assert.equal(r.status, 200, `${path}: ${r.text}`);
        assert.ok(Array.isArray(r.body.response), path);
        assert.equal(r.body.response.length, 1, path);
        await h.waitOp(r.body.response[0]?.id as string, 'user');
      }
    });
  });

  it('deletes check before queueing: missing → 404, not allowed → 403 (DeletePermissionsCheck.cs)', async () => {
    const missing = await h.call('PUT', 'files/fileops/delete', { as: 'user', json: { fileIds: [999999] } });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error?.message, 'The required file was not found');
    const others = await h.call('PUT', 'files/fileops/delete', { as: 'admin', json: { fileIds: [report] } });
    assert.equal(others.status, 403);
    assert.equal((await h.call('DELETE', `files/file/${report}`, { as: 'admin', json: {} })).status, 403);
  });

  it('fileops?id= dequeues only that operation; the plain list dequeues every finished one (FileOperationsManager.cs GetOperationResults; item 5)', async () => {
    const a = await h.call<Op[]>('PUT', 'files/fileops/delete', {
      as: 'user',
      json: { folderIds: [await folder('q-a')], returnSingleOperation: true },
    });
    const b = await h.call<Op[]>('PUT', 'files/fileops/delete', {
      as: 'user',
      json: { folderIds: [await folder('q-b')], returnSingleOperation: true },
    });
    const ida = a.body.response[0]?.id as string;
    const idb = b.body.response[0]?.id as string;
    await wait(30);
    const one = await h.get<Op[]>(`files/fileops?id=${ida}`, 'user');
    assert.deepEqual(
      one.body.response.map((o) => [o.id, o.finished]),
      [[ida, true]],
    );
    assert.deepEqual((await h.get<Op[]>(`files/fileops?id=${ida}`, 'user')).body.response, []);
    const all = await h.get<Op[]>('files/fileops', 'user');
    assert.ok(all.body.response.some((o) => o.id === idb && o.finished));
    assert.ok(!(await h.get<Op[]>('files/fileops', 'user')).body.response.some((o) => o.id === idb));
  });

  it('status is always present; terminate removes the operation instead of reporting it canceled (FileOperationDto.cs; CancelOperations; item 7)', async () => {
    h.emu.setFaults({ slowOperationsMs: 500 });
    const r = await h.call<Op[]>('PUT', 'files/fileops/delete', {
      as: 'user',
      json: { folderIds: [await folder('t')], returnSingleOperation: true },
    });
    const op = r.body.response[0] as Op;
    assert.equal(op.status, 1);
    const t = await h.call<Op[]>('PUT', `files/fileops/terminate/${op.id}`, { as: 'user' });
    assert.equal(t.status, 200);
    assert.ok(!t.body.response.some((o) => o.id === op.id));
    assert.ok(!(await h.get<Op[]>('files/fileops', 'user')).body.response.some((o) => o.id === op.id));
  });

  it('chunks over 10 MiB are refused (SetupInfo.cs ChunkUploadSize; FileUploader.cs UploadChunkAsync; item 9)', async () => {
    const size = 10 * 1024 * 1024 + 512;
    const s = await h.call<{ data: { location: string } }>('POST', `files/${my}/upload/create_session`, {
      as: 'user',
      json: { fileName: 'big.bin', fileSize: size },
    });
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(size)]), 'big.bin');
    const r = await fetch(s.body.response.data.location, {
      method: 'POST',
      headers: h.key('user'),
      body: form,
    });
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), {
      success: false,
      message: 'The maximum file size is exceeded (100 MB).',
    });
  });

  describe('credentials (item 10)', () => {
    it('API keys are sk- and 64 lowercase hex digits (SRV:web/ASC.Web.Core/Users/ApiKeyManager.cs GenerateApiKey)', async () => {
      for (const u of h.emu.info.users) if (u.apiKey) assert.match(u.apiKey, /^sk-[0-9a-f]{64}$/);
      const created = await h.call<{ key: string }>('POST', 'keys', { as: 'user', json: { name: 'k' } });
      assert.match(created.body.response.key, /^sk-[0-9a-f]{64}$/);
    });

    it('the scheme names Basic and Bearer are case-sensitive (BaseStartup.cs ForwardDefaultSelector)', async () => {
      const key = h.user('user').apiKey as string;
      assert.equal((await h.get('people/@self', undefined, { Authorization: `Bearer ${key}` })).status, 200);
      assert.equal((await h.get('people/@self', undefined, { Authorization: `bearer ${key}` })).status, 401);
      const basic = Buffer.from('user@example.com:demo-password').toString('base64');
      assert.equal((await h.get('people/@self', undefined, { Authorization: `Basic ${basic}` })).status, 200);
      assert.equal((await h.get('people/@self', undefined, { Authorization: `basic ${basic}` })).status, 401);
    });

    it('every Basic answer carries WWW-Authenticate: Basic, successes too (BasicAuthHandler.cs)', async () => {
      const basic = Buffer.from('user@example.com:demo-password').toString('base64');
      const r = await h.get('people/@self', undefined, { Authorization: `Basic ${basic}` });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('www-authenticate'), 'Basic');
      assert.equal((await h.get('people/@self', 'user')).headers.get('www-authenticate'), null);
    });
  });

  it('no read right on GET files/file/{id} → 403 "You don\'t have enough permission to view the file" (FileStorageService.cs GetFileAsync; item 9)', async () => {
    const r = await h.get(`files/file/${report}`, 'admin');
    assert.equal(r.status, 403);
    assert.equal(r.body.error?.message, "You don't have enough permission to view the file");
  });
});
