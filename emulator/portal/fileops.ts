// Long-running file operations per user, with DocSpace's bookkeeping
// (SRV:products/ASC.Files/Core/Services/WCFService/FileOperations/FileOperationsManager.cs):
// - each kind of operation has its own queue ("manager"): move+copy, delete, download, duplicate;
// - reading a queue dequeues the finished operations it reads; a finished operation shows in that read
//   only if it holds its result (`deleteAfter: false`), so it is reported finished once, or never;
// - reading with an id (`fileops?id=`) touches only that operation;
// - terminating dequeues (removes) operations outright: they are never reported as canceled;
// - a person may run one download (conversion) at a time (`CheckRunning` → "Too many downloads.").
import { randomUUID } from 'node:crypto';

/** FileOperationType: 0 Move, 1 Copy, 2 Delete, 3 Download, 6 Convert, 7 Duplicate. */
export type OperationType = 0 | 1 | 2 | 3 | 6 | 7;

/** The queue an operation type lives in (one FileOperationsManagerHolder per operation class). */
export type Queue = 'moveCopy' | 'delete' | 'download' | 'duplicate' | 'other';

export function queueOf(type: OperationType): Queue {
  if (type === 0 || type === 1) return 'moveCopy';
  if (type === 2) return 'delete';
  if (type === 3) return 'download';
  if (type === 7) return 'duplicate';
  return 'other';
}

/** The order `GET files/fileops` reads the queues in (OperationController.GetOperationStatuses). */
export const ALL_QUEUES: readonly Queue[] = ['duplicate', 'moveCopy', 'delete', 'download', 'other'];

/** DistributedTaskStatus: 0 Created, 1 Running, 2 Completed, 3 Canceled, 4 Failted. */
export type TaskStatus = 0 | 1 | 2 | 3 | 4;

export interface Operation {
  id: string;
  type: OperationType;
  userId: string;
  progress: number;
  error: string;
  processed: number;
  finished: boolean;
  status: TaskStatus;
  hold: boolean;
  url?: string;
  files: number[];
  folders: number[];
  /** When the work started and how long it takes, for the running progress figure. */
  startedAt: number;
  durationMs: number;
}

export interface OperationResult {
  files?: number[];
  folders?: number[];
  url?: string;
  /** Per-item failures; the first becomes the operation's `error` text, as DocSpace reports one. */
  errors?: string[];
  processed?: number;
}

export interface OperationTiming {
  delayMs: number;
  failWith?: string;
}

export interface ListOptions {
  /** Only this operation (`fileops?id=`); others stay queued untouched. */
  id?: string;
  /** Only these queues; default all of them. */
  queues?: readonly Queue[];
}

export class FileOps {
  private readonly byUser = new Map<string, Operation[]>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly timing: () => OperationTiming) {}

  /** Queues work that runs after the configured delay; the caller gets the running operation. */
  start(userId: string, type: OperationType, hold: boolean, work: () => OperationResult): Operation {
    const op: Operation = {
      id: randomUUID(),
      type,
      userId,
      progress: 0,
      error: '',
      processed: 0,
      finished: false,
      status: 1,
      hold,
      files: [],
      folders: [],
      startedAt: Date.now(),
      durationMs: 0,
    };
    const list = this.byUser.get(userId) ?? [];
    list.push(op);
    this.byUser.set(userId, list);
    const { delayMs, failWith } = this.timing();
    op.durationMs = delayMs;
    const t = setTimeout(() => {
      this.timers.delete(op.id);
      if (op.finished) return;
      if (failWith) {
        op.error = failWith;
      } else {
        try {
          const r = work();
          op.files = r.files ?? [];
          op.folders = r.folders ?? [];
          op.url = r.url;
          op.processed = r.processed ?? op.files.length + op.folders.length;
          op.error = r.errors?.[0] ?? '';
        } catch (err) {
          op.error = err instanceof Error ? err.message : String(err);
        }
      }
      // An error inside the job is recorded in `error`; the task itself still completes.
      op.progress = 100;
      op.finished = true;
      op.status = 2;
    }, delayMs);
    t.unref();
    this.timers.set(op.id, t);
    return op;
  }

  /** The user's operations as DocSpace lists them; finished ones read here are dequeued. */
  list(userId: string, opts: ListOptions = {}): Operation[] {
    const queues = opts.queues ?? ALL_QUEUES;
    const list = this.byUser.get(userId) ?? [];
    const now = Date.now();
    const shown: Operation[] = [];
    const dequeued = new Set<Operation>();
    for (const queue of queues) {
      for (const op of list) {
        if (queueOf(op.type) !== queue || (opts.id !== undefined && op.id !== opts.id)) continue;
        // Running operations report how far along they are, never 100 before they finish.
        if (!op.finished && op.durationMs > 0)
          op.progress = Math.min(99, Math.floor(((now - op.startedAt) / op.durationMs) * 100));
        if (op.finished) dequeued.add(op);
        if (op.hold || !op.finished) shown.push(op);
      }
    }
    if (dequeued.size > 0)
      this.byUser.set(
        userId,
        list.filter((op) => !dequeued.has(op)),
      );
    return shown;
  }

  /** True while the user has a download (conversion) that has not finished. */
  downloadRunning(userId: string): boolean {
    return (this.byUser.get(userId) ?? []).some((op) => op.type === 3 && !op.finished);
  }

  /** Removes the user's operations (or one) from their queues; running work is dropped. */
  terminate(userId: string, id?: string): void {
    const list = this.byUser.get(userId) ?? [];
    const gone = list.filter((op) => id === undefined || op.id === id);
    for (const op of gone) {
      const t = this.timers.get(op.id);
      if (t) clearTimeout(t);
      this.timers.delete(op.id);
    }
    this.byUser.set(
      userId,
      list.filter((op) => !gone.includes(op)),
    );
  }

  clear(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.byUser.clear();
  }
}
