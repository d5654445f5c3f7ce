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

const FAILED_STATUSES = new Set([3, 4]);

function isDone(op: FileOperationDto): boolean {
  return (
    op.finished === true ||
    (op.progress ?? 0) >= 100 ||
    op.status === 2 ||
    FAILED_STATUSES.has(op.status ?? -1)
  );
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
 * DocSpace returns the operation from the call that started it; we poll until it finishes.
 */
export class OperationsApi {
  constructor(private readonly t: Transport) {}

  /** The caller's operations DocSpace still holds. Finished ones are dropped after one read. */
  list(opts: { id?: string; signal?: AbortSignal } = {}): Promise<FileOperationDto[]> {
    return this.t.request<FileOperationDto[]>('GET', 'files/fileops', {
      query: { id: opts.id },
      signal: opts.signal,
    });
  }

  /** Asks DocSpace to stop an operation. */
  terminate(id: string, signal?: AbortSignal): Promise<FileOperationDto[]> {
    return this.t.request<FileOperationDto[]>('PUT', `files/fileops/terminate/${encodeURIComponent(id)}`, {
      signal,
    });
  }

  /**
   * Waits until every operation in `started` has finished and returns their final state.
   * Throws `operation_failed` with DocSpace's own error text, `timeout`, or `aborted`.
   */
  async wait(
    started: FileOperationDto | FileOperationDto[],
    opts: WaitOptions = {},
  ): Promise<FileOperationDto[]> {
    const what = opts.what ?? 'The file operation';
    const clock = this.t.clock;
    const deadline = clock.now() + (opts.timeoutMs ?? 120_000);
    const latest = new Map<string, FileOperationDto>();
    for (const op of Array.isArray(started) ? started : [started]) {
      if (op && typeof op.id === 'string') latest.set(op.id, op);
    }
    const pending = new Set<string>();
    for (const [id, op] of latest) {
      this.check(op, what);
      if (!isDone(op)) pending.add(id);
    }
    let interval = opts.initialIntervalMs ?? 100;
    const maxInterval = opts.maxIntervalMs ?? 2_000;
    this.report(latest, opts.onProgress, what);
    while (pending.size > 0) {
      const left = deadline - clock.now();
      if (left <= 0) throw this.timedOut(latest, pending, what, opts.timeoutMs ?? 120_000);
      try {
        await clock.sleep(Math.min(interval, left), opts.signal);
      } catch (e) {
        // The operation itself goes on in DocSpace: stopping a move half-way would leave a mess.
        throw new DocSpaceError('aborted', `${what} was cancelled while waiting for DocSpace.`, { cause: e });
      }
      interval = Math.min(maxInterval, Math.round(interval * 1.5));
      const current = await this.list({
        id: pending.size === 1 ? [...pending][0] : undefined,
        signal: opts.signal,
      });
      for (const id of [...pending]) {
        const op = Array.isArray(current) ? current.find((o) => o?.id === id) : undefined;
        if (!op) {
          // DocSpace drops a finished operation after reporting it once; if someone else read
          // that report, it is simply gone. Gone after being seen running means it finished.
          const prev = latest.get(id) as FileOperationDto;
          latest.set(id, { ...prev, progress: 100, finished: true });
          pending.delete(id);
          continue;
        }
        latest.set(id, op);
        this.check(op, what);
        if (isDone(op)) pending.delete(id);
      }
      this.report(latest, opts.onProgress, what);
    }
    return [...latest.values()];
  }

  private check(op: FileOperationDto, what: string): void {
    const why = failureOf(op);
    if (why === undefined) return;
    throw new DocSpaceError('operation_failed', `${what} failed. DocSpace says: "${why}"`, {
      docspaceMessage: op.error || undefined,
      status: 200,
    });
  }

  private report(
    latest: Map<string, FileOperationDto>,
    cb: ProgressCallback | undefined,
    what: string,
  ): void {
    if (!cb || latest.size === 0) return;
    let sum = 0;
    for (const op of latest.values()) sum += isDone(op) ? 100 : Math.max(0, Math.min(100, op.progress ?? 0));
    const percent = Math.round(sum / latest.size);
    try {
      cb(percent, `${what}: ${percent}%`);
    } catch {
      // A failing progress sink must not fail the operation.
    }
  }

  private timedOut(
    latest: Map<string, FileOperationDto>,
    pending: Set<string>,
    what: string,
    ms: number,
  ): DocSpaceError {
    const progress = [...pending].map((id) => latest.get(id)?.progress ?? 0);
    const last = progress.length ? Math.min(...progress) : 0;
    return new DocSpaceError(
      'timeout',
      `${what} did not finish within ${Math.round(ms / 1000)} s (last progress ${last}%). It may still complete in DocSpace; check again later.`,
    );
  }
}
