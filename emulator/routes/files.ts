// Files: info, rename/restore, delete, versions, create, content update, links, favourites, settings.
import type { Hono } from 'hono';
import { type Ctx, caller, dto, type Env, world } from '../http/env.js';
import { ok } from '../http/envelope.js';
import { bool, formFiles, int, intList, qInt, readForm, readJson, str } from '../http/input.js';
import { CONVERTIBLE_EXTENSIONS, createOfficeFile, type OfficeExtension } from '../office/index.js';
import { accessOf, assertRead, canCreateIn, canEditContent, canModify, canRead } from '../portal/access.js';
import { assertDeletable, remove, uniqueTitle } from '../portal/actions.js';
import { apiDate, extOf } from '../portal/dto.js';
import { badArgument, denied, messages, PortalError } from '../portal/errors.js';
import type { File, Folder } from '../portal/types.js';
import { deleteFlags, fileParam, folderParam, queryFlag, queueResponse, title } from './common.js';
import { type LinkPolicy, listLinks, primaryLink, sendLink, upsertLink } from './links.js';

const creatable: OfficeExtension[] = ['docx', 'xlsx', 'pptx', 'pdf', 'txt', 'md', 'csv'];

function readable(c: Ctx, f: File): File {
  assertRead(world(c).portal, caller(c), f);
  return f;
}

function linkPolicy(c: Ctx, f: File): LinkPolicy {
  const p = world(c).portal;
  const me = caller(c);
  return {
    canRead: canRead(accessOf(p, me, f)),
    canEdit: canModify(p, me, f) || canEditContent(p, me, f),
    defaultAccess: 2,
  };
}

function addVersion(c: Ctx, f: File, bytes: Uint8Array, comment: string) {
  const p = world(c).portal;
  const at = p.now();
  f.versions.push({ version: f.versions.length + 1, bytes, created: at, createdBy: caller(c).id, comment });
  f.updated = at;
  f.modifiedBy = caller(c).id;
  p.touch(f.folderId, caller(c).id, at);
}

/** A new file in a folder; `title` without a known extension gets `.docx` like DocSpace's default. */
export function createFile(
  c: Ctx,
  folder: Folder,
  rawTitle: string,
  bytes?: Uint8Array,
  unique = true,
): File {
  const p = world(c).portal;
  if (!canCreateIn(p, caller(c), folder)) throw new PortalError('forbidden', messages.createDenied);
  let t = rawTitle;
  let ext = extOf(t).slice(1);
  if (!bytes && !creatable.includes(ext as OfficeExtension)) {
    t = `${t}.docx`;
    ext = 'docx';
  }
  const content =
    bytes ?? createOfficeFile(ext as OfficeExtension, { title: t.slice(0, t.length - ext.length - 1) });
  const finalTitle = unique ? uniqueTitle(p, folder.id, t, 'file') : t;
  return p.addFile({
    folderId: folder.id,
    title: finalTitle,
    bytes: content,
    createdBy: caller(c).id,
    comment: 'Created',
  });
}

export function registerFiles(app: Hono<Env>) {
  app.get('/settings', (c) =>
    ok(c, {
      extsImagePreviewed: ['.png', '.jpg', '.jpeg', '.gif', '.bmp', '.svg', '.webp'],
      extsMediaPreviewed: ['.mp4', '.webm', '.mp3', '.ogg', '.wav'],
      extsWebPreviewed: [
        '.docx',
        '.xlsx',
        '.pptx',
        '.pdf',
        '.txt',
        '.csv',
        '.md',
        '.odt',
        '.ods',
        '.odp',
        '.rtf',
      ],
      extsWebEdited: ['.docx', '.xlsx', '.pptx', '.pdf', '.txt', '.csv', '.md'],
      extsWebReviewed: ['.docx'],
      extsWebCommented: ['.docx', '.xlsx', '.pptx'],
      extsMustConvert: ['.doc', '.xls', '.ppt', '.odt', '.ods', '.odp', '.rtf'],
      extsConvertible: Object.fromEntries(
        Object.entries(CONVERTIBLE_EXTENSIONS).map(([k, v]) => [k, [...v]]),
      ),
      extsUploadable: [],
      extsArchive: ['.zip', '.rar', '.7z', '.tar', '.gz'],
      extsDocument: ['.docx', '.doc', '.odt', '.rtf', '.txt', '.md'],
      extsSpreadsheet: ['.xlsx', '.xls', '.ods', '.csv'],
      extsPresentation: ['.pptx', '.ppt', '.odp'],
      extsImage: ['.png', '.jpg', '.jpeg', '.gif', '.bmp', '.svg', '.webp'],
      storeOriginalFiles: false,
      keepNewFileName: false,
      displayFileExtension: true,
      fileDownloadUrlString: `${world(c).portal.baseUrl}/filehandler.ashx?action=download&fileid={0}`,
      favoritesSection: true,
      recentSection: true,
      chunkUploadSize: 10 * 1024 * 1024,
    }),
  );

  app.get('/file/:fileId', (c) => {
    const f = readable(c, fileParam(c));
    const v = qInt(c, 'version');
    if (v !== undefined && !f.versions.some((x) => x.version === v))
      throw new PortalError('notFound', messages.fileNotFound);
    return ok(c, dto(c).file(f, v));
  });

  app.put('/file/:fileId', async (c) => {
    const p = world(c).portal;
    const f = fileParam(c);
    const body = await readJson(c);
    const t = title(body, 165, false);
    const lastVersion = int(body, 'lastVersion');
    assertRead(p, caller(c), f);
    if (t !== undefined && t !== f.title) {
      if (!canModify(p, caller(c), f)) throw denied();
      // DocSpace keeps the extension: a rename without one gets the old extension back.
      const ext = extOf(f.title);
      f.title = extOf(t) === ext || !ext ? t : `${t}${ext}`;
      f.updated = p.now();
      f.modifiedBy = caller(c).id;
    }
    if (lastVersion !== undefined) {
      if (!canEditContent(p, caller(c), f)) throw denied();
      const current = f.versions.length;
      if (lastVersion === current) throw badArgument('The new version cannot be the same as the current one');
      const from = f.versions.find((v) => v.version === lastVersion);
      if (!from) throw new PortalError('notFound', messages.fileNotFound);
      addVersion(c, f, from.bytes, `Restored from version ${lastVersion}`);
    }
    return ok(c, dto(c).file(f));
  });

  app.delete('/file/:fileId', async (c) => {
    const w = world(c);
    const f = fileParam(c);
    const body = await readJson(c);
    const { deleteAfter, immediately } = deleteFlags(body);
    const me = caller(c);
    assertDeletable(w.portal, me, { fileIds: [f.id], folderIds: [] }, immediately);
    const op = w.ops.start(me.id, 2, !deleteAfter, () =>
      remove(w.portal, me, { fileIds: [f.id], folderIds: [] }, immediately),
    );
    // DeleteRequestDto binds only `deleteAfter` and `immediately` from the body; `ReturnSingleOperation`
    // comes from the query string (BatchModelRequestDto.cs; files_2.0.json lists it `in: query`).
    return ok(c, queueResponse(c, op, queryFlag(c, 'returnSingleOperation')));
  });

  app.get('/file/:fileId/history', (c) => {
    const f = readable(c, fileParam(c));
    const d = dto(c);
    return ok(
      c,
      [...f.versions].reverse().map((v) => d.file(f, v.version)),
    );
  });

  app.post('/file/:fileId/restoreversion', (c) => {
    const p = world(c).portal;
    const f = fileParam(c);
    assertRead(p, caller(c), f);
    if (!canEditContent(p, caller(c), f)) throw denied();
    const v = qInt(c, 'version');
    const from = f.versions.find((x) => x.version === v);
    if (!from) throw new PortalError('notFound', messages.fileNotFound);
    addVersion(c, f, from.bytes, `Restored from version ${v}`);
    return ok(
      c,
      [...f.versions].reverse().map((x) => {
        const u = p.users.get(x.createdBy);
        return {
          id: f.id,
          key: `${f.id}_${x.version}`,
          version: x.version,
          versionGroup: x.version,
          user: { id: x.createdBy, name: u ? `${u.firstName} ${u.lastName}` : '' },
          created: apiDate(x.created),
        };
      }),
    );
  });

  app.get('/file/:fileId/presigneduri', (c) => {
    const f = readable(c, fileParam(c));
    return ok(c, `${world(c).portal.baseUrl}/filehandler.ashx?action=download&fileid=${f.id}`);
  });

  app.post('/file/:fileId/recent', (c) => {
    const f = readable(c, fileParam(c));
    world(c).portal.openedBy(caller(c).id, f.id);
    return ok(c, dto(c).file(f));
  });

  app.get('/file/:fileId/link', (c) => {
    const f = fileParam(c);
    const policy = linkPolicy(c, f);
    return sendLink(c, primaryLink(c, f, policy), policy);
  });
  app.post('/file/:fileId/link', (c) => upsertLink(c, fileParam(c), linkPolicy(c, fileParam(c)), 1));
  app.get('/file/:fileId/links', (c) => listLinks(c, fileParam(c), linkPolicy(c, fileParam(c))));
  app.put('/file/:fileId/links', (c) => upsertLink(c, fileParam(c), linkPolicy(c, fileParam(c)), 1));
  app.get('/file/:fileId/share', (c) => listLinks(c, fileParam(c), linkPolicy(c, fileParam(c))));

  for (const [method, on] of [
    ['post', true],
    ['delete', false],
  ] as const) {
    app[method]('/favorites', async (c) => {
      const p = world(c).portal;
      const body = await readJson(c);
      const me = caller(c);
      // Always `true`, also for missing ids (DocSpace ignores them).
      for (const id of intList(body, 'fileIds')) {
        const f = p.files.get(id);
        if (f && canRead(accessOf(p, me, f))) on ? f.favoriteOf.add(me.id) : f.favoriteOf.delete(me.id);
      }
      for (const id of intList(body, 'folderIds')) {
        const f = p.folders.get(id);
        if (f && canRead(accessOf(p, me, f))) on ? f.favoriteOf.add(me.id) : f.favoriteOf.delete(me.id);
      }
      return ok(c, true);
    });
  }

  const create = async (c: Ctx) => {
    const folder = folderParam(c);
    const body = await readJson(c);
    const t = title(body) as string;
    const f = createFile(c, folder, t);
    return ok(c, dto(c).file(f));
  };
  app.post('/@my/file', create);
  app.post('/:folderId/file', create);

  const createText = async (c: Ctx) => {
    const p = world(c).portal;
    const folder = folderParam(c);
    const body = await readJson(c);
    let t = title(body) as string;
    if (extOf(t) !== '.txt') t = `${t}.txt`;
    const content = new TextEncoder().encode(str(body, 'content') ?? '');
    // TST notes the flag is inverted in DocSpace: true returns the existing file, false creates "name (1)".
    const existing = p.childFiles(folder.id).find((f) => f.title.toLowerCase() === t.toLowerCase());
    if (existing && bool(body, 'createNewIfExist') === true) return ok(c, dto(c).file(readable(c, existing)));
    const f = createFile(c, folder, t, content);
    return ok(c, dto(c).file(f));
  };
  app.post('/@my/text', createText);
  app.post('/:folderId/text', createText);

  app.put('/:fileId/update', async (c) => {
    const p = world(c).portal;
    const f = fileParam(c);
    assertRead(p, caller(c), f);
    if (!canEditContent(p, caller(c), f)) throw denied();
    const parts = formFiles(await readForm(c));
    const part = parts[0];
    if (!part) throw badArgument('No file in the request');
    addVersion(c, f, new Uint8Array(await part.arrayBuffer()), 'Edited');
    return ok(c, dto(c).file(f));
  });
}
