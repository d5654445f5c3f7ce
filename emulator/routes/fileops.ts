// Batch file operations: copy, move, delete, bulk download (with conversion), status, terminate.
import { randomBytes } from 'node:crypto';
import type { Hono } from 'hono';
import { type Ctx, caller, type Env, world } from '../http/env.js';
import { ok } from '../http/envelope.js';
import { arr, type Body, bool, enumValue, int, intList, readJson, str } from '../http/input.js';
import {
  anythingToDownload,
  assertDeletable,
  buildDownload,
  type Conflict,
  remove,
  transfer,
} from '../portal/actions.js';
import { invalidOp, messages, PortalError, ValidationError } from '../portal/errors.js';
import { ALL_QUEUES } from '../portal/fileops.js';
import { opDto, queueResponse } from './common.js';

function targets(body: Body) {
  return { fileIds: intList(body, 'fileIds'), folderIds: intList(body, 'folderIds') };
}

function single(body: Body): boolean {
  return bool(body, 'returnSingleOperation') ?? false;
}

async function copyOrMove(c: Ctx, move: boolean) {
  const w = world(c);
  const body = await readJson(c);
  const items = targets(body);
  const dest = int(body, 'destFolderId');
  const conflict = (enumValue(
    body.conflictResolveType,
    { Skip: 0, Overwrite: 1, Duplicate: 2 },
    'conflictResolveType',
  ) ?? 0) as Conflict;
  const hold = !(bool(body, 'deleteAfter') ?? false);
  const me = caller(c);
  const type = move ? 0 : 1;
  const op = w.ops.start(me.id, type, hold, () => transfer(w.portal, me, items, dest ?? -1, conflict, move));
  return ok(c, queueResponse(c, op, single(body), type));
}

/** `fileConvertIds: [{key: fileId, value: ".txt"}]`; keys may be numbers or numeric strings. */
function converts(body: Body): Map<number, string> {
  const out = new Map<number, string>();
  for (const [i, item] of arr(body, 'fileConvertIds').entries()) {
    if (!item || typeof item !== 'object') {
      throw new ValidationError({ [`$.fileConvertIds[${i}]`]: ['The JSON value could not be converted.'] });
    }
    const row = item as Body;
    const key = int(row, 'key');
    if (key === undefined)
      throw new ValidationError({ [`FileConvertIds[${i}].Key`]: ['The Key field is required.'] });
    const value = str(row, 'value') ?? '';
    out.set(key, value ? (value.startsWith('.') ? value : `.${value}`) : '');
  }
  return out;
}

export function registerFileOps(app: Hono<Env>) {
  // [AllowAnonymous]: without a valid credential the caller is anonymous and has no operations,
  // so the answer is 200 with an empty list (OperationController.cs GetOperationStatuses).
  app.get('/fileops', (c) => {
    const id = c.req.query('id') || undefined;
    const list = world(c).ops.list(caller(c).id, { id });
    return ok(
      c,
      list.map((o) => opDto(c, o)),
    );
  });

  app.put('/fileops/copy', (c) => copyOrMove(c, false));
  app.put('/fileops/move', (c) => copyOrMove(c, true));

  app.put('/fileops/delete', async (c) => {
    const w = world(c);
    const body = await readJson(c);
    const items = targets(body);
    const me = caller(c);
    const hold = !(bool(body, 'deleteAfter') ?? false);
    const immediately = bool(body, 'immediately') ?? false;
    assertDeletable(w.portal, me, items, immediately);
    const op = w.ops.start(me.id, 2, hold, () => remove(w.portal, me, items, immediately));
    return ok(c, queueResponse(c, op, single(body)));
  });

  app.put('/fileops/emptytrash', (c) => {
    const w = world(c);
    const me = caller(c);
    const op = w.ops.start(me.id, 2, true, () =>
      remove(
        w.portal,
        me,
        {
          fileIds: w.portal.childFiles(me.trashFolderId).map((f) => f.id),
          folderIds: w.portal.childFolders(me.trashFolderId).map((f) => f.id),
        },
        true,
      ),
    );
    // `?single=true` (EmptyTrashRequestDto) asks for the new operation alone.
    return ok(c, queueResponse(c, op, c.req.query('single')?.toLowerCase() === 'true'));
  });

  app.put('/fileops/bulkdownload', async (c) => {
    const w = world(c);
    const body = await readJson(c);
    const items = targets(body);
    const conv = converts(body);
    const me = caller(c);
    // One download per person: FileOperationsManagerHolder.CheckRunning throws
    // InvalidOperationException(ErrorMessage_ManyDownloads) → 403 "Too many downloads."
    if (w.ops.downloadRunning(me.id)) throw invalidOp(messages.tooManyDownloads);
    // DownloadPermissionsCheck runs before the operation is queued: nothing the caller may download
    // → FileNotFoundException (404) when files were named, else DirectoryNotFoundException (404).
    if (!anythingToDownload(w.portal, me, items, conv)) {
      throw new PortalError(
        'notFound',
        items.fileIds.length + conv.size > 0 ? messages.fileNotFound : messages.folderNotFound,
      );
    }
    // Download operations always hold their result (FileDownloadOperation holdResult = true).
    const op = w.ops.start(me.id, 3, true, () => {
      const { download, errors } = buildDownload(w.portal, me, items, conv);
      if (!download) return { errors };
      const key = randomBytes(18).toString('base64url');
      w.downloads.set(key, { userId: me.id, download });
      return {
        errors,
        processed: items.fileIds.length + items.folderIds.length + conv.size,
        url: `${w.portal.baseUrl}/filehandler.ashx?action=bulk&filename=${encodeURIComponent(key)}`,
      };
    });
    // The only one of these that honours `returnSingleOperation` besides copy, move and fileops/delete.
    return ok(c, queueResponse(c, op, single(body)));
  });

  // Terminating dequeues the operations (never reported as canceled), then answers with every
  // remaining operation of the caller, which dequeues the finished ones too (CancelOperations).
  const terminate = (c: Ctx) => {
    const me = caller(c);
    world(c).ops.terminate(me.id, c.req.param('id'));
    return ok(
      c,
      world(c)
        .ops.list(me.id, { queues: ALL_QUEUES })
        .map((o) => opDto(c, o)),
    );
  };
  app.put('/fileops/terminate/:id', terminate);
  app.put('/fileops/terminate', terminate);
}
