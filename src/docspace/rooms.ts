import type { FoldersApi, RoomsQuery } from './folders.js';
import type { OperationOptions, OperationsApi } from './operations.js';
import { fieldsParam, type ReadOptions, seg, type WriteOptions } from './params.js';
import type { Transport } from './transport.js';
import type {
  EntryId,
  FileOperationDto,
  FileShareDto,
  FolderContentDto,
  FolderDto,
  Page,
  RoomSecurityDto,
} from './types.js';

export interface CreateRoomRequest {
  title: string;
  /** RoomType: 1 FillingForms, 2 Editing (Collaboration), 5 Custom, 6 Public, 8 VirtualData, 9 Ai. */
  roomType: number;
  private?: boolean;
  indexing?: boolean;
  denyDownload?: boolean;
  /** Storage quota in bytes (-1 = none). */
  quota?: number;
  tags?: readonly string[];
  /** 6 hex digits, no `#`. */
  color?: string;
}

export interface UpdateRoomRequest {
  title?: string;
  quota?: number;
  indexing?: boolean;
  denyDownload?: boolean;
  tags?: readonly string[];
  color?: string;
}

/** One change of room membership: a user id (GUID) or an email, and the access to give. */
export interface RoomInvitation {
  id?: string;
  email?: string;
  /** FileShare: 0 removes; 2 Read, 5 Review, 6 Comment, 7 FillForms, 9 RoomManager, 10 Editing, 11 ContentCreator. */
  access: number;
}

export interface SetRoomSecurityRequest {
  invitations: readonly RoomInvitation[];
  notify?: boolean;
  message?: string;
  culture?: string;
  /** Apply even if DocSpace warns (e.g. about paid seats). */
  force?: boolean;
}

export interface RoomSecurityQuery {
  /** ShareFilterType: 0 UserOrGroup, 1 InvitationLink, 2 ExternalLink, 16 User, 32 Group. */
  filterType?: number;
  search?: string;
  startIndex?: number;
  count?: number;
  fields?: readonly string[];
}

/** A room link (`files/rooms/{id}/links`). */
export interface RoomLinkRequest {
  linkId?: string;
  /** FileShare: 2 Read, 5 Review, 6 Comment, 7 FillForms, 10 Editing, 11 ContentCreator; 0 removes. */
  access?: number;
  /** 0 Invitation, 1 External. */
  linkType?: 0 | 1;
  title?: string;
  /** ISO date-time. */
  expirationDate?: string;
  internal?: boolean;
  password?: string;
  denyDownload?: boolean;
}

export interface RoomTypeInfo {
  roomType: number;
  /** DocSpace's enum name (what CreateRoomRequestDto also accepts). */
  name: string;
  title: string;
  description: string;
}

export interface AccessLevelInfo {
  access: number;
  name: string;
  title: string;
}

export const ROOM_TYPES: readonly RoomTypeInfo[] = [
  {
    roomType: 1,
    name: 'FillingFormsRoom',
    title: 'Form filling room',
    description: 'Upload PDF forms for people to fill in; completed forms are collected.',
  },
  {
    roomType: 2,
    name: 'EditingRoom',
    title: 'Collaboration room',
    description: 'Co-author documents together, with editors and viewers.',
  },
  {
    roomType: 5,
    name: 'CustomRoom',
    title: 'Custom room',
    description: 'Any mix of access levels, for any purpose.',
  },
  {
    roomType: 6,
    name: 'PublicRoom',
    title: 'Public room',
    description: 'Share files with anyone through an external link, no sign-in needed.',
  },
  {
    roomType: 8,
    name: 'VirtualDataRoom',
    title: 'Virtual data room',
    description: 'Controlled sharing with indexing, watermarks and download limits.',
  },
  {
    roomType: 9,
    name: 'AiRoom',
    title: 'AI room',
    description: 'A room for AI agents and their knowledge (DocSpace 3.6 and later).',
  },
];

const ACCESS: Record<number, AccessLevelInfo> = {
  0: { access: 0, name: 'None', title: 'Remove from the room' },
  2: { access: 2, name: 'Read', title: 'Viewer' },
  5: { access: 5, name: 'Review', title: 'Reviewer' },
  6: { access: 6, name: 'Comment', title: 'Commenter' },
  7: { access: 7, name: 'FillForms', title: 'Form filler' },
  9: { access: 9, name: 'RoomManager', title: 'Room manager (room admins and DocSpace admins only)' },
  10: { access: 10, name: 'Editing', title: 'Editor' },
  11: { access: 11, name: 'ContentCreator', title: 'Content creator' },
};

// What a user may be given per room type (DocSpace FileSecurity.AvailableRoomAccesses).
const ACCESS_BY_ROOM_TYPE: Record<number, readonly number[]> = {
  1: [9, 11, 7, 0],
  2: [9, 11, 10, 2, 0],
  5: [9, 11, 10, 5, 6, 2, 0],
  6: [9, 11, 0],
  8: [9, 11, 10, 2, 7, 0],
  9: [9, 11, 2, 0],
};

/** Access levels a user can be invited with into a room of `roomType` (all of them if unknown). */
export function accessLevelsFor(roomType: number | undefined): AccessLevelInfo[] {
  const list = (roomType !== undefined && ACCESS_BY_ROOM_TYPE[roomType]) || Object.keys(ACCESS).map(Number);
  return list.map((a) => ACCESS[a] as AccessLevelInfo);
}

/** Rooms: creation, settings, archive, membership. DocSpace answers 403, not 404, for unknown ids. */
export class RoomsApi {
  constructor(
    private readonly t: Transport,
    private readonly ops: OperationsApi,
    private readonly folders: FoldersApi,
  ) {}

  /** Rooms the caller can see (same as `folders.rooms`). */
  list(query: RoomsQuery = {}, signal?: AbortSignal): Promise<FolderContentDto> {
    return this.folders.rooms(query, signal);
  }

  create(req: CreateRoomRequest, opts: WriteOptions = {}): Promise<FolderDto> {
    return this.t.request('POST', 'files/rooms', { body: req, signal: opts.signal, subject: 'the new room' });
  }

  info(roomId: EntryId, opts: ReadOptions = {}): Promise<FolderDto> {
    return this.t.request('GET', `files/rooms/${seg(roomId)}`, {
      query: { fields: fieldsParam(opts.fields) },
      signal: opts.signal,
      subject: `room ${roomId}`,
    });
  }

  update(roomId: EntryId, changes: UpdateRoomRequest, opts: WriteOptions = {}): Promise<FolderDto> {
    return this.t.request('PUT', `files/rooms/${seg(roomId)}`, {
      body: changes,
      signal: opts.signal,
      idempotent: true,
      subject: `room ${roomId}`,
    });
  }

  /** Moves the room to the Archive and waits for DocSpace to finish. */
  archive(roomId: EntryId, opts: OperationOptions = {}): Promise<FileOperationDto[]> {
    return this.roomOperation(
      'PUT',
      `files/rooms/${seg(roomId)}/archive`,
      `Archiving room ${roomId}`,
      roomId,
      opts,
    );
  }

  unarchive(roomId: EntryId, opts: OperationOptions = {}): Promise<FileOperationDto[]> {
    return this.roomOperation(
      'PUT',
      `files/rooms/${seg(roomId)}/unarchive`,
      `Restoring room ${roomId}`,
      roomId,
      opts,
    );
  }

  /**
   * Deletes the room for good (DocSpace only allows this for archived rooms). Not through
   * `DELETE files/rooms/{id}`: that answers with the person's *first* delete operation, which may
   * be another one. DocSpace's room delete queues the same delete operation as
   * `files/fileops/delete` with `immediately`, which can answer with this request's own.
   */
  async delete(roomId: EntryId, opts: OperationOptions = {}): Promise<FileOperationDto[]> {
    const what = `Deleting room ${roomId}`;
    const started = await this.t.request<unknown>('PUT', 'files/fileops/delete', {
      body: {
        fileIds: [],
        folderIds: [roomId],
        deleteAfter: false,
        immediately: true,
        returnSingleOperation: true,
      },
      signal: opts.signal,
      subject: `room ${roomId}`,
    });
    return this.ops.wait(started, { type: 2 }, { ...opts, what });
  }

  private async roomOperation(
    method: string,
    path: string,
    what: string,
    roomId: EntryId,
    opts: OperationOptions,
  ): Promise<FileOperationDto[]> {
    // Archive and unarchive answer with their own operation (read by id), a single object.
    const started = await this.t.request<unknown>(method, path, {
      body: { deleteAfter: false },
      signal: opts.signal,
      subject: `room ${roomId}`,
    });
    return this.ops.wait(started, { type: 0 }, { ...opts, what });
  }

  /** Members (and links) of a room with their access; `total` counts all of them. */
  async security(
    roomId: EntryId,
    query: RoomSecurityQuery = {},
    signal?: AbortSignal,
  ): Promise<Page<FileShareDto>> {
    const r = await this.t.requestResult<FileShareDto[]>('GET', `files/rooms/${seg(roomId)}/share`, {
      query: {
        filterType: query.filterType,
        filterValue: query.search,
        startIndex: query.startIndex,
        count: query.count,
        fields: fieldsParam(query.fields),
      },
      signal,
      subject: `room ${roomId}`,
    });
    const items = Array.isArray(r.response) ? r.response : [];
    return { items, total: r.total ?? r.count ?? items.length };
  }

  /** Invites, changes or removes (`access: 0`) members, by user id or email. */
  setSecurity(
    roomId: EntryId,
    req: SetRoomSecurityRequest,
    opts: WriteOptions = {},
  ): Promise<RoomSecurityDto> {
    return this.t.request('PUT', `files/rooms/${seg(roomId)}/share`, {
      body: {
        invitations: req.invitations.map((i) =>
          i.id ? { id: i.id, access: i.access } : { email: i.email, access: i.access },
        ),
        notify: req.notify ?? false,
        message: req.message,
        culture: req.culture,
        force: req.force,
      },
      signal: opts.signal,
      subject: `room ${roomId}`,
    });
  }

  /** The room's links; `type` 0 = invitation links, 1 = external (shared) links. */
  links(roomId: EntryId, opts: { type?: 0 | 1; signal?: AbortSignal } = {}): Promise<FileShareDto[]> {
    return this.t.request('GET', `files/rooms/${seg(roomId)}/links`, {
      query: { type: opts.type },
      signal: opts.signal,
      subject: `room ${roomId}`,
    });
  }

  /** Creates (no `linkId`) or changes a room link; `access: 0` removes it. */
  setLink(roomId: EntryId, req: RoomLinkRequest, opts: WriteOptions = {}): Promise<FileShareDto> {
    return this.t.request('PUT', `files/rooms/${seg(roomId)}/links`, {
      body: req,
      signal: opts.signal,
      subject: `room ${roomId}`,
    });
  }

  /** The room types DocSpace knows (there is no endpoint for this). */
  types(): readonly RoomTypeInfo[] {
    return ROOM_TYPES;
  }

  /** Access levels that can be given in this room, read from its type. */
  async accessLevels(roomId: EntryId, signal?: AbortSignal): Promise<AccessLevelInfo[]> {
    const room = await this.info(roomId, { fields: ['id', 'roomType'], signal });
    return accessLevelsFor(room.roomType);
  }
}
