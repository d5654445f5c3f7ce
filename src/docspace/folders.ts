import type { OperationOptions, OperationsApi } from './operations.js';
import {
  type ContentQuery,
  contentParams,
  fieldsParam,
  type ListQuery,
  listParams,
  type ReadOptions,
  seg,
  type WriteOptions,
} from './params.js';
import type { Transport } from './transport.js';
import type { EntryId, FileOperationDto, FolderContentDto, FolderDto } from './types.js';

/** Rooms-root listing (`GET files/rooms`). */
export interface RoomsQuery extends ListQuery {
  /** RoomType values to include (1 FillingForms, 2 Editing, 5 Custom, 6 Public, 8 VirtualData, 9 Ai). */
  type?: readonly number[];
  /** SearchArea: 0 Active, 1 Archive, 2 Any. */
  searchArea?: number;
  /** Only rooms with all these tags. */
  tags?: readonly string[];
  withoutTags?: boolean;
  /** Only rooms of this owner / member (user id). */
  subjectId?: string;
  excludeSubject?: boolean;
}

export interface DeleteOptions extends OperationOptions {
  /** Delete for good instead of moving to Trash. */
  immediately?: boolean;
}

/** Folders and the special sections (My documents, Trash, Rooms root). */
export class FoldersApi {
  constructor(
    private readonly t: Transport,
    private readonly ops: OperationsApi,
  ) {}

  /** My documents. */
  my(query: ContentQuery = {}, signal?: AbortSignal): Promise<FolderContentDto> {
    return this.t.request('GET', 'files/@my', {
      query: contentParams(query),
      signal,
      subject: 'My documents',
    });
  }

  trash(query: ListQuery = {}, signal?: AbortSignal): Promise<FolderContentDto> {
    return this.t.request('GET', 'files/@trash', { query: listParams(query), signal, subject: 'the Trash' });
  }

  /** The Rooms section: rooms the caller can see, filtered. */
  rooms(query: RoomsQuery = {}, signal?: AbortSignal): Promise<FolderContentDto> {
    return this.t.request('GET', 'files/rooms', {
      query: {
        ...listParams(query),
        type: query.type,
        searchArea: query.searchArea,
        // DocSpace takes tags as a JSON array in one parameter.
        tags: query.tags && query.tags.length > 0 ? JSON.stringify(query.tags) : undefined,
        withoutTags: query.withoutTags,
        subjectId: query.subjectId,
        excludeSubject: query.excludeSubject,
      },
      signal,
      subject: 'the Rooms section',
    });
  }

  /** What a folder or room contains (one page). */
  content(folderId: EntryId, query: ContentQuery = {}, signal?: AbortSignal): Promise<FolderContentDto> {
    return this.t.request('GET', `files/${seg(folderId)}`, {
      query: contentParams(query),
      signal,
      subject: `folder ${folderId}`,
    });
  }

  info(folderId: EntryId, opts: ReadOptions = {}): Promise<FolderDto> {
    return this.t.request('GET', `files/folder/${seg(folderId)}`, {
      query: { fields: fieldsParam(opts.fields) },
      signal: opts.signal,
      subject: `folder ${folderId}`,
    });
  }

  /** Breadcrumbs from the section root down to the folder. */
  path(folderId: EntryId, signal?: AbortSignal): Promise<FolderDto[]> {
    return this.t.request('GET', `files/folder/${seg(folderId)}/path`, {
      signal,
      subject: `folder ${folderId}`,
    });
  }

  create(parentId: EntryId, title: string, opts: WriteOptions = {}): Promise<FolderDto> {
    return this.t.request('POST', `files/folder/${seg(parentId)}`, {
      body: { title },
      signal: opts.signal,
      subject: `folder ${parentId}`,
    });
  }

  rename(folderId: EntryId, title: string, opts: WriteOptions = {}): Promise<FolderDto> {
    return this.t.request('PUT', `files/folder/${seg(folderId)}`, {
      body: { title },
      signal: opts.signal,
      idempotent: true,
      subject: `folder ${folderId}`,
    });
  }

  /**
   * Moves the folder to Trash (or deletes it for good) and waits for DocSpace to finish. Through
   * `files/fileops/delete`, which honours `returnSingleOperation`: `DELETE files/folder/{id}`
   * answers with every delete operation of the person, and we would wait on (and fail with) theirs.
   */
  async delete(folderId: EntryId, opts: DeleteOptions = {}): Promise<FileOperationDto[]> {
    const started = await this.t.request<unknown>('PUT', 'files/fileops/delete', {
      // deleteAfter:false keeps the finished result readable once (docspace-api.md §3.4).
      body: {
        fileIds: [],
        folderIds: [folderId],
        deleteAfter: false,
        immediately: opts.immediately ?? false,
        returnSingleOperation: true,
      },
      signal: opts.signal,
      subject: `folder ${folderId}`,
    });
    return this.ops.wait(started, { type: 2 }, { ...opts, what: `Deleting folder ${folderId}` });
  }
}
