// Uploads: chunked sessions (`upload/create_session` + `ChunkedUploader.ashx`, §3.6), single-request
// multipart upload and insert, and the name check.
import { randomUUID } from 'node:crypto';
import type { Context, Hono } from 'hono';
import type { ApiAuth } from '../http/auth.js';
import { type Ctx, caller, dto, type Env, world } from '../http/env.js';
import { ok } from '../http/envelope.js';
import { arr, bool, formFiles, int, readBytes, readForm, readJson, str } from '../http/input.js';
import { accessOf, assertRead, canCreateIn, canEditContent } from '../portal/access.js';
import { uniqueTitle } from '../portal/actions.js';
import { apiDate, DtoMaker } from '../portal/dto.js';
import { messages, PortalError, ValidationError } from '../portal/errors.js';
import type { Folder, User } from '../portal/types.js';
import type { UploadSession, World } from '../portal/world.js';
import { folderParam } from './common.js';

const SESSION_TTL_MS = 12 * 3600 * 1000;
// A request larger than this is not read at all.
const REQUEST_LIMIT = 100 * 1024 * 1024;
// One chunk may carry at most `files:uploader:chunk-size`, 10 MiB by default (SRV:web/ASC.Web.Core/SetupInfo.cs);
// a larger one is refused with TenantQuotaException(FileSizeMaxExceed + the portal's upload limit,
// `web:available-file-size` = 100 MB) (SRV:products/ASC.Files/Core/Utils/FileUploader.cs UploadChunkAsync),
// which the handler answers as HTTP 200 `success: false` like every other error.
const CHUNK_LIMIT = 10 * 1024 * 1024;
const CHUNK_TOO_LARGE = 'The maximum file size is exceeded (100 MB).';

/** Stores bytes as a new file, or as a new version of a same-named file when duplicates are not wanted. */
function store(
  w: World,
  user: User,
  folder: Folder,
  fileName: string,
  bytes: Uint8Array,
  createNew: boolean,
) {
  const p = w.portal;
  const same = p.childFiles(folder.id).find((f) => f.title.toLowerCase() === fileName.toLowerCase());
  if (same && !createNew && canEditContent(p, user, same)) {
    const at = p.now();
    same.versions.push({
      version: same.versions.length + 1,
      bytes,
      created: at,
      createdBy: user.id,
      comment: 'Uploaded',
    });
    same.updated = at;
    same.modifiedBy = user.id;
    return same;
  }
  const title = uniqueTitle(p, folder.id, fileName, 'file');
  return p.addFile({ folderId: folder.id, title, bytes, createdBy: user.id, comment: 'Uploaded' });
}

function sessionData(w: World, s: UploadSession) {
  return {
    id: s.id,
    path: w.portal.path(s.folderId).map((f) => f.id),
    created: apiDate(s.created),
    expired: apiDate(s.expires),
    location: `${w.portal.baseUrl}/ChunkedUploader.ashx?uid=${s.id}`,
    bytes_uploaded: s.bytesUploaded,
    bytes_total: s.fileSize,
  };
}

function assertCanUpload(c: Ctx, folder: Folder) {
  const p = world(c).portal;
  assertRead(p, caller(c), folder);
  if (!canCreateIn(p, caller(c), folder)) throw new PortalError('forbidden', messages.createDenied);
}

export function registerUploads(app: Hono<Env>) {
  const createSession = async (c: Ctx) => {
    const w = world(c);
    const folder = folderParam(c);
    const body = await readJson(c);
    const fileName = str(body, 'fileName');
    if (!fileName?.trim()) throw new ValidationError({ FileName: ['The FileName field is required.'] });
    const fileSize = int(body, 'fileSize') ?? 0;
    if (fileSize < 0) throw new PortalError('argument', 'Invalid file size');
    assertCanUpload(c, folder);
    const now = w.portal.now();
    const s: UploadSession = {
      id: randomUUID(),
      userId: caller(c).id,
      folderId: folder.id,
      fileName: fileName.trim(),
      fileSize,
      createNewIfExist: bool(body, 'createNewIfExist') ?? false,
      chunks: [],
      bytesUploaded: 0,
      created: now,
      expires: new Date(now.getTime() + SESSION_TTL_MS),
    };
    w.uploads.set(s.id, s);
    return ok(c, { success: true, data: sessionData(w, s) });
  };
  app.post('/@my/upload/create_session', createSession);
  app.post('/:folderId/upload/create_session', createSession);

  const upload = async (c: Ctx) => {
    const w = world(c);
    const folder = folderParam(c);
    assertCanUpload(c, folder);
    const form = await readForm(c);
    const createNew = form.get('createNewIfExist') === 'true';
    const files = formFiles(form);
    if (files.length === 0) throw new PortalError('argument', 'No file in the request');
    const d = dto(c);
    const out = [];
    for (const f of files) {
      const stored = store(
        w,
        caller(c),
        folder,
        f.name || 'file',
        new Uint8Array(await f.arrayBuffer()),
        createNew,
      );
      out.push(d.file(stored));
    }
    return ok(c, out);
  };
  app.post('/@my/upload', upload);
  app.post('/:folderId/upload', upload);

  const insert = async (c: Ctx) => {
    const w = world(c);
    const folder = folderParam(c);
    assertCanUpload(c, folder);
    const form = await readForm(c);
    const part = formFiles(form)[0];
    if (!part) throw new PortalError('argument', 'No file in the request');
    const title =
      (typeof form.get('title') === 'string' ? (form.get('title') as string) : '') || part.name || 'file';
    const createNew = form.get('createNewIfExist') !== 'false';
    const stored = store(w, caller(c), folder, title, new Uint8Array(await part.arrayBuffer()), createNew);
    return ok(c, dto(c).file(stored));
  };
  app.post('/@my/insert', insert);
  app.post('/:folderId/insert', insert);

  app.post('/:folderId/upload/check', async (c) => {
    const p = world(c).portal;
    const folder = folderParam(c);
    assertRead(p, caller(c), folder);
    const names = arr(await readJson(c), 'filesTitle').map(String);
    const taken = new Set(p.childFiles(folder.id).map((f) => f.title.toLowerCase()));
    return ok(
      c,
      names.filter((n) => taken.has(n.toLowerCase())),
    );
  });
}

/** `POST /ChunkedUploader.ashx?uid=…`: not enveloped; errors are HTTP 200 with `success: false`. */
export function chunkedUploader(getWorld: () => World, auth: ApiAuth) {
  const failure = (c: Context, message: string) => c.json({ success: false, message }, 200);
  return async (c: Context) => {
    const w = getWorld();
    const principal = await auth.resolve(c.req.raw).catch(() => undefined);
    const s = w.uploads.get(c.req.query('uid') ?? '');
    if (
      !principal ||
      !s ||
      s.userId !== principal.user.id ||
      s.expires.getTime() < w.portal.now().getTime()
    ) {
      return failure(c, 'Not authorized or session with specified upload id already expired');
    }
    let bytes: Uint8Array;
    try {
      const type = c.req.header('content-type') ?? '';
      if (/^multipart\/form-data/i.test(type)) {
        const part = formFiles(await readForm(c, REQUEST_LIMIT))[0];
        if (!part) return failure(c, 'No file in the request');
        bytes = new Uint8Array(await part.arrayBuffer());
      } else {
        // A chunk may also come as the raw request body (inferred: the handler falls back to the body stream).
        bytes = await readBytes(c, REQUEST_LIMIT);
        if (bytes.length === 0) return failure(c, 'No file in the request');
      }
    } catch (err) {
      return failure(c, err instanceof Error ? err.message : 'Upload failed');
    }
    if (bytes.length > CHUNK_LIMIT) return failure(c, CHUNK_TOO_LARGE);
    s.chunks.push(bytes);
    s.bytesUploaded += bytes.length;
    if (s.bytesUploaded > s.fileSize && s.fileSize > 0) {
      w.uploads.delete(s.id);
      return failure(c, 'The uploaded data exceeds the declared file size');
    }
    if (s.bytesUploaded < s.fileSize)
      return c.json({ success: true, data: sessionData(w, s), message: '' }, 200);
    w.uploads.delete(s.id);
    const folder = w.portal.folders.get(s.folderId);
    if (
      !folder ||
      !canCreateIn(w.portal, principal.user, folder) ||
      accessOf(w.portal, principal.user, folder) === 0
    ) {
      return failure(c, messages.createDenied);
    }
    const all = new Uint8Array(s.bytesUploaded);
    let off = 0;
    for (const ch of s.chunks) {
      all.set(ch, off);
      off += ch.length;
    }
    const file = store(w, principal.user, folder, s.fileName, all, s.createNewIfExist);
    const d = new DtoMaker(w.portal, principal.user);
    const data = {
      id: file.id,
      folderId: file.folderId,
      version: file.versions.length,
      title: file.title,
      uploaded: true,
      file: d.file(file),
    };
    return c.json({ success: true, data, message: '' }, 201);
  };
}
