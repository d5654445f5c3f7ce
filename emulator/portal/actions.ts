// The work behind file operations: copy, move, delete (to Trash or for good), bulk download with
// conversion. Each runs inside a FileOps task, so failures become the operation's `error` text.
import { zipSync } from 'fflate';
import { convertFile } from '../office/index.js';
import { accessOf, canCreateIn, canManageRoom, canModify, canRead } from './access.js';
import { extOf } from './dto.js';
import { denied, messages, PortalError } from './errors.js';
import type { OperationResult } from './fileops.js';
import type { Portal } from './state.js';
import { type Entry, type File, type Folder, FolderType, type User } from './types.js';

/** FileConflictResolveType: 0 Skip, 1 Overwrite, 2 Duplicate. */
export type Conflict = 0 | 1 | 2;

export interface BatchTarget {
  fileIds: number[];
  folderIds: number[];
}

/** `name (1).ext`, `name (2).ext`, … the first title not taken in the folder. */
export function uniqueTitle(
  portal: Portal,
  folderId: number,
  title: string,
  kind: 'file' | 'folder',
): string {
  const taken = new Set(
    (kind === 'file' ? portal.childFiles(folderId) : portal.childFolders(folderId)).map((e) =>
      e.title.toLowerCase(),
    ),
  );
  if (!taken.has(title.toLowerCase())) return title;
  const ext = kind === 'file' ? extOf(title) : '';
  const stem = ext ? title.slice(0, -ext.length) : title;
  for (let i = 1; ; i++) {
    const t = `${stem} (${i})${ext}`;
    if (!taken.has(t.toLowerCase())) return t;
  }
}

function sameTitle<T extends Entry>(list: T[], title: string): T | undefined {
  const t = title.toLowerCase();
  return list.find((e) => e.title.toLowerCase() === t);
}

function isInside(portal: Portal, folderId: number, ancestorId: number): boolean {
  return portal.path(folderId).some((f) => f.id === ancestorId);
}

function copyFile(portal: Portal, user: User, src: File, destId: number, title: string): File {
  const latest = src.versions[src.versions.length - 1] as File['versions'][number];
  return portal.addFile({
    folderId: destId,
    title,
    bytes: latest.bytes,
    createdBy: user.id,
    comment: 'Created',
  });
}

function copyFolder(portal: Portal, user: User, src: Folder, destId: number, title: string): Folder {
  const copy = portal.addFolder({ parentId: destId, title, createdBy: user.id });
  for (const f of portal.childFiles(src.id)) copyFile(portal, user, f, copy.id, f.title);
  for (const d of portal.childFolders(src.id)) copyFolder(portal, user, d, copy.id, d.title);
  return copy;
}

export function transfer(
  portal: Portal,
  user: User,
  items: BatchTarget,
  destId: number,
  conflict: Conflict,
  move: boolean,
): OperationResult {
  const dest = portal.folders.get(destId);
  if (!dest) return { errors: [messages.folderNotFound] };
  if (!canCreateIn(portal, user, dest)) return { errors: [messages.createDenied] };
  const out: Required<Pick<OperationResult, 'files' | 'folders' | 'errors'>> = {
    files: [],
    folders: [],
    errors: [],
  };
  for (const id of items.folderIds) {
    const src = portal.folders.get(id);
    if (!src) {
      out.errors.push(messages.folderNotFound);
      continue;
    }
    if (
      src.roomType ||
      src.parentId === 0 ||
      !canRead(accessOf(portal, user, src)) ||
      (move && !canModify(portal, user, src))
    ) {
      out.errors.push(messages.accessDenied);
      continue;
    }
    if (isInside(portal, destId, src.id)) {
      out.errors.push('The folder cannot be copied or moved into itself or its subfolder');
      continue;
    }
    if (move && src.parentId === destId) {
      out.folders.push(src.id);
      continue;
    }
    const clash = sameTitle(portal.childFolders(destId), src.title);
    if (clash && conflict === 0) continue;
    const title = clash && conflict === 2 ? uniqueTitle(portal, destId, src.title, 'folder') : src.title;
    if (clash && conflict === 1) {
      // Overwrite merges the folder contents into the existing one.
      const sub = transfer(
        portal,
        user,
        {
          fileIds: portal.childFiles(src.id).map((f) => f.id),
          folderIds: portal.childFolders(src.id).map((f) => f.id),
        },
        clash.id,
        1,
        move,
      );
      out.errors.push(...(sub.errors ?? []));
      if (move) portal.remove(src);
      out.folders.push(clash.id);
      continue;
    }
    if (move) {
      portal.reparent(src, destId);
      src.title = title;
      src.origin = undefined;
      out.folders.push(src.id);
    } else {
      out.folders.push(copyFolder(portal, user, src, destId, title).id);
    }
  }
  for (const id of items.fileIds) {
    const src = portal.files.get(id);
    if (!src) {
      out.errors.push(messages.fileNotFound);
      continue;
    }
    if (!canRead(accessOf(portal, user, src)) || (move && !canModify(portal, user, src))) {
      out.errors.push(messages.accessDenied);
      continue;
    }
    if (move && src.folderId === destId) {
      out.files.push(src.id);
      continue;
    }
    const clash = sameTitle(portal.childFiles(destId), src.title);
    if (clash && conflict === 0) continue;
    if (clash && conflict === 1) {
      const latest = src.versions[src.versions.length - 1] as File['versions'][number];
      clash.versions.push({
        version: clash.versions.length + 1,
        bytes: latest.bytes,
        created: portal.now(),
        createdBy: user.id,
        comment: 'Overwritten',
      });
      clash.updated = portal.now();
      clash.modifiedBy = user.id;
      if (move) portal.remove(src);
      out.files.push(clash.id);
      continue;
    }
    const title = clash ? uniqueTitle(portal, destId, src.title, 'file') : src.title;
    if (move) {
      portal.reparent(src, destId);
      src.title = title;
      src.origin = undefined;
      out.files.push(src.id);
    } else {
      out.files.push(copyFile(portal, user, src, destId, title).id);
    }
  }
  portal.touch(destId, user.id);
  return out;
}

/** Rooms are deleted by whoever manages them; other entries by whoever may modify them. */
function canDelete(portal: Portal, user: User, e: Entry): boolean {
  return e.kind === 'folder' && e.roomType ? canManageRoom(portal, user, e) : canModify(portal, user, e);
}

/**
 * The check every delete runs before its operation is queued
 * (SRV:products/ASC.Files/Core/Services/WCFService/FileOperations/DeletePermissionsCheck.cs): a
 * missing item → 404, a room without `immediately` or an item the caller may not delete → 403.
 */
export function assertDeletable(portal: Portal, user: User, items: BatchTarget, immediately: boolean): void {
  for (const id of items.folderIds) {
    const f = portal.folders.get(id);
    if (!f) throw new PortalError('notFound', messages.folderNotFound);
    if ((f.roomType && !immediately) || !canDelete(portal, user, f)) throw denied();
  }
  for (const id of items.fileIds) {
    const f = portal.files.get(id);
    if (!f) throw new PortalError('notFound', messages.fileNotFound);
    if (!canDelete(portal, user, f)) throw denied();
  }
}

/** Delete to the caller's Trash, or for good when `immediately` or already in Trash. */
export function remove(
  portal: Portal,
  user: User,
  items: BatchTarget,
  immediately: boolean,
): OperationResult {
  const errors: string[] = [];
  let processed = 0;
  const entries: (Entry | undefined)[] = [
    ...items.folderIds.map((id) => portal.folders.get(id)),
    ...items.fileIds.map((id) => portal.files.get(id)),
  ];
  for (const [i, e] of entries.entries()) {
    if (!e) {
      errors.push(i < items.folderIds.length ? messages.folderNotFound : messages.fileNotFound);
      continue;
    }
    if (!canDelete(portal, user, e)) {
      errors.push(messages.accessDenied);
      continue;
    }
    const root = portal.rootOf(e);
    // Rooms never go to Trash (FileDeleteOperation deletes them for good).
    if (immediately || root.folderType === FolderType.Trash || (e.kind === 'folder' && e.roomType)) {
      portal.remove(e);
    } else {
      const parent = e.kind === 'file' ? e.folderId : e.parentId;
      e.origin = { folderId: parent, roomId: portal.roomOf(e)?.id };
      portal.reparent(e, user.trashFolderId);
      portal.touch(parent, user.id);
    }
    processed++;
  }
  return { errors, processed };
}

export interface Download {
  bytes: Uint8Array;
  filename: string;
  contentType: string;
}

const contentTypes: Record<string, string> = {
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.zip': 'application/zip',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

export function contentTypeOf(title: string): string {
  return contentTypes[extOf(title)] ?? 'application/octet-stream';
}

/** A file's bytes, converted to `toExt` when asked; throws a message when the conversion is not offered. */
export function fileBytes(file: File, toExt?: string): { bytes: Uint8Array; title: string } {
  const latest = file.versions[file.versions.length - 1] as File['versions'][number];
  const from = extOf(file.title);
  if (!toExt || toExt.toLowerCase() === from) return { bytes: latest.bytes, title: file.title };
  const converted = convertFile(from, toExt, latest.bytes, file.title);
  if (!converted) throw new Error(`The file "${file.title}" cannot be converted to ${toExt}`);
  const stem = from ? file.title.slice(0, -from.length) : file.title;
  return { bytes: converted, title: `${stem}${toExt.toLowerCase()}` };
}

/** Whether any named file, or any file inside a named folder, is one the user may download. */
export function anythingToDownload(
  portal: Portal,
  user: User,
  items: BatchTarget,
  converts: Map<number, string>,
): boolean {
  const readable = (e: Entry | undefined) => !!e && canRead(accessOf(portal, user, e));
  const inFolder = (d: Folder): boolean =>
    portal.childFiles(d.id).some(readable) ||
    portal.childFolders(d.id).some((s) => readable(s) && inFolder(s));
  return (
    [...items.fileIds, ...converts.keys()].some((id) => readable(portal.files.get(id))) ||
    items.folderIds.some((id) => {
      const d = portal.folders.get(id);
      return !!d && readable(d) && inFolder(d);
    })
  );
}

/** One file → its (converted) bytes; several items or a folder → a zip archive. */
export function buildDownload(
  portal: Portal,
  user: User,
  items: BatchTarget,
  converts: Map<number, string>,
): { download?: Download; errors: string[] } {
  const errors: string[] = [];
  const fileIds = [...new Set([...items.fileIds, ...converts.keys()])];
  const entries: { path: string; bytes: Uint8Array }[] = [];
  const addFile = (f: File, prefix: string) => {
    if (!canRead(accessOf(portal, user, f))) {
      errors.push(messages.accessDenied);
      return;
    }
    try {
      const { bytes, title } = fileBytes(f, converts.get(f.id));
      entries.push({ path: prefix + title, bytes });
    } catch (err) {
      errors.push((err as Error).message);
    }
  };
  const addFolder = (d: Folder, prefix: string) => {
    const base = `${prefix}${d.title}/`;
    for (const f of portal.childFiles(d.id)) addFile(f, base);
    for (const s of portal.childFolders(d.id)) addFolder(s, base);
  };
  for (const id of fileIds) {
    const f = portal.files.get(id);
    if (f) addFile(f, '');
    else errors.push(messages.fileNotFound);
  }
  for (const id of items.folderIds) {
    const d = portal.folders.get(id);
    if (d && canRead(accessOf(portal, user, d))) addFolder(d, '');
    else errors.push(d ? messages.accessDenied : messages.folderNotFound);
  }
  if (entries.length === 0) return { errors: errors.length ? errors : ['No files to download'] };
  if (entries.length === 1 && items.folderIds.length === 0) {
    const only = entries[0] as { path: string; bytes: Uint8Array };
    return {
      download: { bytes: only.bytes, filename: only.path, contentType: contentTypeOf(only.path) },
      errors,
    };
  }
  const tree: Record<string, Uint8Array> = {};
  for (const e of entries) tree[e.path] = e.bytes;
  return {
    download: { bytes: zipSync(tree), filename: 'download.zip', contentType: contentTypes['.zip'] as string },
    errors,
  };
}
