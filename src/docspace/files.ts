import {
  type DownloadedFile,
  type DownloadOptions,
  Downloads,
  type FileText,
  type TextOptions,
} from './download.js';
import type { DeleteOptions } from './folders.js';
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
import type {
  EntryId,
  FileDto,
  FileOperationDto,
  FileShareDto,
  FilesSettingsDto,
  FolderContentDto,
} from './types.js';
import type { UploadApi, UploadRequest } from './upload.js';

/** Items of a copy, move or batch delete. */
export interface BatchItems {
  fileIds?: readonly EntryId[];
  folderIds?: readonly EntryId[];
}

export interface TransferRequest extends BatchItems {
  destFolderId: EntryId;
  /** FileConflictResolveType: 0 Skip, 1 Overwrite, 2 Duplicate (keep both; the default). */
  conflictResolveType?: 0 | 1 | 2;
}

/** `FileLinkRequest`: an external (shared) link of a file. */
export interface FileLinkRequest {
  /** Change this link; omit to create a new one. */
  linkId?: string;
  /** FileShare: 2 Read, 5 Review, 6 Comment, 7 FillForms, 10 Editing; 0 removes the link. */
  access?: number;
  /** ISO date-time. */
  expirationDate?: string;
  title?: string;
  /** Only people signed in to the portal can open it. */
  internal?: boolean;
  primary?: boolean;
  denyDownload?: boolean;
  password?: string;
}

export interface SearchQuery extends ContentQuery {
  /** Where to search (default: My documents). Rooms are searched with `folders.rooms({ search })`. */
  folderId?: EntryId;
}

/** Files: metadata, changes, versions, batch operations, links, content. */
export class FilesApi {
  private readonly downloads: Downloads;
  private settingsCache?: Promise<FilesSettingsDto>;

  constructor(
    private readonly t: Transport,
    private readonly ops: OperationsApi,
    private readonly uploads: UploadApi,
  ) {
    this.downloads = new Downloads(t, ops, this);
  }

  info(fileId: EntryId, opts: ReadOptions & { version?: number } = {}): Promise<FileDto> {
    return this.t.request('GET', `files/file/${seg(fileId)}`, {
      query: { version: opts.version, fields: fieldsParam(opts.fields) },
      signal: opts.signal,
      subject: `file ${fileId}`,
    });
  }

  /** Renames a file (`title` keeps the extension DocSpace already has if you leave it out). */
  update(
    fileId: EntryId,
    changes: { title?: string; lastVersion?: number },
    opts: WriteOptions = {},
  ): Promise<FileDto> {
    return this.t.request('PUT', `files/file/${seg(fileId)}`, {
      body: changes,
      signal: opts.signal,
      idempotent: true,
      subject: `file ${fileId}`,
    });
  }

  /**
   * Moves the file to Trash (or deletes it for good) and waits for DocSpace to finish. Through
   * `files/fileops/delete`, whose `returnSingleOperation` DocSpace honours from the body:
   * `DELETE files/file/{id}` reads that flag from the query string only, and without it answers
   * with every delete operation of the person.
   */
  delete(fileId: EntryId, opts: DeleteOptions = {}): Promise<FileOperationDto[]> {
    return this.deleteItems({ fileIds: [fileId] }, opts, `Deleting file ${fileId}`, `file ${fileId}`);
  }

  deleteBatch(items: BatchItems, opts: DeleteOptions = {}): Promise<FileOperationDto[]> {
    return this.deleteItems(items, opts, `Deleting ${countItems(items)}`);
  }

  private async deleteItems(
    items: BatchItems,
    opts: DeleteOptions,
    what: string,
    subject?: string,
  ): Promise<FileOperationDto[]> {
    const started = await this.t.request<unknown>('PUT', 'files/fileops/delete', {
      body: {
        fileIds: items.fileIds ?? [],
        folderIds: items.folderIds ?? [],
        deleteAfter: false,
        immediately: opts.immediately ?? false,
        returnSingleOperation: true,
      },
      signal: opts.signal,
      subject,
    });
    return this.ops.wait(started, { type: 2 }, { ...opts, what });
  }

  /** Copies files and folders into `destFolderId`; waits and returns the finished operations. */
  copy(req: TransferRequest, opts: OperationOptions = {}): Promise<FileOperationDto[]> {
    return this.transfer('copy', req, opts);
  }

  move(req: TransferRequest, opts: OperationOptions = {}): Promise<FileOperationDto[]> {
    return this.transfer('move', req, opts);
  }

  private async transfer(
    kind: 'copy' | 'move',
    req: TransferRequest,
    opts: OperationOptions,
  ): Promise<FileOperationDto[]> {
    const started = await this.t.request<unknown>('PUT', `files/fileops/${kind}`, {
      body: {
        fileIds: req.fileIds ?? [],
        folderIds: req.folderIds ?? [],
        destFolderId: req.destFolderId,
        conflictResolveType: req.conflictResolveType ?? 2,
        deleteAfter: false,
        // Otherwise DocSpace answers with all of the user's operations, and we would wait for
        // (and fail with) someone else's.
        returnSingleOperation: true,
      },
      signal: opts.signal,
      subject: `folder ${req.destFolderId}`,
    });
    const verb = kind === 'copy' ? 'Copying' : 'Moving';
    return this.ops.wait(
      started,
      { type: kind === 'copy' ? 1 : 0 },
      {
        ...opts,
        what: `${verb} ${countItems(req)} to folder ${req.destFolderId}`,
      },
    );
  }

  /** Every version of a file, newest first (one FileDto per version). */
  versions(fileId: EntryId, opts: ReadOptions = {}): Promise<FileDto[]> {
    return this.t.request('GET', `files/file/${seg(fileId)}/history`, {
      query: { fields: fieldsParam(opts.fields) },
      signal: opts.signal,
      subject: `file ${fileId}`,
    });
  }

  /** Makes an old version the current one (as a new version) and returns the file afterwards. */
  async restoreVersion(fileId: EntryId, version: number, opts: WriteOptions = {}): Promise<FileDto> {
    await this.t.request('POST', `files/file/${seg(fileId)}/restoreversion`, {
      query: { version },
      signal: opts.signal,
      subject: `version ${version} of file ${fileId}`,
    });
    return this.info(fileId, { signal: opts.signal });
  }

  /**
   * Creates an empty document (or one from a template). DocSpace picks the format from the
   * title's extension (.docx, .xlsx, .pptx, .pdf; unknown → .docx).
   */
  create(
    folderId: EntryId | '@my',
    title: string,
    opts: WriteOptions & { templateId?: EntryId } = {},
  ): Promise<FileDto> {
    return this.t.request('POST', `files/${seg(folderId)}/file`, {
      body: { title, templateId: opts.templateId },
      signal: opts.signal,
      subject: folderId === '@my' ? 'My documents' : `folder ${folderId}`,
    });
  }

  /** Creates a plain-text file with `content`. */
  createText(
    folderId: EntryId | '@my',
    title: string,
    content: string,
    opts: WriteOptions = {},
  ): Promise<FileDto> {
    return this.t.request('POST', `files/${seg(folderId)}/text`, {
      body: { title, content },
      signal: opts.signal,
      subject: folderId === '@my' ? 'My documents' : `folder ${folderId}`,
    });
  }

  /** Files whose titles contain `text`, below `folderId` (default My documents), subfolders included. */
  search(text: string, query: SearchQuery = {}, signal?: AbortSignal): Promise<FolderContentDto> {
    const { folderId, ...rest } = query;
    const where = folderId ?? '@my';
    return this.t.request('GET', `files/${seg(where)}`, {
      query: contentParams({ withSubFolders: true, ...rest, search: text }),
      signal,
      subject: folderId === undefined ? 'My documents' : `folder ${folderId}`,
    });
  }

  recent(query: ListQuery = {}, signal?: AbortSignal): Promise<FolderContentDto> {
    return this.t.request('GET', 'files/recent', { query: listParams(query), signal, subject: 'Recent' });
  }

  favorites(query: ListQuery = {}, signal?: AbortSignal): Promise<FolderContentDto> {
    return this.t.request('GET', 'files/@favorites', {
      query: listParams(query),
      signal,
      subject: 'Favorites',
    });
  }

  /** DocSpace answers `true` even for ids that do not exist. */
  addFavorites(items: BatchItems, opts: WriteOptions = {}): Promise<boolean> {
    return this.t.request('POST', 'files/favorites', {
      body: { fileIds: items.fileIds ?? [], folderIds: items.folderIds ?? [] },
      signal: opts.signal,
      idempotent: true,
    });
  }

  removeFavorites(items: BatchItems, opts: WriteOptions = {}): Promise<boolean> {
    return this.t.request('DELETE', 'files/favorites', {
      body: { fileIds: items.fileIds ?? [], folderIds: items.folderIds ?? [] },
      signal: opts.signal,
      idempotent: true,
    });
  }

  /** The file's primary external link (created by DocSpace on first request in some rooms). */
  primaryLink(fileId: EntryId, signal?: AbortSignal): Promise<FileShareDto> {
    return this.t.request('GET', `files/file/${seg(fileId)}/link`, { signal, subject: `file ${fileId}` });
  }

  /** All external links of a file. */
  links(
    fileId: EntryId,
    opts: { startIndex?: number; count?: number; signal?: AbortSignal } = {},
  ): Promise<FileShareDto[]> {
    return this.t.request('GET', `files/file/${seg(fileId)}/links`, {
      query: { startIndex: opts.startIndex, count: opts.count },
      signal: opts.signal,
      subject: `file ${fileId}`,
    });
  }

  /** Creates the primary external link. */
  createPrimaryLink(
    fileId: EntryId,
    req: FileLinkRequest = {},
    opts: WriteOptions = {},
  ): Promise<FileShareDto> {
    return this.t.request('POST', `files/file/${seg(fileId)}/link`, {
      body: req,
      signal: opts.signal,
      subject: `file ${fileId}`,
    });
  }

  /** Creates (no `linkId`) or changes (with `linkId`) an external link; `access: 0` removes it. */
  setLink(fileId: EntryId, req: FileLinkRequest, opts: WriteOptions = {}): Promise<FileShareDto> {
    return this.t.request('PUT', `files/file/${seg(fileId)}/links`, {
      body: req,
      signal: opts.signal,
      subject: `file ${fileId}`,
    });
  }

  /** Portal file settings (conversion table). Cached for the life of this client. */
  settings(signal?: AbortSignal): Promise<FilesSettingsDto> {
    if (!this.settingsCache) {
      this.settingsCache = this.t.request<FilesSettingsDto>('GET', 'files/settings', { signal });
      this.settingsCache.catch(() => {
        this.settingsCache = undefined;
      });
    }
    return this.settingsCache;
  }

  /**
   * Uploads bytes (a Uint8Array, a ReadableStream or an async iterable) as a new file: one
   * request when small, a chunked upload session when large.
   */
  upload(req: UploadRequest): Promise<FileDto> {
    return this.uploads.upload(req);
  }

  /** The file's bytes, at most `maxBytes` of them. */
  download(fileId: EntryId, opts: DownloadOptions): Promise<DownloadedFile> {
    return this.downloads.bytes(fileId, opts);
  }

  /** The raw download response, for streaming. The caller reads (or cancels) the body. */
  downloadStream(fileId: EntryId, opts: { version?: number; signal?: AbortSignal } = {}): Promise<Response> {
    return this.downloads.stream(fileId, opts);
  }

  /**
   * Converts a file to `toExt` (".txt", ".pdf", …) through a bulk-download operation and returns
   * the URL of the result.
   */
  convertUrl(fileId: EntryId, toExt: string, opts: OperationOptions = {}): Promise<string> {
    return this.downloads.convertUrl(fileId, toExt, opts);
  }

  /** The file's text: plain text as is, documents converted to .txt (spreadsheets to .csv). */
  text(fileId: EntryId, opts: TextOptions): Promise<FileText> {
    return this.downloads.text(fileId, opts);
  }
}

function countItems(items: BatchItems): string {
  const n = (items.fileIds?.length ?? 0) + (items.folderIds?.length ?? 0);
  return n === 1 ? '1 item' : `${n} items`;
}
