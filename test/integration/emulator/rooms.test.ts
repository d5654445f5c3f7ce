import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type FolderContent, Harness, roomId } from './harness.js';

type Room = Record<string, unknown> & { id: number; title: string; roomType: number };
type Share = { access: number; isOwner: boolean; sharedToUser?: { id: string; email: string } };

describe('emulator: rooms', () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start();
  });
  after(() => h.close());

  it('creates rooms of every type, by number or by name', async () => {
    const cases: [unknown, number, number][] = [
      [1, 1, 15],
      ['EditingRoom', 2, 16],
      [5, 5, 19],
      ['PublicRoom', 6, 22],
      [8, 8, 29],
    ];
    for (const [input, roomType, folderType] of cases) {
      const r = await h.call<Room>('POST', 'files/rooms', {
        as: 'roomAdmin',
        json: { title: `Room ${input}`, roomType: input },
      });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.response.roomType, roomType);
      assert.equal(r.body.response.type, folderType);
      assert.equal(r.body.response.rootFolderType, 14);
    }
  });

  it('rejects rooms without a valid type and refuses users', async () => {
    const missing = await h.call('POST', 'files/rooms', { as: 'owner', json: { title: 'x' } });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.status, 1);
    const wrong = await h.call('POST', 'files/rooms', { as: 'owner', json: { title: 'x', roomType: 3 } });
    assert.equal(wrong.status, 400);
    const user = await h.call('POST', 'files/rooms', { as: 'user', json: { title: 'x', roomType: 5 } });
    assert.equal(user.status, 403);
  });

  it('lists only the rooms a user is in, filtered by type', async () => {
    const guest = await h.get<FolderContent>('files/rooms', 'guest');
    assert.deepEqual(guest.body.response.folders.map((f) => f.title).sort(), [
      'Projects',
      'Team collaboration',
    ]);
    const vdr = await h.get<FolderContent>('files/rooms?type=8&type=VirtualDataRoom', 'owner');
    assert.ok(vdr.body.response.folders.some((f) => f.title === 'Due diligence'));
    assert.ok(vdr.body.response.folders.every((f) => f.roomType === 8));
    const byFilter = await h.get<FolderContent>('files/rooms?filterType=20', 'owner');
    assert.ok(byFilter.body.response.folders.every((f) => f.roomType === 6));
    assert.ok(byFilter.body.response.folders.some((f) => f.title === 'Public docs'));
    const archived = await h.get<FolderContent>('files/rooms?searchArea=Archive', 'owner');
    assert.deepEqual(
      archived.body.response.folders.map((f) => f.title),
      ['Old project'],
    );
  });

  it('answers 403 (not 404) for unknown and invisible rooms', async () => {
    const unknown = await h.get('files/rooms/999999', 'owner');
    assert.equal(unknown.status, 403);
    assert.equal(unknown.body.error?.message, 'Access denied');
    const vdr = await roomId(h, 'Due diligence');
    assert.equal((await h.get(`files/rooms/${vdr}`, 'guest')).status, 403);
  });

  it('updates a room as its manager only; an empty title is ignored', async () => {
    const id = await roomId(h, 'Projects');
    const r = await h.call<Room>('PUT', `files/rooms/${id}`, {
      as: 'roomAdmin',
      json: { title: '', tags: ['x'] },
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.response.title, 'Projects');
    assert.deepEqual(r.body.response.tags, ['x']);
    assert.equal(
      (await h.call('PUT', `files/rooms/${id}`, { as: 'user', json: { title: 'Mine' } })).status,
      403,
    );
  });

  it('invites, changes and removes members with the access levels the room type allows', async () => {
    const created = await h.call<Room>('POST', 'files/rooms', {
      as: 'owner',
      json: { title: 'Forms 2', roomType: 1 },
    });
    const id = created.body.response.id;
    const user = h.user('user');
    const bad = await h.call('PUT', `files/rooms/${id}/share`, {
      as: 'owner',
      json: { invitations: [{ id: user.id, access: 10 }] },
    });
    assert.equal(bad.status, 403, 'Editing is not offered in a form-filling room');
    const manager = await h.call('PUT', `files/rooms/${id}/share`, {
      as: 'owner',
      json: { invitations: [{ id: user.id, access: 9 }] },
    });
    assert.equal(manager.status, 403, 'a plain user cannot be a room manager');
    const okay = await h.call<{ members: Share[] }>('PUT', `files/rooms/${id}/share`, {
      as: 'owner',
      json: { invitations: [{ email: 'user@example.com', access: 'FillForms' }], notify: false },
    });
    assert.equal(okay.status, 200, okay.text);
    assert.equal(okay.body.response.members[0]?.access, 7);
    assert.equal(okay.body.response.members[0]?.sharedToUser?.id, user.id);

    const list = await h.get<Share[]>(`files/rooms/${id}/share`, 'owner');
    assert.equal(list.body.total, 2);
    assert.ok(list.body.response.some((m) => m.isOwner && m.access === 9));
    assert.equal((await h.get(`files/rooms/${id}`, 'user')).status, 200);

    const removed = await h.call('PUT', `files/rooms/${id}/share`, {
      as: 'owner',
      json: { invitations: [{ id: user.id, access: 0 }] },
    });
    assert.equal(removed.status, 200);
    assert.equal((await h.get(`files/rooms/${id}`, 'user')).status, 403);
    const empty = await h.call('PUT', `files/rooms/${id}/share`, { as: 'owner', json: { invitations: [] } });
    assert.deepEqual(empty.body.response, {});
  });

  it('archives and unarchives as single operations', async () => {
    const created = await h.call<Room>('POST', 'files/rooms', {
      as: 'owner',
      json: { title: 'To archive', roomType: 2 },
    });
    const id = created.body.response.id;
    const op = await h.call<{ id: string; Operation: number; finished: boolean }>(
      'PUT',
      `files/rooms/${id}/archive`,
      {
        as: 'owner',
        json: {},
      },
    );
    assert.equal(op.status, 200);
    assert.equal(typeof op.body.response.id, 'string');
    assert.equal(op.body.response.finished, false);
    await h.waitOp(op.body.response.id, 'owner');
    const info = await h.get<Room>(`files/rooms/${id}`, 'owner');
    assert.equal(info.body.response.rootFolderType, 20);
    const edit = await h.call('PUT', `files/rooms/${id}`, { as: 'owner', json: { title: 'nope' } });
    assert.equal(edit.status, 403);
    const back = await h.call<{ id: string }>('PUT', `files/rooms/${id}/unarchive`, {
      as: 'owner',
      json: {},
    });
    await h.waitOp(back.body.response.id, 'owner');
    assert.equal((await h.get<Room>(`files/rooms/${id}`, 'owner')).body.response.rootFolderType, 14);
  });

  it('gives public rooms a primary external link and lets managers add more', async () => {
    const id = await roomId(h, 'Public docs');
    const primary = await h.get<{ sharedLink: { primary: boolean; linkType: number; shareLink: string } }>(
      `files/rooms/${id}/link`,
      'admin',
    );
    assert.equal(primary.body.response.sharedLink.primary, true);
    assert.equal(primary.body.response.sharedLink.linkType, 1);
    const added = await h.call<{ access: number; sharedLink: { id: string; expirationDate?: string } }>(
      'PUT',
      `files/rooms/${id}/links`,
      {
        as: 'admin',
        json: { access: 2, title: 'Press', expirationDate: '2030-01-01T00:00:00Z', linkType: 1 },
      },
    );
    assert.equal(added.status, 200, added.text);
    assert.match(added.body.response.sharedLink.expirationDate ?? '', /^2030-01-01T00:00:00\.0000000Z$/);
    const links = await h.get<unknown[]>(`files/rooms/${id}/links`, 'admin');
    assert.equal(links.body.response.length, 2);
  });
});
