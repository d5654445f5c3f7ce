import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Harness } from './harness.js';

type Person = Record<string, unknown> & { id: string; email: string };

describe('emulator: people', () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start();
  });
  after(() => h.close());

  // DocSpace-server common/ASC.Api.Core/Model/EmployeeFullDto.cs (GetFullAsync): `IsAdmin` is
  // `type is DocSpaceAdmin && !IsOwner`, so the portal owner reads isOwner true, isAdmin false.
  it("describes each role with DocSpace's flags (the owner is not also isAdmin)", async () => {
    const expect: Record<string, Record<string, boolean>> = {
      owner: { isOwner: true, isAdmin: false, isRoomAdmin: false, isCollaborator: false, isVisitor: false },
      admin: { isOwner: false, isAdmin: true, isRoomAdmin: false, isCollaborator: false, isVisitor: false },
      roomAdmin: {
        isOwner: false,
        isAdmin: false,
        isRoomAdmin: true,
        isCollaborator: false,
        isVisitor: false,
      },
      user: { isOwner: false, isAdmin: false, isRoomAdmin: false, isCollaborator: true, isVisitor: false },
      guest: { isOwner: false, isAdmin: false, isRoomAdmin: false, isCollaborator: false, isVisitor: true },
    };
    for (const [role, flags] of Object.entries(expect)) {
      const me = (await h.get<Person>('people/@self', role as 'owner')).body.response;
      for (const [k, v] of Object.entries(flags)) assert.equal(me[k], v, `${role}.${k}`);
      assert.equal(me.status, 1);
      assert.equal(me.activationStatus, 1);
      assert.match(String(me.workFrom), /Z$/);
    }
  });

  it('lists everybody on people/filter with total, paging and search', async () => {
    const all = await h.get<Person[]>('people/filter', 'admin');
    assert.equal(all.status, 200);
    assert.equal(all.body.total, 7);
    assert.equal(all.body.count, 7);
    const page = await h.get<Person[]>(
      'people/filter?count=2&startIndex=2&sortBy=email&sortOrder=ascending',
      'admin',
    );
    assert.deepEqual(
      page.body.response.map((p) => p.email),
      ['guest@example.com', 'owner@example.com'],
    );
    assert.equal(page.body.total, 7);
    const found = await h.get<Person[]>('people/filter?filterValue=uma', 'admin');
    assert.deepEqual(
      found.body.response.map((p) => p.email),
      ['user@example.com'],
    );
  });

  it('filters by status and type', async () => {
    const terminated = await h.get<Person[]>('people/filter?employeeStatus=2', 'owner');
    assert.deepEqual(
      terminated.body.response.map((p) => p.email),
      ['former@example.com'],
    );
    const pending = await h.get<Person[]>('people/filter?employeeStatus=Pending', 'owner');
    assert.deepEqual(
      pending.body.response.map((p) => p.email),
      ['pending@example.com'],
    );
    const guests = await h.get<Person[]>('people/filter?employeeType=Guest', 'owner');
    assert.deepEqual(
      guests.body.response.map((p) => p.email),
      ['guest@example.com'],
    );
    const active = await h.get<Person[]>('people', 'owner');
    assert.ok(!active.body.response.some((p) => p.email === 'former@example.com'));
  });

  it('refuses the people list to users and guests', async () => {
    for (const role of ['user', 'guest'] as const) {
      const r = await h.get('people/filter', role);
      assert.equal(r.status, 403);
      assert.equal(r.body.error?.message, 'Access denied');
    }
  });

  it('finds people by id and by email, 404 for unknown ones', async () => {
    const id = h.user('user').id;
    assert.equal((await h.get<Person>(`people/${id}`, 'admin')).body.response.email, 'user@example.com');
    assert.equal((await h.get<Person>('people/email?email=USER@example.com', 'admin')).body.response.id, id);
    const missing = await h.get('people/00000000-0000-0000-0000-000000000000', 'admin');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, {
      error: { message: 'The user could not be found', type: null, stack: null, hresult: 0 },
      status: 1,
      statusCode: 404,
    });
  });
});
