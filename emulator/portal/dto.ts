// Portal state → DocSpace response DTOs (field names per the official schema: FileDtoInteger,
// FolderDtoInteger, EmployeeFullDto, FileShareDto; dates per ApiDateTime's real wire format, §1.1).
import { accessOf, isArchived, securityOf } from './access.js';
import { type Portal, SYSTEM_USER_ID } from './state.js';
import { type File, type Folder, FolderType, type ShareLink, type User } from './types.js';

export type Json = Record<string, unknown>;

/** ApiDateTime on the wire: `yyyy-MM-ddTHH:mm:ss.fffffff` + `Z` in a UTC tenant (the spec's object form is wrong). */
export function apiDate(d: Date): string {
  return `${d.toISOString().slice(0, 19)}.${String(d.getUTCMilliseconds()).padStart(3, '0')}0000Z`;
}

export function extOf(title: string): string {
  const i = title.lastIndexOf('.');
  return i > 0 ? title.slice(i).toLowerCase() : '';
}

const fileTypes: [number, string[]][] = [
  [7, ['.docx', '.doc', '.odt', '.rtf', '.txt', '.md', '.docm', '.dotx', '.html', '.epub']],
  [5, ['.xlsx', '.xls', '.ods', '.csv', '.xlsm']],
  [6, ['.pptx', '.ppt', '.odp', '.pptm']],
  [10, ['.pdf']],
  [4, ['.png', '.jpg', '.jpeg', '.gif', '.bmp', '.svg', '.webp']],
  [1, ['.zip', '.rar', '.7z', '.tar', '.gz']],
  [2, ['.mp4', '.avi', '.mov', '.mkv', '.webm']],
  [3, ['.mp3', '.wav', '.ogg', '.flac']],
];

/** FileType enum: 0 Unknown, 1 Archive, 2 Video, 3 Audio, 4 Image, 5 Spreadsheet, 6 Presentation, 7 Document, 10 Pdf. */
export function fileTypeOf(ext: string): number {
  for (const [t, exts] of fileTypes) if (exts.includes(ext)) return t;
  return 0;
}

const webEdit = new Set(['.docx', '.xlsx', '.pptx', '.txt', '.csv', '.md', '.pdf']);

/** DocSpace's human size string, e.g. "7.54 KB". */
export function humanSize(n: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${Math.round(v * 100) / 100} ${units[u]}`;
}

export class DtoMaker {
  constructor(
    readonly portal: Portal,
    readonly caller: User,
  ) {}

  private get base() {
    return this.portal.baseUrl;
  }

  private readonly people = new Map<string, Json>();

  /** EmployeeDto; memoised per maker, as one listing names the same few people many times. */
  employee(id: string): Json {
    let e = this.people.get(id);
    if (!e) {
      e = this.makeEmployee(id);
      this.people.set(id, e);
    }
    return e;
  }

  private makeEmployee(id: string): Json {
    const u = this.portal.users.get(id);
    if (!u) {
      return {
        id,
        displayName: id === SYSTEM_USER_ID ? 'System' : 'Deleted user',
        hasAvatar: false,
        isAnonim: false,
      };
    }
    const avatar = '/static/images/default_user_photo_size_82-82.png';
    return {
      id: u.id,
      displayName: `${u.firstName} ${u.lastName}`.trim(),
      avatar,
      avatarOriginal: avatar,
      avatarMax: avatar,
      avatarMedium: avatar,
      avatarSmall: avatar,
      profileUrl: `${this.base}/accounts/people/filter?search=${encodeURIComponent(u.email)}`,
      hasAvatar: false,
      isAnonim: false,
    };
  }

  employeeFull(u: User): Json {
    return {
      ...this.employee(u.id),
      firstName: u.firstName,
      lastName: u.lastName,
      userName: u.email.split('@')[0],
      email: u.email,
      status: u.status,
      activationStatus: u.activationStatus,
      department: '',
      workFrom: apiDate(u.created),
      // DocSpace: `IsAdmin = type is DocSpaceAdmin && !IsOwner` (the owner is not reported as an
      // admin; common/ASC.Api.Core/Model/EmployeeFullDto.cs, GetFullAsync).
      isAdmin: u.role === 'admin',
      isRoomAdmin: u.role === 'roomAdmin',
      isLDAP: false,
      isOwner: u.role === 'owner',
      isVisitor: u.role === 'guest',
      isCollaborator: u.role === 'user',
      cultureName: u.cultureName,
      mobilePhoneActivationStatus: 0,
      isSSO: false,
      usedSpace: this.usedSpace(u),
      registrationDate: apiDate(u.created),
      hasPersonalFolder: u.myFolderId !== undefined,
      ...(u.createdBy ? { createdBy: this.employee(u.createdBy) } : {}),
    };
  }

  private usedSpace(u: User): number {
    return this.portal.cached(`used:${u.id}`, () => {
      let n = 0;
      for (const f of this.portal.files.values()) {
        if (f.createdBy === u.id) for (const v of f.versions) n += v.bytes.length;
      }
      return n;
    });
  }

  private entryBase(e: File | Folder): Json {
    const p = this.portal;
    const root = p.rootOf(e);
    const room = p.roomOf(e);
    const out: Json = {
      id: e.id,
      rootFolderId: root.id,
      canShare: false,
      security: securityOf(p, this.caller, e),
      title: e.title,
      access: accessOf(p, this.caller, e),
      shared: e.links.length > 0,
      sharedForUser: false,
      parentShared: false,
      created: apiDate(e.created),
      createdBy: this.employee(e.createdBy),
      updated: apiDate(e.updated),
      rootFolderType: root.folderType,
      updatedBy: this.employee(e.modifiedBy),
      isFavorite: e.favoriteOf.has(this.caller.id),
      fileEntryType: e.kind === 'folder' ? 1 : 2,
    };
    if (room && room !== e) out.parentRoomType = room.folderType;
    if (e.origin) {
      const from = p.folders.get(e.origin.folderId);
      out.originId = e.origin.folderId;
      if (from) out.originTitle = from.title;
      if (e.origin.roomId !== undefined) {
        out.originRoomId = e.origin.roomId;
        const r = p.folders.get(e.origin.roomId);
        if (r) out.originRoomTitle = r.title;
      }
    }
    return out;
  }

  file(f: File, version?: number): Json {
    const v =
      (version ? f.versions.find((x) => x.version === version) : undefined) ??
      f.versions[f.versions.length - 1];
    if (!v) throw new Error('file without versions');
    const ext = extOf(f.title);
    const type = fileTypeOf(ext);
    const media = type === 2 || type === 3;
    // Assigned onto the base object: spreading a wide object into a literal is far slower in V8.
    const out = this.entryBase(f);
    out.folderId = f.folderId;
    out.version = v.version;
    out.versionGroup = v.version;
    out.contentLength = humanSize(v.bytes.length);
    out.pureContentLength = v.bytes.length;
    out.fileStatus = f.favoriteOf.has(this.caller.id) ? 32 : 0;
    out.mute = false;
    out.viewUrl = `${this.base}/filehandler.ashx?action=download&fileid=${f.id}`;
    out.webUrl = media
      ? `${this.base}/media/view/${f.id}`
      : `${this.base}/doceditor?fileid=${f.id}&version=${v.version}`;
    out.fileType = type;
    out.fileExst = ext;
    out.comment = v.comment;
    out.thumbnailUrl = `${this.base}/filehandler.ashx?action=thumb&fileid=${f.id}&version=${v.version}`;
    out.thumbnailStatus = type === 4 || type === 7 || type === 5 || type === 6 || type === 10 ? 1 : 3;
    out.locked = f.locked;
    if (f.lockedBy) out.lockedBy = f.lockedBy;
    out.hasDraft = false;
    out.isForm = false;
    out.viewAccessibility = {
      ImageView: type === 4,
      MediaView: media,
      WebView: type === 5 || type === 6 || type === 7 || type === 10,
      WebEdit: webEdit.has(ext),
      WebReview: ext === '.docx',
      WebCustomFilterEditing: ext === '.xlsx',
      WebRestrictedEditing: false,
      WebComment: ext === '.docx' || ext === '.xlsx' || ext === '.pptx',
      CanConvert: webEdit.has(ext),
      MustConvert: ext === '.doc' || ext === '.xls' || ext === '.ppt',
    };
    return out;
  }

  folder(f: Folder): Json {
    const p = this.portal;
    const visibleChildren = f.id === p.roomsRootId || f.id === p.archiveId;
    const out = this.entryBase(f);
    out.parentId = f.parentId;
    out.filesCount = visibleChildren ? 0 : p.childCount(f.id, 'files');
    out.foldersCount = p.childCount(f.id, 'folders');
    out.isShareable = f.roomType !== undefined;
    out.new = 0;
    out.mute = false;
    out.pinned = f.pinned;
    out.private = f.private;
    out.indexing = f.indexing;
    out.denyDownload = f.denyDownload;
    out.type = f.folderType;
    out.inRoom = p.roomOf(f) !== undefined;
    if (f.roomType !== undefined) {
      out.roomType = f.roomType;
      out.tags = [...f.tags];
      out.logo = { original: '', large: '', medium: '', small: '', color: f.color || '5C6BC0' };
      out.canShare = this.canShareRoom(f);
      out.usedSpace = this.roomUsedSpace(f);
      if (isArchived(p, f)) out.rootFolderType = FolderType.Archive;
    }
    return out;
  }

  private canShareRoom(room: Folder): boolean {
    return securityOf(this.portal, this.caller, room).EditAccess === true;
  }

  private roomUsedSpace(room: Folder): number {
    return this.portal.cached(`room:${room.id}`, () => {
      let n = 0;
      const walk = (id: number) => {
        for (const f of this.portal.childFiles(id)) n += f.versions[f.versions.length - 1]?.bytes.length ?? 0;
        for (const d of this.portal.childFolders(id)) walk(d.id);
      };
      walk(room.id);
      return n;
    });
  }

  /** A room member or a file's user share (SubjectType 0 = User). */
  memberShare(room: Folder, userId: string, access: number): Json {
    const u = this.portal.users.get(userId);
    const person = u ? this.employeeFull(u) : this.employee(userId);
    const isOwner = room.createdBy === userId;
    const manage = securityOf(this.portal, this.caller, room).EditAccess === true;
    return {
      access,
      sharedTo: person,
      sharedToUser: person,
      isLocked: isOwner,
      isOwner,
      canEditAccess: manage && !isOwner,
      canEditInternal: false,
      canEditDenyDownload: false,
      canEditExpirationDate: false,
      canRevoke: manage && !isOwner,
      subjectType: 0,
    };
  }

  linkShare(link: ShareLink, canEdit: boolean): Json {
    const expired = link.expirationDate ? link.expirationDate.getTime() < this.portal.now().getTime() : false;
    const sharedLink: Json = {
      id: link.id,
      title: link.title,
      shareLink: `${this.base}/s/${link.requestToken}`,
      linkType: link.linkType,
      denyDownload: link.denyDownload,
      isExpired: expired,
      primary: link.primary,
      internal: link.internal,
      requestToken: link.requestToken,
    };
    if (link.expirationDate) sharedLink.expirationDate = apiDate(link.expirationDate);
    if (link.password) sharedLink.password = link.password;
    return {
      access: link.access,
      sharedTo: sharedLink,
      sharedLink,
      isLocked: false,
      isOwner: false,
      canEditAccess: canEdit,
      canEditInternal: canEdit,
      canEditDenyDownload: canEdit,
      canEditExpirationDate: canEdit,
      canRevoke: canEdit,
      // 4 = PrimaryExternalLink, 1 = ExternalLink, 3 = InvitationLink.
      subjectType: link.linkType === 0 ? 3 : link.primary ? 4 : 1,
    };
  }
}
