// Every endpoint the emulator serves answers with a body that validates against the response schema
// the official OpenAPI file (3.6.0, trimmed extract in test/fixtures/openapi/) gives for that route.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type FolderContent, Harness, type Reply, type Role, roomId } from './harness.js';
import { loadExtract, type Schema, Validator } from './schema.js';

const doc = loadExtract();
const validator = new Validator(doc.schemas);

/** The error envelope from the server's code (reference/docspace-api.md §1.2); the OpenAPI file has none. */
const errorEnvelope: Schema = {
  type: 'object',
  required: ['error', 'status', 'statusCode'],
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      required: ['message', 'type', 'stack', 'hresult'],
      additionalProperties: false,
      properties: {
        message: { type: 'string' },
        type: { type: 'string', nullable: true },
        stack: { type: 'string', nullable: true },
        hresult: { type: 'integer' },
      },
    },
    status: { type: 'integer', enum: [1] },
    statusCode: { type: 'integer' },
  },
};

function conforms(spec: string, reply: Reply) {
  assert.equal(reply.status, 200, `${spec}: ${reply.text.slice(0, 300)}`);
  const wrapper = doc.paths[spec];
  assert.ok(wrapper, `${spec} is in the extract`);
  for (const k of ['response', 'count', 'links', 'status', 'statusCode']) {
    if (k === 'response' && reply.body.response === undefined) continue;
    assert.ok(k in reply.body, `${spec}: envelope has ${k}`);
  }
  assert.equal(reply.body.status, 0);
  const errors = validator.validate(reply.body, wrapper);
  assert.deepEqual(errors, [], `${spec} → ${wrapper}`);
}

describe('emulator: responses validate against the official schema', () => {
  let h: Harness;
  const ids: Record<string, number> = {};
  let userId = '';
  before(async () => {
    h = await Harness.start();
    userId = h.user('user').id;
    ids.my = (await h.get<FolderContent>('files/@my', 'user')).body.response.current.id as number;
    ids.projects = await roomId(h, 'Projects');
    ids.publicRoom = await roomId(h, 'Public docs');
    const files = (await h.get<FolderContent>(`files/${ids.my}`, 'user')).body.response.files;
    ids.report = files.find((f) => f.title === 'Report.docx')?.id as number;
  });
  after(() => h.close());

  const check = async (spec: string, path: string, as: Role = 'user', method = 'GET', json?: unknown) => {
    const r = await h.call(method, path, { as, json });
    conforms(spec, r);
    return r;
  };

  it('people', async () => {
    await check('GET /api/2.0/people/@self', 'people/@self');
    await check('GET /api/2.0/people', 'people', 'admin');
    await check('GET /api/2.0/people/filter', 'people/filter', 'admin');
    await check('GET /api/2.0/people/{userid}', `people/${userId}`, 'admin');
    await check('GET /api/2.0/people/email', 'people/email?email=guest@example.com', 'admin');
  });

  it('authentication and keys', async () => {
    conforms(
      'POST /api/2.0/authentication',
      await h.call('POST', 'authentication', {
        json: { userName: 'guest@example.com', password: 'demo-password' },
      }),
    );
    await check('GET /api/2.0/authentication', 'authentication');
    await check('POST /api/2.0/keys', 'keys', 'user', 'POST', { name: 'contract', permissions: [] });
    await check('GET /api/2.0/keys', 'keys');
  });

  it('folder listings and folders', async () => {
    for (const [spec, path] of [
      ['GET /api/2.0/files/@my', 'files/@my'],
      ['GET /api/2.0/files/@trash', 'files/@trash'],
      ['GET /api/2.0/files/@root', 'files/@root'],
      ['GET /api/2.0/files/@favorites', 'files/@favorites'],
      ['GET /api/2.0/files/recent', 'files/recent'],
      ['GET /api/2.0/files/{folderId}', `files/${ids.projects}`],
      ['GET /api/2.0/files/folder/{folderId}', `files/folder/${ids.my}`],
      ['GET /api/2.0/files/folder/{folderId}/path', `files/folder/${ids.projects}/path`],
      ['GET /api/2.0/files/{folderId}/subfolders', `files/${ids.projects}/subfolders`],
      ['GET /api/2.0/files/rooms', 'files/rooms'],
    ] as const) {
      await check(spec, path);
    }
    const created = await check(
      'POST /api/2.0/files/folder/{folderId}',
      `files/folder/${ids.my}`,
      'user',
      'POST',
      { title: 'Contract' },
    );
    const id = (created.body.response as { id: number }).id;
    await check('PUT /api/2.0/files/folder/{folderId}', `files/folder/${id}`, 'user', 'PUT', {
      title: 'Contract 2',
    });
    await check('DELETE /api/2.0/files/folder/{folderId}', `files/folder/${id}`, 'user', 'DELETE', {});
  });

  it('files, versions, links and settings', async () => {
    await check('GET /api/2.0/files/file/{fileId}', `files/file/${ids.report}`);
    await check('PUT /api/2.0/files/file/{fileId}', `files/file/${ids.report}`, 'user', 'PUT', {
      title: 'Report.docx',
    });
    await check('GET /api/2.0/files/file/{fileId}/history', `files/file/${ids.report}/history`);
    await check(
      'POST /api/2.0/files/file/{fileId}/restoreversion',
      `files/file/${ids.report}/restoreversion?version=1`,
      'user',
      'POST',
    );
    await check('GET /api/2.0/files/file/{fileId}/presigneduri', `files/file/${ids.report}/presigneduri`);
    await check('GET /api/2.0/files/file/{id}/link', `files/file/${ids.report}/link`);
    await check('POST /api/2.0/files/file/{id}/link', `files/file/${ids.report}/link`, 'user', 'POST', {
      access: 2,
    });
    await check('GET /api/2.0/files/file/{id}/links', `files/file/${ids.report}/links`);
    await check('PUT /api/2.0/files/file/{id}/links', `files/file/${ids.report}/links`, 'user', 'PUT', {
      access: 6,
      title: 'Comment',
    });
    await check('POST /api/2.0/files/{folderId}/file', `files/${ids.my}/file`, 'user', 'POST', {
      title: 'New.docx',
    });
    await check('POST /api/2.0/files/{folderId}/text', `files/${ids.my}/text`, 'user', 'POST', {
      title: 'New text',
      content: 'hi',
    });
    await check(
      'POST /api/2.0/files/{folderId}/upload/create_session',
      `files/${ids.my}/upload/create_session`,
      'user',
      'POST',
      {
        fileName: 'x.txt',
        fileSize: 1,
      },
    );
    const form = new FormData();
    form.append('file', new Blob(['hello']), 'inserted.txt');
    conforms(
      'POST /api/2.0/files/{folderId}/insert',
      await h.call('POST', `files/${ids.my}/insert`, { as: 'user', body: form }),
    );
    await check('POST /api/2.0/files/favorites', 'files/favorites', 'user', 'POST', {
      fileIds: [ids.report],
    });
    await check('GET /api/2.0/files/settings', 'files/settings');
    await check('DELETE /api/2.0/files/file/{fileId}', `files/file/${ids.report}`, 'user', 'DELETE', {});
  });

  it('file operations, including finished ones with their results', async () => {
    const plan = (await h.get<FolderContent>(`files/${ids.projects}`, 'user')).body.response.files.find(
      (f) => f.title === 'Project plan.docx',
    );
    const copy = await check('PUT /api/2.0/files/fileops/copy', 'files/fileops/copy', 'user', 'PUT', {
      fileIds: [plan?.id],
      destFolderId: ids.my,
      conflictResolveType: 2,
    });
    const opId = (copy.body.response as { id: string }[])[0]?.id as string;
    await new Promise((r) => setTimeout(r, 100));
    const finished = await check('GET /api/2.0/files/fileops', 'files/fileops');
    assert.ok(
      (finished.body.response as { id: string; finished: boolean }[]).some(
        (o) => o.id === opId && o.finished,
      ),
    );
    await check('PUT /api/2.0/files/fileops/move', 'files/fileops/move', 'user', 'PUT', {
      fileIds: [],
      destFolderId: ids.my,
    });
    await check('PUT /api/2.0/files/fileops/delete', 'files/fileops/delete', 'user', 'PUT', { fileIds: [] });
    await check('PUT /api/2.0/files/fileops/bulkdownload', 'files/fileops/bulkdownload', 'user', 'PUT', {
      fileConvertIds: [{ key: plan?.id, value: '.txt' }],
    });
    await new Promise((r) => setTimeout(r, 100));
    const withUrl = await check('GET /api/2.0/files/fileops', 'files/fileops');
    assert.ok((withUrl.body.response as { url?: string }[]).some((o) => typeof o.url === 'string'));
  });

  it('rooms, members and links', async () => {
    const created = await check('POST /api/2.0/files/rooms', 'files/rooms', 'owner', 'POST', {
      title: 'Contract room',
      roomType: 5,
    });
    const id = (created.body.response as { id: number }).id;
    await check('GET /api/2.0/files/rooms/{id}', `files/rooms/${id}`, 'owner');
    await check('PUT /api/2.0/files/rooms/{id}', `files/rooms/${id}`, 'owner', 'PUT', {
      title: 'Contract room 2',
    });
    await check('PUT /api/2.0/files/rooms/{id}/share', `files/rooms/${id}/share`, 'owner', 'PUT', {
      invitations: [{ id: userId, access: 11 }],
    });
    await check('GET /api/2.0/files/rooms/{id}/share', `files/rooms/${id}/share`, 'owner');
    await check('GET /api/2.0/files/rooms/{id}/link', `files/rooms/${ids.publicRoom}/link`, 'admin');
    await check(
      'PUT /api/2.0/files/rooms/{id}/links',
      `files/rooms/${ids.publicRoom}/links`,
      'admin',
      'PUT',
      { access: 2 },
    );
    await check('GET /api/2.0/files/rooms/{id}/links', `files/rooms/${ids.publicRoom}/links`, 'admin');
    await check('PUT /api/2.0/files/rooms/{id}/archive', `files/rooms/${id}/archive`, 'owner', 'PUT', {});
    await new Promise((r) => setTimeout(r, 80));
    await check('PUT /api/2.0/files/rooms/{id}/unarchive', `files/rooms/${id}/unarchive`, 'owner', 'PUT', {});
    await new Promise((r) => setTimeout(r, 80));
    await check('DELETE /api/2.0/files/rooms/{id}', `files/rooms/${id}`, 'owner', 'DELETE', {});
  });

  it('errors use the exception envelope', async () => {
    for (const [path, as, status] of [
      ['files/file/999999', 'user', 404],
      ['files/rooms/999999', 'user', 403],
      ['people/filter', 'user', 403],
      ['people/00000000-0000-0000-0000-000000000001', 'admin', 404],
    ] as const) {
      const r = await h.get(path, as);
      assert.equal(r.status, status, path);
      assert.deepEqual(validator.validate(r.body, errorEnvelope), [], path);
      assert.equal(r.body.statusCode, status);
    }
  });
});
