// In-memory portal: users, folder tree, files with their bytes, keys and tokens. No HTTP here.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { notFoundFile, notFoundFolder } from './errors.js';
import {
  type ApiKey,
  type Entry,
  type File,
  type Folder,
  FolderType,
  type OAuthApp,
  type PersonalToken,
  type Role,
  type RoomTypeNumber,
  roomFolderType,
  type ShareLink,
  type User,
} from './types.js';

/** Author of the portal's own folders (Rooms, Archive), like DocSpace's system account. */
export const SYSTEM_USER_ID = '00000000-0000-0000-0000-000000000000';

/** Deterministic GUID from a seed string, so seeded user ids are stable across runs. */
export function stableGuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface NewUser {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  role: Role;
  status?: 1 | 2 | 4;
  activationStatus?: 0 | 1 | 2 | 4;
  created?: Date;
  id?: string;
}

export class Portal {
  readonly users = new Map<string, User>();
  readonly folders = new Map<number, Folder>();
  readonly files = new Map<number, File>();
  readonly apiKeys = new Map<string, ApiKey>();
  readonly tokens = new Map<string, PersonalToken>();
  readonly oauthApps = new Map<string, OAuthApp>();
  /** Files each user opened recently (newest last), for `files/recent`. */
  readonly recent = new Map<string, number[]>();
  private readonly memo = new Map<string, { at: number; value: number }>();
  private readonly children = new Map<number, { folders: Set<number>; files: Set<number> }>();
  private nextFolderId = 1;
  private nextFileId = 1;
  readonly roomsRootId: number;
  readonly archiveId: number;
  /** The clock; seeding pins it so demo dates are stable. */
  now: () => Date = () => new Date();

  constructor(
    public baseUrl: string,
    clock?: () => Date,
  ) {
    if (clock) this.now = clock;
    const system = SYSTEM_USER_ID;
    this.roomsRootId = this.addFolder({
      parentId: 0,
      title: 'Rooms',
      folderType: FolderType.VirtualRooms,
      createdBy: system,
    }).id;
    this.archiveId = this.addFolder({
      parentId: 0,
      title: 'Archive',
      folderType: FolderType.Archive,
      createdBy: system,
    }).id;
  }

  addUser(u: NewUser): User {
    const id = u.id ?? stableGuid(`user:${u.email.toLowerCase()}`);
    const trash = this.addFolder({
      parentId: 0,
      title: 'Trash',
      folderType: FolderType.Trash,
      createdBy: id,
    });
    // Guests have no personal folder in DocSpace (EmployeeFullDto.hasPersonalFolder).
    const my =
      u.role === 'guest'
        ? undefined
        : this.addFolder({ parentId: 0, title: 'My documents', folderType: FolderType.User, createdBy: id });
    const user: User = {
      id,
      email: u.email,
      password: u.password,
      firstName: u.firstName,
      lastName: u.lastName,
      role: u.role,
      status: u.status ?? 1,
      activationStatus: u.activationStatus ?? 1,
      created: u.created ?? this.now(),
      myFolderId: my?.id,
      trashFolderId: trash.id,
      cultureName: 'en-US',
    };
    this.users.set(id, user);
    return user;
  }

  userByEmail(email: string): User | undefined {
    const e = email.trim().toLowerCase();
    for (const u of this.users.values()) if (u.email.toLowerCase() === e) return u;
    return undefined;
  }

  addFolder(f: {
    parentId: number;
    title: string;
    folderType?: number;
    createdBy: string;
    roomType?: RoomTypeNumber;
    created?: Date;
  }): Folder {
    const at = f.created ?? this.now();
    const folder: Folder = {
      kind: 'folder',
      id: this.nextFolderId++,
      parentId: f.parentId,
      title: f.title,
      folderType: f.roomType ? roomFolderType[f.roomType] : (f.folderType ?? FolderType.Default),
      roomType: f.roomType,
      createdBy: f.createdBy,
      modifiedBy: f.createdBy,
      created: at,
      updated: at,
      links: [],
      members: new Map(),
      tags: [],
      pinned: false,
      indexing: false,
      denyDownload: false,
      private: false,
      color: '',
      favoriteOf: new Set(),
    };
    if (f.roomType) folder.members.set(f.createdBy, 9);
    this.folders.set(folder.id, folder);
    this.childSet(folder.parentId).folders.add(folder.id);
    return folder;
  }

  addFile(f: {
    folderId: number;
    title: string;
    bytes: Uint8Array;
    createdBy: string;
    created?: Date;
    comment?: string;
  }): File {
    const at = f.created ?? this.now();
    const file: File = {
      kind: 'file',
      id: this.nextFileId++,
      folderId: f.folderId,
      title: f.title,
      createdBy: f.createdBy,
      modifiedBy: f.createdBy,
      created: at,
      updated: at,
      links: [],
      versions: [
        { version: 1, bytes: f.bytes, created: at, createdBy: f.createdBy, comment: f.comment ?? 'Uploaded' },
      ],
      locked: false,
      favoriteOf: new Set(),
    };
    this.files.set(file.id, file);
    this.childSet(file.folderId).files.add(file.id);
    this.touch(file.folderId, f.createdBy, at);
    return file;
  }

  folder(id: number): Folder {
    const f = this.folders.get(id);
    if (!f) throw notFoundFolder();
    return f;
  }

  file(id: number): File {
    const f = this.files.get(id);
    if (!f) throw notFoundFile();
    return f;
  }

  childFolders(id: number): Folder[] {
    const set = this.children.get(id)?.folders;
    return set ? [...set].map((i) => this.folders.get(i) as Folder) : [];
  }

  childCount(id: number, kind: 'files' | 'folders'): number {
    return this.children.get(id)?.[kind].size ?? 0;
  }

  childFiles(id: number): File[] {
    const set = this.children.get(id)?.files;
    return set ? [...set].map((i) => this.files.get(i) as File) : [];
  }

  /** Moves an entry under a new parent, keeping the child index right. */
  reparent(entry: Entry, parentId: number): void {
    if (entry.kind === 'folder') {
      this.childSet(entry.parentId).folders.delete(entry.id);
      entry.parentId = parentId;
      this.childSet(parentId).folders.add(entry.id);
    } else {
      this.childSet(entry.folderId).files.delete(entry.id);
      entry.folderId = parentId;
      this.childSet(parentId).files.add(entry.id);
    }
  }

  /** Removes an entry and everything below it for good. */
  remove(entry: Entry): void {
    if (entry.kind === 'file') {
      this.childSet(entry.folderId).files.delete(entry.id);
      this.files.delete(entry.id);
      return;
    }
    for (const f of this.childFiles(entry.id)) this.remove(f);
    for (const f of this.childFolders(entry.id)) this.remove(f);
    this.childSet(entry.parentId).folders.delete(entry.id);
    this.children.delete(entry.id);
    this.folders.delete(entry.id);
  }

  /** Chain from a root folder down to `id` (inclusive). */
  path(id: number): Folder[] {
    const out: Folder[] = [];
    let cur = this.folders.get(id);
    while (cur) {
      out.unshift(cur);
      cur = cur.parentId ? this.folders.get(cur.parentId) : undefined;
    }
    return out;
  }

  /** The room an entry sits in (the entry itself when it is a room), if any. */
  roomOf(entry: Entry): Folder | undefined {
    let id = entry.kind === 'file' ? entry.folderId : entry.id;
    for (let f = this.folders.get(id); f; f = this.folders.get(id)) {
      if (f.roomType) return f;
      id = f.parentId;
    }
    return undefined;
  }

  rootOf(entry: Entry): Folder {
    const p = this.path(entry.kind === 'file' ? entry.folderId : entry.id);
    return p[0] as Folder;
  }

  touch(folderId: number, userId: string, at = this.now()): void {
    const f = this.folders.get(folderId);
    if (f) {
      f.updated = at;
      f.modifiedBy = userId;
    }
  }

  /**
   * Aggregates (used space) that would cost a walk over every file per request are kept for a
   * second: DocSpace updates its quota counters asynchronously too.
   */
  cached(key: string, compute: () => number): number {
    const now = Date.now();
    const hit = this.memo.get(key);
    if (hit && now - hit.at < 1000) return hit.value;
    const value = compute();
    this.memo.set(key, { at: now, value });
    return value;
  }

  issueToken(userId: string, lifetimeMs = 365 * 24 * 3600 * 1000): PersonalToken {
    const t: PersonalToken = {
      token: randomBytes(48).toString('base64'),
      userId,
      expires: new Date(this.now().getTime() + lifetimeMs),
    };
    this.tokens.set(t.token, t);
    return t;
  }

  addApiKey(userId: string, name: string, permissions: string[], key?: string, expires?: Date): ApiKey {
    const k: ApiKey = {
      id: randomUUID(),
      name,
      key: key ?? `sk-${randomBytes(32).toString('hex')}`,
      userId,
      permissions,
      created: this.now(),
      expires,
    };
    this.apiKeys.set(k.key, k);
    return k;
  }

  newLink(createdBy: string, init: Partial<ShareLink> & { access: number; linkType: 0 | 1 }): ShareLink {
    return {
      id: randomUUID(),
      title: init.title ?? 'Shared link',
      primary: init.primary ?? false,
      internal: init.internal ?? false,
      denyDownload: init.denyDownload ?? false,
      requestToken: randomBytes(24).toString('base64url'),
      createdBy,
      ...init,
    };
  }

  openedBy(userId: string, fileId: number): void {
    const list = (this.recent.get(userId) ?? []).filter((i) => i !== fileId);
    list.push(fileId);
    if (list.length > 100) list.shift();
    this.recent.set(userId, list);
  }

  private childSet(id: number) {
    let c = this.children.get(id);
    if (!c) {
      c = { folders: new Set(), files: new Set() };
      this.children.set(id, c);
    }
    return c;
  }
}
