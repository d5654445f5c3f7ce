// Folders: sections (@my, @trash, @root, recent, favourites), info, path, create, rename, delete.
import type { Hono } from 'hono';
import { type Ctx, caller, dto, type Env, world } from '../http/env.js';
import { ok } from '../http/envelope.js';
import { bool, readJson } from '../http/input.js';
import {
  accessOf,
  assertFolderInfo,
  assertRead,
  canCreateIn,
  canManageRoom,
  canModify,
  canRead,
} from '../portal/access.js';
import { assertDeletable, remove } from '../portal/actions.js';
import { denied, messages, PortalError } from '../portal/errors.js';
import { type File, type Folder, FolderType } from '../portal/types.js';
import { deleteFlags, folderParam, queueResponse, title } from './common.js';
import { folderContent, pathParts } from './content.js';
import { type LinkPolicy, listLinks, primaryLink, sendLink, upsertLink } from './links.js';
import { paging } from './paging.js';

/** A virtual section listing (recent, favourites): plain files, no folder tree. */
function sectionListing(c: Ctx, titleText: string, folderType: number, files: File[]) {
  const d = dto(c);
  const { items, total, startIndex } = paging(c, files);
  return ok(c, {
    files: items.map((f) => d.file(f)),
    folders: [],
    current: {
      id: -folderType,
      title: titleText,
      type: folderType,
      filesCount: total,
      foldersCount: 0,
      fileEntryType: 1,
    },
    pathParts: [{ id: -folderType, title: titleText, folderType }],
    startIndex,
    count: items.length,
    total,
    new: 0,
  });
}

export function registerFolderSections(app: Hono<Env>) {
  app.get('/@my', (c) => {
    const me = caller(c);
    if (me.myFolderId === undefined) throw denied();
    return folderContent(c, world(c).portal.folder(me.myFolderId));
  });
  app.get('/@trash', (c) => folderContent(c, world(c).portal.folder(caller(c).trashFolderId)));
  app.get('/@root', (c) => {
    const p = world(c).portal;
    const me = caller(c);
    const ids = [me.myFolderId, p.roomsRootId, me.role === 'guest' ? undefined : p.archiveId];
    if (c.req.query('withoutTrash') !== 'true') ids.push(me.trashFolderId);
    const d = dto(c);
    const list = ids
      .filter((i): i is number => i !== undefined)
      .map((i) => {
        const f = p.folder(i);
        return {
          files: [],
          folders: [],
          current: d.folder(f),
          pathParts: pathParts(p, i),
          startIndex: 0,
          count: 0,
          total: 0,
          new: 0,
        };
      });
    return ok(c, list);
  });
  app.get('/recent', (c) => {
    const p = world(c).portal;
    const me = caller(c);
    const ids = [...(p.recent.get(me.id) ?? [])].reverse();
    const files = ids.flatMap((i) => {
      const f = p.files.get(i);
      return f && p.rootOf(f).folderType !== FolderType.Trash ? [f] : [];
    });
    return sectionListing(c, 'Recent', 11, files);
  });
  app.get('/@favorites', (c) => {
    const me = caller(c);
    const files = [...world(c).portal.files.values()].filter((f) => f.favoriteOf.has(me.id));
    return sectionListing(c, 'Favorites', 10, files);
  });
}

export function registerFolders(app: Hono<Env>) {
  app.get('/folder/:folderId', (c) => {
    const f = folderParam(c);
    assertFolderInfo(world(c).portal, caller(c), f);
    return ok(c, dto(c).folder(f));
  });

  app.get('/folder/:folderId/path', (c) => {
    const p = world(c).portal;
    const f = folderParam(c);
    assertRead(p, caller(c), f);
    const d = dto(c);
    return ok(
      c,
      p.path(f.id).map((x) => d.folder(x)),
    );
  });

  app.post('/folder/:folderId', async (c) => {
    const p = world(c).portal;
    const parent = folderParam(c);
    const body = await readJson(c);
    const t = title(body) as string;
    if (!canCreateIn(p, caller(c), parent)) throw new PortalError('forbidden', messages.createDenied);
    const f = p.addFolder({ parentId: parent.id, title: t, createdBy: caller(c).id });
    p.touch(parent.id, caller(c).id);
    return ok(c, dto(c).folder(f));
  });

  app.put('/folder/:folderId', async (c) => {
    const p = world(c).portal;
    const f = folderParam(c);
    const body = await readJson(c);
    const t = title(body);
    const me = caller(c);
    assertRead(p, me, f);
    const allowed = f.roomType ? canManageRoom(p, me, f) : canModify(p, me, f);
    if (!allowed) throw denied();
    if (t && t !== f.title) {
      f.title = t;
      f.updated = p.now();
      f.modifiedBy = me.id;
    }
    return ok(c, dto(c).folder(f));
  });

  app.delete('/folder/:folderId', async (c) => {
    const w = world(c);
    const f = folderParam(c);
    const body = await readJson(c);
    const { deleteAfter, immediately } = deleteFlags(body);
    const me = caller(c);
    if (f.parentId === 0 || f.roomType) throw denied();
    assertDeletable(w.portal, me, { fileIds: [], folderIds: [f.id] }, immediately);
    const op = w.ops.start(me.id, 2, !deleteAfter, () =>
      remove(w.portal, me, { fileIds: [], folderIds: [f.id] }, immediately),
    );
    // DeleteFolder has no `returnSingleOperation`: the answer is every delete operation of the
    // caller (FoldersController.cs DeleteFolder calls GetOperationResults() without the task id).
    return ok(c, queueResponse(c, op, false));
  });

  const linkPolicy = (c: Ctx, f: Folder): LinkPolicy => {
    const p = world(c).portal;
    const me = caller(c);
    return { canRead: canRead(accessOf(p, me, f)), canEdit: canModify(p, me, f), defaultAccess: 2 };
  };
  app.get('/folder/:folderId/link', (c) => {
    const f = folderParam(c);
    const policy = linkPolicy(c, f);
    return sendLink(c, primaryLink(c, f, policy), policy);
  });
  app.post('/folder/:folderId/link', (c) => upsertLink(c, folderParam(c), linkPolicy(c, folderParam(c)), 1));
  app.get('/folder/:folderId/links', (c) => listLinks(c, folderParam(c), linkPolicy(c, folderParam(c))));
  app.put('/folder/:folderId/links', (c) => upsertLink(c, folderParam(c), linkPolicy(c, folderParam(c)), 1));

  app.get('/:folderId/subfolders', (c) => {
    const p = world(c).portal;
    const f = folderParam(c);
    assertRead(p, caller(c), f);
    const d = dto(c);
    return ok(
      c,
      p.childFolders(f.id).map((x) => d.folder(x)),
    );
  });
}

/** `GET files/{folderId}`: registered last so the named routes win. */
export function registerFolderContent(app: Hono<Env>) {
  app.get('/:folderId', (c) => folderContent(c, folderParam(c)));
}
