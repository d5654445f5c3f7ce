import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../../../emulator/index.js';
import type { DocSpaceClient } from '../../../src/docspace/index.js';
import { clientFor, emulator, failure, seedUser } from './helpers.js';

describe('rooms against the emulator', () => {
  let emu: Emulator;
  let owner: DocSpaceClient;
  before(async () => {
    emu = await emulator();
    owner = clientFor(emu, 'owner');
  });
  after(() => emu.close());

  it('lists rooms, filtered by type and title', async () => {
    const rooms = await owner.folders.rooms();
    assert.equal(rooms.current.type, 14, 'the Rooms root is FolderType 14');
    const names = rooms.folders.map((r) => r.title);
    assert.ok(names.includes('Projects') && names.includes('Forms'));
    assert.ok(!names.includes('Old project'), 'archived rooms are not in the active list');
    const custom = await owner.rooms.list({ type: [5] });
    assert.ok(custom.folders.every((r) => r.roomType === 5));
    const archived = await owner.rooms.list({ searchArea: 1 });
    assert.deepEqual(
      archived.folders.map((r) => r.title),
      ['Old project'],
    );
    const found = await owner.rooms.list({ search: 'diligence' });
    assert.deepEqual(
      found.folders.map((r) => r.title),
      ['Due diligence'],
    );
  });

  it('creates a room, changes it, and reads it back', async () => {
    const room = await owner.rooms.create({ title: 'Launch', roomType: 2 });
    assert.equal(room.roomType, 2);
    assert.equal(room.type, 16, 'an EditingRoom is FolderType 16');
    const updated = await owner.rooms.update(room.id, { title: 'Launch 2026' });
    assert.equal(updated.title, 'Launch 2026');
    assert.equal((await owner.rooms.info(room.id)).title, 'Launch 2026');
    const levels = await owner.rooms.accessLevels(room.id);
    assert.deepEqual(
      levels.map((l) => l.access),
      [9, 11, 10, 2, 0],
    );
  });

  it('invites by email and by id, lists members with a total, and removes', async () => {
    const room = await owner.rooms.create({ title: 'Members', roomType: 5 });
    const user = seedUser(emu, 'user');
    const result = await owner.rooms.setSecurity(room.id, {
      invitations: [
        { email: 'user@example.com', access: 10 },
        { id: seedUser(emu, 'roomAdmin').id, access: 9 },
      ],
    });
    assert.ok(result.members?.some((m) => m.sharedToUser?.id === user.id && m.access === 10));
    const members = await owner.rooms.security(room.id);
    assert.equal(members.total, 3, 'owner + 2 invitees');
    assert.ok(members.items.some((m) => m.isOwner));
    await owner.rooms.setSecurity(room.id, { invitations: [{ id: user.id, access: 0 }] });
    const after = await owner.rooms.security(room.id);
    assert.ok(!after.items.some((m) => m.sharedToUser?.id === user.id));
    // The invited user can now see the room; a plain user cannot be made room manager.
    const e = await failure(owner.rooms.setSecurity(room.id, { invitations: [{ id: user.id, access: 9 }] }));
    assert.equal(e.code, 'forbidden');
  });

  it('archives and restores a room', async () => {
    const room = await owner.rooms.create({ title: 'Seasonal', roomType: 6 });
    await owner.rooms.archive(room.id);
    assert.equal((await owner.rooms.info(room.id)).rootFolderType, 20, 'archived rooms live in the Archive');
    await owner.rooms.unarchive(room.id);
    assert.equal((await owner.rooms.info(room.id)).rootFolderType, 14);
  });

  it('an unknown room is refused with 403, and the message says it may not exist', async () => {
    const e = await failure(owner.rooms.info(987_654));
    assert.equal(e.code, 'forbidden');
    assert.match(e.message, /room 987654/);
    assert.match(e.message, /does not exist/);
  });

  it('a user cannot create rooms', async () => {
    const e = await failure(clientFor(emu, 'user').rooms.create({ title: 'Mine', roomType: 5 }));
    assert.equal(e.code, 'forbidden');
  });
});

describe('room links against the emulator', () => {
  let emu: Emulator;
  before(async () => {
    emu = await emulator();
  });
  after(() => emu.close());

  it('creates an external link for a public room and lists it', async () => {
    const owner = clientFor(emu, 'owner');
    const room = await owner.rooms.create({ title: 'Press kit', roomType: 6 });
    const link = await owner.rooms.setLink(room.id, { access: 2, linkType: 1, title: 'Press' });
    assert.equal(link.sharedLink?.title, 'Press');
    const links = await owner.rooms.links(room.id, { type: 1 });
    assert.ok(links.some((l) => l.sharedLink?.id === link.sharedLink?.id));
  });
});
