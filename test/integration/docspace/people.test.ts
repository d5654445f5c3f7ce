import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../../../emulator/index.js';
import { clientFor, emulator, failure, seedUser } from './helpers.js';

describe('people against the emulator', () => {
  let emu: Emulator;
  before(async () => {
    emu = await emulator();
  });
  after(() => emu.close());

  it('knows who is signed in', async () => {
    const me = await clientFor(emu, 'user').people.self();
    assert.equal(me.email, 'user@example.com');
    assert.equal(me.id, seedUser(emu, 'user').id);
    assert.equal(me.isCollaborator, true);
  });

  it('lists people with a total, and pages', async () => {
    const admin = clientFor(emu, 'admin');
    const all = await admin.people.list();
    assert.ok(all.total >= 5);
    assert.ok(all.items.some((p) => p.email === 'owner@example.com'));
    const page = await admin.people.list({ count: 2, startIndex: 0 });
    assert.equal(page.items.length, 2);
    assert.equal(page.total, all.total);
    const found = await admin.people.list({ search: 'Rita' });
    assert.deepEqual(
      found.items.map((p) => p.email),
      ['roomadmin@example.com'],
    );
  });

  it('finds a person by id and by email', async () => {
    const admin = clientFor(emu, 'admin');
    const owner = seedUser(emu, 'owner');
    assert.equal((await admin.people.get(owner.id)).email, 'owner@example.com');
    assert.equal((await admin.people.byEmail('owner@example.com')).id, owner.id);
    const e = await failure(admin.people.byEmail('nobody@example.com'));
    assert.equal(e.code, 'not_found');
  });

  it('a guest may not list the portal’s people', async () => {
    const e = await failure(clientFor(emu, 'guest').people.list());
    assert.equal(e.code, 'forbidden');
    assert.match(e.message, /Access denied/);
  });

  it('trims answers to the requested fields', async () => {
    const me = await clientFor(emu, 'user').people.self({ fields: ['id', 'displayName'] });
    assert.deepEqual(Object.keys(me).sort(), ['displayName', 'id']);
  });
});
