// Helpers the file-area routes share: resolving ids, title rules, operation DTOs.
import { type Ctx, caller, dto, world } from '../http/env.js';
import { type Body, bool, pathId, str } from '../http/input.js';
import { denied, notFoundFile, notFoundFolder, ValidationError } from '../portal/errors.js';
import { type Operation, queueOf } from '../portal/fileops.js';
import type { File, Folder } from '../portal/types.js';

/** A folder from a path segment: a number, `@my` or `@trash`. */
export function folderParam(c: Ctx, key = 'folderId'): Folder {
  // Routes like `files/@my/file` carry no id parameter: the section is in the path itself.
  const raw = c.req.param(key) ?? (/\/@my(\/|$)/.test(c.req.path) ? '@my' : '');
  const p = world(c).portal;
  const me = caller(c);
  if (raw === '@my') {
    if (me.myFolderId === undefined) throw denied();
    return p.folder(me.myFolderId);
  }
  if (raw === '@trash') return p.folder(me.trashFolderId);
  return p.folder(pathId(c, key, notFoundFolder));
}

export function fileParam(c: Ctx, key = 'fileId'): File {
  return world(c).portal.file(pathId(c, key, notFoundFile));
}

/** A required title with DocSpace's StringLength limit (165 for files and folders, 170 for rooms). */
export function title(body: Body, max = 165, required = true): string | undefined {
  const t = str(body, 'title');
  if (t === undefined || t.trim() === '') {
    if (required) throw new ValidationError({ Title: ['The Title field is required.'] });
    return undefined;
  }
  if (t.length > max) {
    throw new ValidationError({
      Title: [`The field Title must be a string with a maximum length of ${max}.`],
    });
  }
  if (/[\\/:*?"<>|]/.test(t)) return t.replace(/[\\/:*?"<>|]/g, '_');
  return t.trim();
}

/** A bool bound from the query string; ASP.NET matches query keys regardless of case. */
export function queryFlag(c: Ctx, name: string): boolean {
  const url = new URL(c.req.url);
  for (const [k, v] of url.searchParams) {
    if (k.toLowerCase() === name.toLowerCase()) return v.toLowerCase() === 'true';
  }
  return false;
}

export function deleteFlags(body: Body) {
  return { deleteAfter: bool(body, 'deleteAfter') ?? false, immediately: bool(body, 'immediately') ?? false };
}

/** FileOperationDto. `Operation` is capitalised on the wire (the docs' lowercase example is wrong). */
export function opDto(c: Ctx, op: Operation) {
  const p = world(c).portal;
  const d = dto(c);
  const out: Record<string, unknown> = {
    id: op.id,
    Operation: op.type,
    progress: op.progress,
    error: op.error,
    processed: String(op.processed),
    finished: op.finished,
    // Always written (a non-nullable enum in FileOperationDto.cs).
    status: op.status,
  };
  if (op.url) out.url = op.url;
  if (op.type === 0 || op.type === 1) {
    out.files = op.files.flatMap((id) => {
      const f = p.files.get(id);
      return f ? [d.file(f)] : [];
    });
    out.folders = op.folders.flatMap((id) => {
      const f = p.folders.get(id);
      return f ? [d.folder(f)] : [];
    });
  }
  return out;
}

/**
 * What a call that started `created` answers: an array of the caller's operations in that queue
 * (reading them dequeues the finished ones), or only `created` when `single`, i.e. when the
 * endpoint honours `returnSingleOperation` (OperationController.cs, FilesController.cs DeleteFile).
 * `type` keeps only operations of that type (copy and move share a queue but list only their own).
 */
export function queueResponse(c: Ctx, created: Operation, single: boolean, type?: number) {
  const list = world(c).ops.list(caller(c).id, {
    queues: [queueOf(created.type)],
    id: single ? created.id : undefined,
  });
  return list.filter((o) => type === undefined || o.type === type).map((o) => opDto(c, o));
}
