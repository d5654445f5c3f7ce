import { DocSpaceError } from './errors.js';
import type { Transport } from './transport.js';
import type { FileOperationDto } from './types.js';

/** `(percent, message)`: percent is 0–100 over all the operations being waited for. */
export type ProgressCallback = (percent: number, message: string) => void;

export interface WaitOptions {
  signal?: AbortSignal;
  /** Give up after this long (default 120 s); the operation may still finish in DocSpace. */
  timeoutMs?: number;
  onProgress?: ProgressCallback;
  /** First pause between polls (default 100 ms); grows by half each poll up to `maxIntervalMs`. */
  initialIntervalMs?: number;
  /** Longest pause between polls (default 2 s). */
  maxIntervalMs?: number;
  /** What is happening, for messages: "Copying 3 items". */
  what?: string;
}

/** Options the area modules accept for calls that start a long-running operation. */
export type OperationOptions = Omit<WaitOptions, 'what'>;

/** What the caller knows about the operation its request started, to find it in DocSpace's answer. */
export interface StartedBy {
  /** FileOperationType the request starts: 0 Move, 1 Copy, 2 Delete, 3 Download. */
  type: number;
}

const FAILED_STATUSES = new Set([3, 4]);

/**
 * Finished only when DocSpace says so: `finished`, or the task's status is past Running
 * (2 Completed, 3 Canceled, 4 Failed). Progress alone is not enough.
 */
function isDone(op: FileOperationDto): boolean {
  return op.finished === true || (op.status ?? 0) >= 2;
}

function failureOf(op: FileOperationDto): string | undefined {
  const error = op.error?.trim();
  if (error) return error;
  if (op.status === 3) return 'the operation was cancelled';
  if (op.status === 4) return 'the operation failed without saying why';
  return undefined;
}

/**
 * Long-running file operations (`files/fileops`): copy, move, delete, archive, bulk download.
 * DocSpace answers the call that started one with one operation or a list (some endpoints add
 * the person's other operations); we find ours in it and poll it by id until DocSpace says it is
 * finished. Polling by id matters: a plain `GET files/fileops` dequeues every finished operation
 * of the person, results others are waiting for included.
 */
export class OperationsApi {
  constructor(private readonly t: Transport) {}

  /**
   * The caller's operations DocSpace still holds; with `id`, that one only. Reading a finished
   * operation dequeues it: DocSpace reports it once.
   */
  list(opts: { id?: string; signal?: AbortSignal } = {}): Promise<FileOperationDto[]> {
    return this.t.request<FileOperationDto[]>('GET', 'files/fileops', {
      query: { id: opts.id },
      signal: opts.signal,
    });
  }

  /** Asks DocSpace to stop an operation; DocSpace drops it without reporting it again. */
  terminate(id: string, signal?: AbortSignal): Promise<FileOperationDto[]> {
    return this.t.request<FileOperationDto[]>('PUT', `files/fileops/terminate/${encodeURIComponent(id)}`, {
      signal,
    });
  }

  /**
   * The operation a request started, from DocSpace's answer to it: a single object or a list
   * that may hold the person's other operations too. Throws `invalid_response` when it cannot tell.
   */
  identify(answer: unknown, by: StartedBy, what: string): FileOperationDto {
    const all = (Array.isArray(answer) ? answer : [answer]).filter(
      (op): op is FileOperationDto =>
        typeof op === 'object' && op !== null && typeof (op as FileOperationDto).id === 'string',
    );
    const candidates = all.filter((op) => op.Operation === undefined || op.Operation === by.type);
    if (candidates.length === 1) return candidates[0] as FileOperationDto;
    throw new DocSpaceError(
      'invalid_response',
      candidates.length === 0
        ? `${what}: DocSpace accepted the request but returned no operation to follow. Check the result in DocSpace.`
        : `${what}: DocSpace accepted the request but answered with ${candidates.length} operations and did not say which one is this request's. Check the result in DocSpace.`,
    );
  }

  /**
   * Waits until the operation the request started has finished and returns its final state
   * (as a one-item list). `answer` is what DocSpace answered to the starting request.
   * Throws `operation_failed` with DocSpace's own error text, `timeout`, `aborted`, or
   * `unauthorized` when the credential stops working meanwhile.
   */
  async wait(answer: unknown, by: StartedBy, opts: WaitOptions = {}): Promise<FileOperationDto[]> {
    const what = opts.what ?? 'The file operation';
    const clock = this.t.clock;
    const limit = opts.timeoutMs ?? 120_000;
    const deadline = clock.now() + limit;
    let op = this.identify(answer, by, what);
    this.check(op, what);
    let interval = opts.initialIntervalMs ?? 100;
    const maxInterval = opts.maxIntervalMs ?? 2_000;
    this.report(op, opts.onProgress, what);
    let renewed = false;
    while (!isDone(op)) {
      const left = deadline - clock.now();
      if (left <= 0) throw this.timedOut(op, what, limit);
      try {
        await clock.sleep(Math.min(interval, left), opts.signal);
      } catch (e) {
        // The operation itself goes on in DocSpace: stopping a move half-way would leave a mess.
        throw new DocSpaceError('aborted', `${what} was cancelled while waiting for DocSpace.`, { cause: e });
      }
      interval = Math.min(maxInterval, Math.round(interval * 1.5));
      const current = await this.list({ id: op.id, signal: opts.signal });
      const found = Array.isArray(current) ? current.find((o) => o?.id === op.id) : undefined;
      if (!found) {
        // A signed-out visitor sees no operations (`GET files/fileops` is [AllowAnonymous]), so
        // an empty answer may mean the credential expired. Otherwise the operation was dropped
        // (terminated, or its one report read by another client): its outcome is unknown.
        const state = await this.t.confirmSignedIn(opts.signal, 'GET /api/2.0/files/fileops');
        if (state === 'renewed' && !renewed) {
          renewed = true;
          continue;
        }
        throw new DocSpaceError(
          'operation_failed',
          `${what}: DocSpace stopped reporting on the operation before saying it had finished (it may have been cancelled, or another client read its result). Check the result in DocSpace.`,
          { status: 200 },
        );
      }
      op = found;
      this.check(op, what);
      this.report(op, opts.onProgress, what);
    }
    return [op];
  }

  private check(op: FileOperationDto, what: string): void {
    const why = failureOf(op);
    if (why === undefined) return;
    throw new DocSpaceError('operation_failed', `${what} failed. DocSpace says: "${why}"`, {
      docspaceMessage: op.error || undefined,
      status: 200,
    });
  }

  private report(op: FileOperationDto, cb: ProgressCallback | undefined, what: string): void {
    if (!cb) return;
    const percent = isDone(op) ? 100 : Math.max(0, Math.min(99, Math.round(op.progress ?? 0)));
    try {
      cb(percent, `${what}: ${percent}%`);
    } catch {
      // A failing progress sink must not fail the operation.
    }
  }

  private timedOut(op: FileOperationDto, what: string, ms: number): DocSpaceError {
    return new DocSpaceError(
      'timeout',
      `${what} did not finish within ${Math.round(ms / 1000)} s (last progress ${op.progress ?? 0}%). It may still complete in DocSpace; check again later.`,
    );
  }
}
