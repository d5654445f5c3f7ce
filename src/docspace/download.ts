import { DocSpaceError } from './errors.js';
import type { OperationOptions, OperationsApi, ProgressCallback } from './operations.js';
import type { Transport } from './transport.js';
import { inTurn } from './turns.js';
import type { EntryId, FileDto, FileOperationDto, FilesSettingsDto } from './types.js';

export interface DownloadOptions {
  /** Refuse (or cut, with `truncate`) anything larger. */
  maxBytes: number;
  /** Return the first `maxBytes` instead of failing with `too_large`. */
  truncate?: boolean;
  version?: number;
  signal?: AbortSignal;
}

export interface DownloadedFile {
  bytes: Uint8Array;
  contentType?: string;
  /** True when `truncate` cut the content. */
  truncated: boolean;
}

export interface TextOptions extends OperationOptions {
  maxBytes: number;
  truncate?: boolean;
}

export interface FileText {
  text: string;
  /** Extension of what `text` holds: the file's own (".txt", ".md", …) or the conversion target. */
  format: string;
  /** True when DocSpace converted the file to get text. */
  converted: boolean;
  truncated: boolean;
  file: FileDto;
}

// Files whose bytes already are text: no conversion round trip needed.
const TEXT_EXTENSIONS = new Set([
  '.txt',
  '.csv',
  '.md',
  '.json',
  '.xml',
  '.html',
  '.htm',
  '.log',
  '.tsv',
  '.yaml',
  '.yml',
]);
const TEXT_TARGETS = ['.txt', '.csv'];
const CONVERSION_TIMEOUT_MS = 120_000;

/** DocSpace refuses a second bulk download of a person while one runs (FileOperationsManager CheckRunning). */
function isTooManyDownloads(e: unknown): boolean {
  return (
    e instanceof DocSpaceError &&
    e.code === 'forbidden' &&
    /too many downloads/i.test(e.docspaceMessage ?? '')
  );
}

function tell(cb: ProgressCallback | undefined, percent: number, message: string): void {
  try {
    cb?.(percent, message);
  } catch {
    // A failing progress sink must not fail the conversion.
  }
}

interface FileSource {
  info(fileId: EntryId, opts?: { signal?: AbortSignal }): Promise<FileDto>;
  settings(signal?: AbortSignal): Promise<FilesSettingsDto>;
}

/** Reads a body up to `maxBytes`, keeping one copy of the data. */
export async function readCapped(
  res: Response,
  maxBytes: number,
  truncate: boolean,
  what: string,
): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  const declared = Number(res.headers.get('content-length'));
  if (!truncate && Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel();
    throw tooLarge(what, maxBytes, declared);
  }
  if (!res.body) return { bytes: new Uint8Array(0), truncated: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size + value.byteLength > maxBytes) {
        if (!truncate) throw tooLarge(what, maxBytes);
        chunks.push(value.subarray(0, maxBytes - size));
        size = maxBytes;
        truncated = true;
        break;
      }
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return { bytes, truncated };
}

function tooLarge(what: string, maxBytes: number, actual?: number): DocSpaceError {
  const mb = (n: number) => `${(n / 1_048_576).toFixed(1)} MB`;
  return new DocSpaceError(
    'too_large',
    `${what} is ${actual ? mb(actual) : `larger than ${mb(maxBytes)}`}, over the ${mb(maxBytes)} limit for reading it here. Open it in DocSpace instead, or ask for a part of it.`,
  );
}

/** Decodes UTF-8, dropping a byte-order mark and a multi-byte character cut off at the end. */
export function decodeText(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8').decode(bytes, { stream: true });
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function extensionOf(file: FileDto): string {
  if (file.fileExst) return file.fileExst.toLowerCase();
  const dot = file.title.lastIndexOf('.');
  return dot >= 0 ? file.title.slice(dot).toLowerCase() : '';
}

/** File content: direct download, conversion through `fileops/bulkdownload`, text extraction. */
export class Downloads {
  constructor(
    private readonly t: Transport,
    private readonly ops: OperationsApi,
    private readonly files: FileSource,
  ) {}

  stream(fileId: EntryId, opts: { version?: number; signal?: AbortSignal } = {}): Promise<Response> {
    return this.t.fetchRaw('GET', '/filehandler.ashx', {
      query: { action: 'download', fileid: String(fileId), version: opts.version },
      headers: { accept: '*/*' },
      signal: opts.signal,
      subject: `file ${fileId}`,
    });
  }

  async bytes(fileId: EntryId, opts: DownloadOptions): Promise<DownloadedFile> {
    const res = await this.stream(fileId, opts);
    const { bytes, truncated } = await readCapped(
      res,
      opts.maxBytes,
      opts.truncate ?? false,
      `File ${fileId}`,
    );
    return { bytes, truncated, contentType: res.headers.get('content-type') ?? undefined };
  }

  /**
   * Converts through `files/fileops/bulkdownload`. DocSpace runs one such download per person and
   * refuses a second with 403 "Too many downloads.", so conversions queue here per person, and one
   * that meets another still running elsewhere (another server, the DocSpace web app) waits for it.
   * Either way the progress message says it is waiting.
   */
  convertUrl(fileId: EntryId, toExt: string, opts: OperationOptions = {}): Promise<string> {
    const what = `Converting file ${fileId} to ${toExt}`;
    const waiting = `${what}: waiting for your other conversion to finish (DocSpace converts one file at a time per person)`;
    const deadline = this.t.clock.now() + (opts.timeoutMs ?? CONVERSION_TIMEOUT_MS);
    return inTurn(this.t.personKey, () => this.convertNow(fileId, toExt, opts, what, waiting, deadline), {
      signal: opts.signal,
      timeoutMs: opts.timeoutMs ?? CONVERSION_TIMEOUT_MS,
      what,
      onWait: () => tell(opts.onProgress, 0, waiting),
    });
  }

  private async convertNow(
    fileId: EntryId,
    toExt: string,
    opts: OperationOptions,
    what: string,
    waiting: string,
    deadline: number,
  ): Promise<string> {
    const clock = this.t.clock;
    let pause = 500;
    let started: unknown;
    for (;;) {
      try {
        started = await this.t.request<unknown>('PUT', 'files/fileops/bulkdownload', {
          body: {
            fileConvertIds: [{ key: fileId, value: toExt }],
            fileIds: [],
            folderIds: [],
            returnSingleOperation: true,
          },
          signal: opts.signal,
          subject: `file ${fileId}`,
        });
        break;
      } catch (e) {
        if (!isTooManyDownloads(e)) throw e;
        if (clock.now() + pause > deadline) {
          throw new DocSpaceError(
            'timeout',
            `${what} could not start: another conversion of yours kept DocSpace busy (it converts one file at a time per person); try again later.`,
            { cause: e },
          );
        }
        tell(opts.onProgress, 0, waiting);
        try {
          await clock.sleep(pause, opts.signal);
        } catch (err) {
          throw new DocSpaceError('aborted', `${what} was cancelled while waiting for its turn.`, {
            cause: err,
          });
        }
        pause = Math.min(2_000, Math.round(pause * 1.5));
      }
    }
    const done = await this.ops.wait(
      started,
      { type: 3 },
      { ...opts, timeoutMs: Math.max(1, deadline - clock.now()), what },
    );
    const url = done.find((op) => typeof op.url === 'string' && op.url.length > 0)?.url;
    if (!url) {
      throw new DocSpaceError(
        'invalid_response',
        `DocSpace finished converting file ${fileId} but gave no address to fetch the result from.`,
      );
    }
    return url;
  }

  async text(fileId: EntryId, opts: TextOptions): Promise<FileText> {
    const file = await this.files.info(fileId, { signal: opts.signal });
    const ext = extensionOf(file);
    const truncate = opts.truncate ?? false;
    if (TEXT_EXTENSIONS.has(ext)) {
      const { bytes, truncated } = await this.bytes(fileId, {
        maxBytes: opts.maxBytes,
        truncate,
        signal: opts.signal,
      });
      return { text: decodeText(bytes), format: ext, converted: false, truncated, file };
    }
    const settings = await this.files.settings(opts.signal);
    const targets = settings.extsConvertible?.[ext] ?? [];
    const target = TEXT_TARGETS.find((x) => targets.includes(x));
    if (!target) {
      throw new DocSpaceError(
        'bad_request',
        `File ${fileId} ("${file.title}") is ${ext ? `a ${ext} file` : 'a file without an extension'}, which DocSpace cannot convert to text.`,
      );
    }
    const url = await this.convertUrl(fileId, target, opts);
    const res = await this.t.fetchRaw('GET', url, {
      headers: { accept: 'text/plain, text/csv, */*' },
      signal: opts.signal,
      subject: `the converted file ${fileId}`,
    });
    const { bytes, truncated } = await readCapped(res, opts.maxBytes, truncate, `The text of file ${fileId}`);
    return { text: decodeText(bytes), format: target, converted: true, truncated, file };
  }
}
