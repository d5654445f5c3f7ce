import { DocSpaceError } from './errors.js';
import { seg } from './params.js';
import type { Transport } from './transport.js';
import type { EntryId, FileDto, UploadSessionDto } from './types.js';

/** Bytes to upload. Streams and iterables are read one chunk at a time, never held whole. */
export type UploadData = Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

export interface UploadRequest {
  folderId: EntryId | '@my';
  /** Title with extension; DocSpace picks the format from it. */
  fileName: string;
  data: UploadData;
  /** Total bytes; required for streams and iterables (DocSpace wants it up front). */
  size?: number;
  /** true (default): keep both when the name exists; false: add a new version of the existing file. */
  createNewIfExist?: boolean;
  contentType?: string;
  /** Called after each request with bytes sent so far and the total. */
  onProgress?: (sentBytes: number, totalBytes: number) => void;
  signal?: AbortSignal;
}

export interface UploadSettings {
  /** Bytes per chunk: a multiple of 512, at most 10 MiB (DocSpace's limit). */
  chunkSize?: number;
  /** Up to this size a file goes in one `insert` request instead of an upload session. */
  singleRequestLimit?: number;
}

const MAX_CHUNK = 10 * 1024 * 1024;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

async function* streamPieces(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Splits the data into `chunkSize` pieces; a Uint8Array is sliced without copying. */
export async function* chunksOf(data: UploadData, chunkSize: number): AsyncGenerator<Uint8Array> {
  if (data instanceof Uint8Array) {
    for (let i = 0; i < data.byteLength; i += chunkSize) yield data.subarray(i, i + chunkSize);
    return;
  }
  const pieces = data instanceof ReadableStream ? streamPieces(data) : data;
  let buf = new Uint8Array(chunkSize);
  let fill = 0;
  for await (const piece of pieces) {
    let off = 0;
    while (off < piece.byteLength) {
      const n = Math.min(chunkSize - fill, piece.byteLength - off);
      buf.set(piece.subarray(off, off + n), fill);
      fill += n;
      off += n;
      if (fill === chunkSize) {
        yield buf;
        buf = new Uint8Array(chunkSize);
        fill = 0;
      }
    }
  }
  if (fill > 0) yield buf.subarray(0, fill);
}

/** Uploads: one `insert` request for small files, a chunked upload session for large ones. */
export class UploadApi {
  private readonly chunkSize: number;
  private readonly singleRequestLimit: number;

  constructor(
    private readonly t: Transport,
    settings: UploadSettings = {},
  ) {
    const chunk = Math.min(MAX_CHUNK, settings.chunkSize ?? MAX_CHUNK);
    this.chunkSize = Math.max(512, chunk - (chunk % 512));
    this.singleRequestLimit = settings.singleRequestLimit ?? 4 * 1024 * 1024;
  }

  /** Uploads a file and returns it as DocSpace stored it. */
  async upload(req: UploadRequest): Promise<FileDto> {
    const size = req.data instanceof Uint8Array ? req.data.byteLength : req.size;
    if (size === undefined || !Number.isInteger(size) || size < 0) {
      throw new DocSpaceError(
        'bad_request',
        `Uploading "${req.fileName}" needs its size in bytes when the data is a stream.`,
      );
    }
    if (size <= this.singleRequestLimit) return this.single(req, size);
    return this.chunked(req, size);
  }

  private async single(req: UploadRequest, size: number): Promise<FileDto> {
    let bytes: Uint8Array = new Uint8Array(0);
    let read = 0;
    for await (const chunk of chunksOf(req.data, Math.max(size, 1))) {
      read += chunk.byteLength;
      bytes = chunk;
    }
    if (read !== size) throw sizeMismatch(req.fileName, size, read);
    const form = new FormData();
    form.append(
      'file',
      new Blob([bytes], { type: req.contentType ?? 'application/octet-stream' }),
      req.fileName,
    );
    form.append('title', req.fileName);
    form.append('createNewIfExist', String(req.createNewIfExist ?? true));
    const file = await this.t.request<FileDto>('POST', `files/${seg(req.folderId)}/insert`, {
      body: form,
      signal: req.signal,
      subject: req.folderId === '@my' ? 'My documents' : `folder ${req.folderId}`,
    });
    req.onProgress?.(size, size);
    return file;
  }

  private async chunked(req: UploadRequest, size: number): Promise<FileDto> {
    const session = await this.createSession(req, size);
    const target = this.chunkUrl(session);
    let sent = 0;
    let last: Record<string, unknown> | undefined;
    let finished = false;
    for await (const chunk of chunksOf(req.data, this.chunkSize)) {
      if (sent + chunk.byteLength > size) throw sizeMismatch(req.fileName, size, sent + chunk.byteLength);
      const form = new FormData();
      form.append(
        'file',
        new Blob([chunk], { type: req.contentType ?? 'application/octet-stream' }),
        req.fileName,
      );
      const res = await this.t.fetchRaw('POST', target, {
        body: form,
        signal: req.signal,
        subject: `the upload of "${req.fileName}"`,
      });
      const result = await this.chunkResult(res, req.fileName, sent);
      sent += chunk.byteLength;
      req.onProgress?.(sent, size);
      last = result.data;
      // DocSpace answers the last chunk with 201 and the stored file.
      finished = res.status === 201 || result.data?.uploaded === true;
    }
    if (sent !== size) throw sizeMismatch(req.fileName, size, sent);
    if (!finished || !last) {
      throw new DocSpaceError(
        'invalid_response',
        `DocSpace accepted all ${size} bytes of "${req.fileName}" but did not confirm the upload finished.`,
      );
    }
    if (isObject(last.file)) return last.file as unknown as FileDto;
    if (last.id !== undefined) {
      return this.t.request<FileDto>('GET', `files/file/${seg(last.id as EntryId)}`, { signal: req.signal });
    }
    throw new DocSpaceError(
      'invalid_response',
      `DocSpace finished the upload of "${req.fileName}" without naming the file.`,
    );
  }

  private async createSession(req: UploadRequest, size: number): Promise<UploadSessionDto> {
    const r = await this.t.request<unknown>('POST', `files/${seg(req.folderId)}/upload/create_session`, {
      body: {
        fileName: req.fileName,
        fileSize: size,
        createOn: new Date(this.t.clock.now()).toISOString(),
        createNewIfExist: req.createNewIfExist ?? true,
      },
      signal: req.signal,
      subject: req.folderId === '@my' ? 'My documents' : `folder ${req.folderId}`,
    });
    // The session comes as `{success, data:{…}}` inside the envelope.
    const session = isObject(r) && isObject(r.data) ? r.data : r;
    if (!isObject(session) || typeof session.id !== 'string' || !session.id) {
      throw new DocSpaceError(
        'invalid_response',
        `DocSpace did not open an upload session for "${req.fileName}".`,
      );
    }
    return session as unknown as UploadSessionDto;
  }

  /**
   * Where chunks go. DocSpace gives an absolute `location`; if it names another host (a proxy's
   * inner name, say) we keep its path on the portal's own origin, so credentials never leave it.
   */
  private chunkUrl(session: UploadSessionDto): string {
    const fallback = `/ChunkedUploader.ashx?uid=${encodeURIComponent(session.id)}`;
    if (!session.location) return fallback;
    const loc = new URL(session.location, `${this.t.baseUrl}/`);
    if (loc.origin === this.t.origin) return loc.toString();
    return `${this.t.origin}${loc.pathname}${loc.search}`;
  }

  private async chunkResult(
    res: Response,
    fileName: string,
    offset: number,
  ): Promise<{ data?: Record<string, unknown> }> {
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new DocSpaceError(
        'invalid_response',
        `DocSpace's answer to a chunk of "${fileName}" was not JSON.`,
        {
          status: res.status,
        },
      );
    }
    // The chunk handler is not enveloped, but tolerate an envelope around it.
    const obj = isObject(body) && isObject(body.response) && !('success' in body) ? body.response : body;
    if (!isObject(obj) || obj.success === false) {
      const msg = isObject(obj) && typeof obj.message === 'string' ? obj.message : 'no reason given';
      throw new DocSpaceError(
        'bad_request',
        `Uploading "${fileName}" failed at byte ${offset}. DocSpace says: "${msg}"`,
        { status: res.status, docspaceMessage: msg },
      );
    }
    return { data: isObject(obj.data) ? obj.data : undefined };
  }
}

function sizeMismatch(fileName: string, declared: number, actual: number): DocSpaceError {
  return new DocSpaceError(
    'bad_request',
    `"${fileName}" was declared as ${declared} bytes but the data ${actual > declared ? 'is longer' : `ended after ${actual}`}.`,
  );
}
