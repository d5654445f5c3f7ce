// Rooms: list, create, info, update, archive/unarchive/delete (single operations), members, links, tags.
import type { Hono } from 'hono';
import { type Ctx, caller, dto, type Env, world } from '../http/env.js';
import { ok } from '../http/envelope.js';
import { arr, type Body, bool, enumValue, qEnum, readJson, str } from '../http/input.js';
import { accessOf, assertFolderInfo, canManageRoom, canRead, isAdmin, isArchived } from '../portal/access.js';
import { denied, invalidOp, messages, PortalError, ValidationError } from '../portal/errors.js';
import { Access, type Folder, RoomType, type RoomTypeNumber } from '../portal/types.js';
import { opDto } from './common.js';
import { folderContent, searchArea } from './content.js';
import { type LinkPolicy, listLinks, primaryLink, sendLink, upsertLink } from './links.js';
import { paging } from './paging.js';

/** Allowed invitation access per room type for users (FileSecurity.AvailableRoomAccesses, §3.5). */
export const roomAccess: Record<RoomTypeNumber, number[]> = {
  1: [9, 11, 7, 0],
  2: [9, 11, 10, 2, 0],
  5: [9, 11, 10, 5, 6, 2, 0],
  6: [9, 11, 0],
  8: [9, 11, 10, 2, 7, 0],
};

/** Unknown or invisible room ids answer 403, not 404: room ids are not to be enumerated. */
function roomParam(c: Ctx): Folder {
  const p = world(c).portal;
  const raw = c.req.param('id') ?? '';
  const room = /^\d+$/.test(raw) ? p.folders.get(Number(raw)) : undefined;
  if (!room || room.roomType === undefined) throw denied();
  if (!canRead(accessOf(p, caller(c), room))) throw denied();
  return room;
}

function managed(c: Ctx): Folder {
  const room = roomParam(c);
  if (!canManageRoom(world(c).portal, caller(c), room)) throw denied();
  return room;
}

function linkPolicy(c: Ctx, room: Folder): LinkPolicy {
  const p = world(c).portal;
  return {
    canRead: canRead(accessOf(p, caller(c), room)),
    canEdit: canManageRoom(p, caller(c), room) && !isArchived(p, room),
    defaultAccess: room.roomType === RoomType.FillingFormsRoom ? Access.FillForms : Access.Read,
  };
}

function applyRoomSettings(room: Folder, body: Body) {
  const tags = body.tags === undefined ? undefined : arr(body, 'tags').map(String);
  if (tags) room.tags = [...new Set(tags)];
  const color = str(body, 'color');
  if (color !== undefined) {
    if (color.length > 6)
      throw new ValidationError({ Color: ['The field Color must be a string with a maximum length of 6.'] });
    room.color = color;
  }
  room.indexing = bool(body, 'indexing') ?? room.indexing;
  room.denyDownload = bool(body, 'denyDownload') ?? room.denyDownload;
}

function roomTitle(body: Body, required: boolean): string | undefined {
  const t = str(body, 'title');
  if (t === undefined || t.trim() === '') {
    if (required) throw new ValidationError({ Title: ['The Title field is required.'] });
    return undefined;
  }
  if (t.length > 170)
    throw new ValidationError({ Title: ['The field Title must be a string with a maximum length of 170.'] });
  return t.trim();
}

/** Invite, change or remove one member; returns the member DTO or throws 403 for a forbidden level. */
function invite(c: Ctx, room: Folder, inv: Body, index: number) {
  const p = world(c).portal;
  const id = str(inv, 'id');
  const email = str(inv, 'email');
  // RoomInvitation.Access is a plain FileShare: left out, it binds to 0 (None), which removes.
  const access = enumValue(inv.access, Access, `invitations[${index}].access`) ?? Access.None;
  let user = id ? p.users.get(id) : undefined;
  if (!user && email) {
    user = p.userByEmail(email);
    if (!user) {
      // An unknown address becomes a pending guest, as DocSpace's invitation does.
      user = p.addUser({
        email,
        password: '',
        firstName: email.split('@')[0] ?? email,
        lastName: '',
        role: 'guest',
        status: 1,
        activationStatus: 2,
      });
      user.createdBy = caller(c).id;
    }
  }
  if (!user) throw new PortalError('notFound', 'The user could not be found');
  if (user.id === room.createdBy) throw denied();
  const allowed = roomAccess[room.roomType as RoomTypeNumber] ?? [];
  const managerOk = access !== Access.RoomManager || isAdmin(user) || user.role === 'roomAdmin';
  // FileSharing.SetAceObjectAsync: a level outside FileSecurity.AvailableRoomAccesses for the
  // room type (or the person's type) is an InvalidOperationException (403) with this text.
  if (!allowed.includes(access) || !managerOk) throw invalidOp(messages.roleNotAvailable);
  if (access === Access.None) {
    // Removing someone who is not a member changes nothing and lists nobody.
    if (!room.members.has(user.id)) return undefined;
    room.members.delete(user.id);
  } else room.members.set(user.id, access);
  return dto(c).memberShare(room, user.id, access);
}

export function registerRooms(app: Hono<Env>) {
  // VirtualRoomsController.GetRoomsFolder: the Archive is the listed folder for searchArea
  // Archive (and the templates folder for Templates, which the emulator does not keep).
  app.get('/rooms', (c) => {
    const p = world(c).portal;
    return folderContent(c, p.folder(searchArea(c) === 1 ? p.archiveId : p.roomsRootId));
  });

  app.post('/rooms', async (c) => {
    const p = world(c).portal;
    const me = caller(c);
    const body = await readJson(c);
    const title = roomTitle(body, true) as string;
    if (body.roomType === undefined || body.roomType === null) {
      throw new ValidationError({ RoomType: ['The RoomType field is required.'] });
    }
    const roomType = enumValue(body.roomType, RoomType, 'roomType');
    if (!roomType || !(roomType in roomAccess)) {
      throw new ValidationError({
        '$.roomType': ['The JSON value could not be converted to ASC.Files.Core.ApiModels.RoomType.'],
      });
    }
    if (me.role === 'user' || me.role === 'guest') throw denied();
    const room = p.addFolder({
      parentId: p.roomsRootId,
      title,
      createdBy: me.id,
      roomType: roomType as RoomTypeNumber,
    });
    room.private = bool(body, 'private') ?? false;
    applyRoomSettings(room, body);
    if (roomType === RoomType.PublicRoom) {
      room.links.push(
        p.newLink(me.id, { access: Access.Read, linkType: 1, primary: true, title: 'Shared link' }),
      );
    }
    for (const [i, s] of arr(body, 'share').entries()) {
      const row = (s ?? {}) as Body;
      invite(c, room, { id: row.shareTo, email: row.email, access: row.access }, i);
    }
    return ok(c, dto(c).folder(room));
  });

  app.get('/rooms/:id', (c) => {
    const p = world(c).portal;
    const raw = c.req.param('id');
    const room = /^\d+$/.test(raw) ? p.folders.get(Number(raw)) : undefined;
    // [AllowAnonymous]: GetFolderAsync answers an anonymous caller with 401 (VirtualRoomsController.cs GetRoomInfo).
    if (room?.roomType !== undefined) assertFolderInfo(p, caller(c), room);
    return ok(c, dto(c).folder(roomParam(c)));
  });

  app.put('/rooms/:id', async (c) => {
    const p = world(c).portal;
    const room = managed(c);
    const body = await readJson(c);
    if (isArchived(p, room)) throw denied();
    const title = roomTitle(body, false);
    if (title) room.title = title;
    applyRoomSettings(room, body);
    room.updated = p.now();
    room.modifiedBy = caller(c).id;
    return ok(c, dto(c).folder(room));
  });

  const relocate = (target: 'archive' | 'rooms') => async (c: Ctx) => {
    const w = world(c);
    const room = managed(c);
    const body = await readJson(c);
    const me = caller(c);
    const hold = !(bool(body, 'deleteAfter') ?? false);
    const op = w.ops.start(me.id, 0, hold, () => {
      const dest = target === 'archive' ? w.portal.archiveId : w.portal.roomsRootId;
      if (room.parentId !== dest) w.portal.reparent(room, dest);
      room.updated = w.portal.now();
      return { folders: [room.id] };
    });
    // ArchiveRoom/UnarchiveRoom read the new task by id: a single object (VirtualRoomsController.cs).
    const [mine] = w.ops.list(me.id, { queues: ['moveCopy'], id: op.id });
    return ok(c, opDto(c, mine ?? op));
  };
  app.put('/rooms/:id/archive', relocate('archive'));
  app.put('/rooms/:id/unarchive', relocate('rooms'));

  app.delete('/rooms/:id', async (c) => {
    const w = world(c);
    const room = managed(c);
    const body = await readJson(c);
    const me = caller(c);
    const op = w.ops.start(me.id, 2, !(bool(body, 'deleteAfter') ?? false), () => {
      w.portal.remove(room);
      return { processed: 1 };
    });
    // DeleteRoom answers with the *first* of the caller's delete operations, which is another one
    // when an earlier delete still runs (VirtualRoomsController.cs: GetOperationResults().FirstOrDefault()).
    const [first] = w.ops.list(me.id, { queues: ['delete'] });
    return ok(c, opDto(c, first ?? op));
  });

  app.get('/rooms/:id/share', (c) => {
    const room = roomParam(c);
    const d = dto(c);
    const filter =
      qEnum(c, 'filterType', {
        UserOrGroup: 0,
        InvitationLink: 1,
        ExternalLink: 2,
        AdditionalExternalLink: 4,
        PrimaryExternalLink: 8,
        User: 16,
        Group: 32,
      }) ?? 0;
    const text = c.req.query('filterValue')?.toLowerCase();
    const p = world(c).portal;
    let rows: Record<string, unknown>[] = [];
    if (filter === 0 || filter === 16) {
      const members = [...room.members.entries()].filter(([uid]) => {
        if (!text) return true;
        const u = p.users.get(uid);
        return !!u && `${u.firstName} ${u.lastName} ${u.email}`.toLowerCase().includes(text);
      });
      rows = members.map(([uid, a]) => d.memberShare(room, uid, a));
    } else {
      const edit = linkPolicy(c, room).canEdit;
      const pick = room.links.filter((l) =>
        filter === 1
          ? l.linkType === 0
          : filter === 8
            ? l.linkType === 1 && l.primary
            : filter === 4
              ? l.linkType === 1 && !l.primary
              : l.linkType === 1,
      );
      rows = pick.map((l) => d.linkShare(l, edit));
    }
    const { items, total } = paging(c, rows);
    return ok(c, items, { total, count: items.length });
  });

  app.put('/rooms/:id/share', async (c) => {
    const room = managed(c);
    const body = await readJson(c);
    const invitations = arr(body, 'invitations');
    if (invitations.length === 0) return ok(c, {});
    if (isArchived(world(c).portal, room)) throw denied();
    const members = invitations.flatMap((inv, i) => {
      if (!inv || typeof inv !== 'object')
        throw new ValidationError({ [`$.invitations[${i}]`]: ['The JSON value could not be converted.'] });
      return invite(c, room, inv as Body, i) ?? [];
    });
    return ok(c, { members });
  });

  app.get('/rooms/:id/link', (c) => {
    const room = roomParam(c);
    const policy = linkPolicy(c, room);
    const external =
      room.roomType === RoomType.PublicRoom ||
      room.roomType === RoomType.CustomRoom ||
      room.roomType === RoomType.FillingFormsRoom;
    return sendLink(c, external ? primaryLink(c, room, policy) : undefined, policy);
  });
  app.get('/rooms/:id/links', (c) => {
    const room = roomParam(c);
    const t = c.req.query('type');
    return listLinks(c, room, linkPolicy(c, room), t === undefined || t === '' ? undefined : Number(t));
  });
  app.put('/rooms/:id/links', (c) => {
    const room = roomParam(c);
    return upsertLink(c, room, linkPolicy(c, room));
  });

  app.put('/rooms/:id/tags', async (c) => {
    const room = managed(c);
    const names = arr(await readJson(c), 'names').map(String);
    room.tags = [...new Set([...room.tags, ...names])];
    return ok(c, dto(c).folder(room));
  });
  app.delete('/rooms/:id/tags', async (c) => {
    const room = managed(c);
    const names = new Set(arr(await readJson(c), 'names').map(String));
    room.tags = room.tags.filter((t) => !names.has(t));
    return ok(c, dto(c).folder(room));
  });
  for (const [path, pinned] of [
    ['pin', true],
    ['unpin', false],
  ] as const) {
    app.put(`/rooms/:id/${path}`, (c) => {
      const room = roomParam(c);
      room.pinned = pinned;
      return ok(c, dto(c).folder(room));
    });
  }
}
