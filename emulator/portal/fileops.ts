// Long-running file operations per user, with DocSpace's listing semantics (reference/docspace-api.md §3.4):
// a finished operation is reported once (progress 100, finished) if held, then dropped; an unheld
// (`deleteAfter: true`) one vanishes without ever being reported finished.
import { randomUUID } from 'node:crypto';

/** FileOperationType: 0 Move, 1 Copy, 2 Delete, 3 Download. */
export type OperationType = 0 | 1 | 2 | 3 | 6 | 7;

export interface Operation {
  id: string;
  type: OperationType;
  userId: string;
  progress: number;
  error: string;
  processed: number;
  finished: boolean;
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

export class FileOps {
  private readonly byUser = new Map<string, Operation[]>();
  private readonly timers = new Set<NodeJS.Timeout>();

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
      this.timers.delete(t);
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
      op.progress = 100;
      op.finished = true;
    }, delayMs);
    t.unref();
    this.timers.add(t);
    return op;
  }

  /** The user's operations as DocSpace lists them: finished ones are dequeued on this read. */
  list(userId: string): Operation[] {
    const list = this.byUser.get(userId) ?? [];
    const now = Date.now();
    for (const op of list) {
      // Running operations report how far along they are, never 100 before they finish.
      if (!op.finished && op.durationMs > 0)
        op.progress = Math.min(99, Math.floor(((now - op.startedAt) / op.durationMs) * 100));
    }
    const shown = list.filter((op) => !op.finished || op.hold);
    this.byUser.set(
      userId,
      list.filter((op) => !op.finished),
    );
    return shown;
  }

  /** Marks the user's running operations (or one) as canceled. */
  terminate(userId: string, id?: string): void {
    for (const op of this.byUser.get(userId) ?? []) {
      if (!op.finished && (!id || op.id === id)) {
        op.error = 'Canceled';
        op.finished = true;
        op.progress = 100;
      }
    }
  }

  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.byUser.clear();
  }
}
