import type { Query } from './transport.js';
import type { EntryId } from './types.js';

/** Options of every read call. */
export interface ReadOptions {
  /** Trim the answer to these DTO fields (`id`, `title`, `createdBy.displayName`, …); empty = all. */
  fields?: readonly string[];
  signal?: AbortSignal;
}

/** Options of every write call that answers at once. */
export interface WriteOptions {
  signal?: AbortSignal;
}

export type SortOrder = 'ascending' | 'descending';

/** Listing parameters shared by folder content, My documents, trash, recent, favourites and rooms. */
export interface ListQuery {
  /** FilterType: 1 FilesOnly, 2 FoldersOnly, 3 DocumentsOnly, 5 SpreadsheetsOnly, 7 ImagesOnly, 22 Pdf, … */
  filterType?: number;
  /** Text to look for in titles (DocSpace `filterValue`). */
  search?: string;
  /** SortedByType name: DateAndTime, AZ, Size, Author, Type, New, DateAndTimeCreation, RoomType, Tags, … */
  sortBy?: string;
  sortOrder?: SortOrder;
  startIndex?: number;
  /** Page size, 1–100 (DocSpace's limit). */
  count?: number;
  /**
   * Trim the answer. The projection applies to the whole `FolderContentDto`, so name nested
   * fields: `files.id`, `files.title`, `folders.title`, `current.id`, `total`.
   */
  fields?: readonly string[];
}

/** `GET files/{folderId}` and friends. */
export interface ContentQuery extends ListQuery {
  /** SearchArea: 0 Active, 1 Archive, 2 Any, 3 RecentByLinks, 4 Templates. */
  searchArea?: number;
  /** Search subfolders too (default true on DocSpace's side for folder content). */
  withSubFolders?: boolean;
  /** ApplyFilterOption: 0 All, 1 Files, 2 Folders. */
  applyFilterOption?: number;
  /** Only this extension (with `filterType` 11 ByExtension). */
  extension?: string;
  userIdOrGroupId?: string;
  excludeSubject?: boolean;
  roomId?: EntryId;
}

export function listParams(q: ListQuery = {}): Query {
  return {
    filterType: q.filterType,
    filterValue: q.search,
    sortBy: q.sortBy,
    // Numbers are what every DocSpace version binds (SortOrder: 0 Ascending, 1 Descending).
    sortOrder: q.sortOrder === undefined ? undefined : q.sortOrder === 'descending' ? 1 : 0,
    startIndex: q.startIndex,
    count: q.count,
    fields: fieldsParam(q.fields),
  };
}

export function contentParams(q: ContentQuery = {}): Query {
  return {
    ...listParams(q),
    searchArea: q.searchArea,
    withSubFolders: q.withSubFolders,
    applyFilterOption: q.applyFilterOption,
    extension: q.extension,
    userIdOrGroupId: q.userIdOrGroupId,
    excludeSubject: q.excludeSubject,
    roomId: q.roomId,
  };
}

export function fieldsParam(fields: readonly string[] | undefined): readonly string[] | undefined {
  return fields && fields.length > 0 ? fields : undefined;
}

/** Path segment for an id (third-party ids are strings and may hold reserved characters). */
export function seg(id: EntryId): string {
  // The transport refuses "", "." and ".." segments, so an id cannot reach another endpoint.
  return encodeURIComponent(String(id));
}
