// The portal's rules without HTTP: access levels, listing semantics of file operations, scopes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { routeScopes, scopeAllows } from '../../../emulator/http/auth.js';
import { project } from '../../../emulator/http/envelope.js';
import { accessOf, canCreateIn, canModify } from '../../../emulator/portal/access.js';
import { apiDate, humanSize } from '../../../emulator/portal/dto.js';
import { FileOps } from '../../../emulator/portal/fileops.js';
import { createSeededPortal } from '../../../emulator/portal/seed.js';
import type { Folder } from '../../../emulator/portal/types.js';

function seeded() {
  const { portal } = createSeededPortal('http://portal.test', { seed: 'demo' });
  const user = (email: string) => portal.userByEmail(email) ?? assert.fail(email);
  const room = (title: string) =>
    [...portal.folders.values()].find((f) => f.title === title && f.roomType !== undefined) ??
    assert.fail(title);
  return { portal, user, room };
}

describe('emulator portal: access', () => {
  it('gives room members their level, admins manage every room, others see nothing', () => {
    const { portal, user, room } = seeded();
    const dd = room('Due diligence');
    assert.equal(accessOf(portal, user('user@example.com'), dd), 2);
    assert.equal(accessOf(portal, user('admin@example.com'), dd), 9);
    assert.equal(accessOf(portal, user('guest@example.com'), dd), 0);
    assert.equal(canCreateIn(portal, user('user@example.com'), dd), false);
    assert.equal(canCreateIn(portal, user('roomadmin@example.com'), dd), true);
  });

  it('lets content creators change only what they made', () => {
    const { portal, user, room } = seeded();
    const projects = room('Projects');
    const uma = user('user@example.com');
    const ownersFile = portal.childFiles(projects.id)[0] ?? assert.fail('no file');
    assert.equal(canModify(portal, uma, ownersFile), false);
    const mine = portal.addFile({
      folderId: projects.id,
      title: 'mine.txt',
      bytes: new Uint8Array(1),
      createdBy: uma.id,
    });
    assert.equal(canModify(portal, uma, mine), true);
  });

  it('keeps personal folders to their owner', () => {
    const { portal, user } = seeded();
    const uma = user('user@example.com');
    const my = portal.folder(uma.myFolderId as number);
    assert.equal(accessOf(portal, uma, my), 1);
    assert.equal(accessOf(portal, user('owner@example.com'), my), 0);
  });

  it('seeds the same ids on every run', () => {
    const a = seeded();
    const b = seeded();
    assert.equal(a.room('Projects').id, b.room('Projects').id);
    assert.equal(a.user('user@example.com').id, b.user('user@example.com').id);
    assert.equal(a.portal.files.size, b.portal.files.size);
    assert.ok(a.portal.files.size >= 30);
  });

  it('archives one room and rooms of every type exist', () => {
    const { portal } = seeded();
    const rooms = [...portal.folders.values()].filter(
      (f): f is Folder & { roomType: number } => f.roomType !== undefined,
    );
    assert.deepEqual([...new Set(rooms.map((r) => r.roomType))].sort(), [1, 2, 5, 6, 8]);
    assert.deepEqual(
      portal.childFolders(portal.archiveId).map((r) => r.title),
      ['Old project'],
    );
  });
});

describe('emulator portal: file operations', () => {
  it('reports a held operation finished once, then forgets it; unheld ones vanish', async () => {
    const ops = new FileOps(() => ({ delayMs: 1 }));
    const held = ops.start('u', 1, true, () => ({ files: [1] }));
    const unheld = ops.start('u', 2, false, () => ({}));
    assert.deepEqual(
      ops.list('u').map((o) => [o.id, o.finished]),
      [
        [held.id, false],
        [unheld.id, false],
      ],
    );
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(
      ops.list('u').map((o) => [o.id, o.finished, o.progress]),
      [[held.id, true, 100]],
    );
    assert.deepEqual(ops.list('u'), []);
    ops.clear();
  });

  it('turns a thrown error or the failure fault into the error text', async () => {
    const ops = new FileOps(() => ({ delayMs: 1 }));
    const op = ops.start('u', 0, true, () => {
      throw new Error('boom');
    });
    const failing = new FileOps(() => ({ delayMs: 1, failWith: 'Disk is full' }));
    const op2 = failing.start('u', 0, true, () => ({}));
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(op.error, 'boom');
    assert.equal(op2.error, 'Disk is full');
  });
});

describe('emulator http: helpers', () => {
  it('maps routes to the scopes DocSpace requires', () => {
    assert.deepEqual(routeScopes('GET', '/api/2.0/files/rooms/5'), ['rooms:read', 'rooms:write']);
    assert.deepEqual(routeScopes('PUT', '/api/2.0/files/fileops/copy'), ['files:write']);
    assert.deepEqual(routeScopes('GET', '/api/2.0/people/@self'), [
      'accounts.self:read',
      'accounts.self:write',
    ]);
    assert.equal(routeScopes('GET', '/api/2.0/keys'), undefined);
    assert.equal(scopeAllows(['files:read'], 'GET', '/api/2.0/keys'), false);
    assert.equal(scopeAllows(['*:read'], 'GET', '/api/2.0/keys'), true);
    assert.equal(scopeAllows(['*:read'], 'POST', '/api/2.0/files/rooms'), false);
    assert.equal(scopeAllows(['rooms:write'], 'POST', '/api/2.0/files/rooms'), true);
  });

  it('projects fields through arrays and nested objects, names matched exactly', () => {
    const tree = new Map([
      ['files', new Map([['title', new Map()]])],
      ['total', new Map()],
    ]);
    assert.deepEqual(project({ files: [{ id: 1, title: 'a' }], total: 1, current: {} }, tree), {
      files: [{ title: 'a' }],
      total: 1,
    });
    // DocSpace compares names ordinally: `Title` is not `title`.
    assert.deepEqual(project({ files: [{ Title: 'a' }], Total: 1 }, tree), { files: [{}] });
  });

  it('formats dates and sizes like DocSpace', () => {
    assert.equal(apiDate(new Date(Date.UTC(2026, 0, 5, 9, 0, 0, 120))), '2026-01-05T09:00:00.1200000Z');
    assert.equal(humanSize(500), '500 bytes');
    assert.equal(humanSize(7721), '7.54 KB');
  });
});
