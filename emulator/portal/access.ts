// Who may do what, in DocSpace's terms: personal folders are private to their owner (admins included),
// rooms grant what the member list says, portal owner and DocSpace admins manage every room.
import { messages, PortalError } from './errors.js';
import type { Portal } from './state.js';
import { Access, type Entry, type Folder, FolderType, type User } from './types.js';

const { None, ReadWrite, Read, Restrict, Review, Comment, FillForms, RoomManager, Editing, ContentCreator } =
  Access;

export function isAdmin(user: User): boolean {
  return user.role === 'owner' || user.role === 'admin';
}

/** The caller's access level (FileShare number) on an entry; 0 when it cannot even see it. */
export function accessOf(portal: Portal, user: User, entry: Entry): number {
  // Without a share link, an anonymous caller reads nothing.
  if (user.anonymous) return None;
  const root = portal.rootOf(entry);
  if (root.folderType === FolderType.User || root.folderType === FolderType.Trash) {
    return root.createdBy === user.id ? ReadWrite : None;
  }
  if (entry.kind === 'folder' && (entry.id === portal.roomsRootId || entry.id === portal.archiveId)) {
    // The sections themselves are readable; their listings show only the rooms the caller may see.
    return user.role === 'guest' && entry.id === portal.archiveId ? None : Read;
  }
  const room = portal.roomOf(entry);
  if (!room) return None;
  if (isAdmin(user)) return RoomManager;
  return room.members.get(user.id) ?? None;
}

export function isArchived(portal: Portal, entry: Entry): boolean {
  return portal.rootOf(entry).id === portal.archiveId;
}

export function canRead(access: number): boolean {
  return access !== None && access !== Restrict;
}

/** Create files or folders inside a folder. */
export function canCreateIn(portal: Portal, user: User, folder: Folder): boolean {
  if (folder.id === portal.roomsRootId || folder.id === portal.archiveId) return false;
  if (folder.folderType === FolderType.Trash || isArchived(portal, folder)) return false;
  const a = accessOf(portal, user, folder);
  return a === ReadWrite || a === RoomManager || a === ContentCreator;
}

export function canEditContent(portal: Portal, user: User, entry: Entry): boolean {
  if (isArchived(portal, entry) || portal.rootOf(entry).folderType === FolderType.Trash) return false;
  const a = accessOf(portal, user, entry);
  return a === ReadWrite || a === RoomManager || a === ContentCreator || a === Editing;
}

/** Rename, move away, delete: managers, or content creators on what they made themselves. */
export function canModify(portal: Portal, user: User, entry: Entry): boolean {
  if (isArchived(portal, entry)) return false;
  if (entry.kind === 'folder' && (entry.parentId === 0 || entry.roomType)) return false;
  const a = accessOf(portal, user, entry);
  if (a === ReadWrite || a === RoomManager) return true;
  return a === ContentCreator && entry.createdBy === user.id;
}

export function canManageRoom(_portal: Portal, user: User, room: Folder): boolean {
  if (isAdmin(user)) return true;
  return room.members.get(user.id) === RoomManager;
}

export function assertRead(portal: Portal, user: User, entry: Entry): number {
  const a = accessOf(portal, user, entry);
  if (!canRead(a)) {
    // GetFileAsync / GetFolderItemsAsync throw InvalidOperationException (403) with these texts
    // (SRV:products/ASC.Files/Core/Core/FileStorageService.cs).
    throw new PortalError(
      'invalidOperation',
      entry.kind === 'folder' ? messages.folderReadDenied : messages.fileReadDenied,
    );
  }
  return a;
}

/**
 * `GET files/folder/{id}` and `GET files/rooms/{id}`: GetFolderAsync answers an anonymous caller
 * who may not read the folder with AuthenticationException (401), others with 403.
 */
export function assertFolderInfo(portal: Portal, user: User, folder: Folder): void {
  if (user.anonymous && !canRead(accessOf(portal, user, folder)))
    throw new PortalError('unauthenticated', messages.authenticationFailed);
  assertRead(portal, user, folder);
}

/** The `security` map of a FileEntry DTO (PascalCase keys as DocSpace writes them). */
export function securityOf(portal: Portal, user: User, entry: Entry): Record<string, boolean> {
  const a = accessOf(portal, user, entry);
  const read = canRead(a);
  const modify = canModify(portal, user, entry);
  const edit = canEditContent(portal, user, entry);
  const s: Record<string, boolean> = {
    Read: read,
    Comment: read && (a === Comment || a === Review || edit),
    FillForms: read && (a === FillForms || edit),
    Review: read && (a === Review || edit),
    Edit: edit,
    Delete: modify,
    Rename: modify,
    ReadHistory: read,
    Copy: read,
    Move: modify,
    Download: read,
    Duplicate: modify,
    CopyLink: read,
  };
  if (entry.kind === 'folder') {
    s.Create = canCreateIn(portal, user, entry);
    s.CopyTo = s.Create;
    s.MoveTo = s.Create;
    if (entry.roomType) {
      const manage = canManageRoom(portal, user, entry);
      s.EditRoom = manage && !isArchived(portal, entry);
      s.EditAccess = manage;
      s.Pin = read;
      s.Mute = read;
      s.Delete = manage;
      s.Rename = manage;
      s.Move = manage;
    }
  } else {
    s.Lock = edit;
    s.EditHistory = edit;
    s.Convert = read;
  }
  return s;
}
