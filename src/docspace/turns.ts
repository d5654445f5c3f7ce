import { DocSpaceError } from './errors.js';

// Work DocSpace allows each person one at a time (conversions), queued in this process per person.
// `tails` holds, per key, a promise that settles when the last queued job has finished.
const tails = new Map<string, Promise<void>>();

export interface TurnOptions {
  signal?: AbortSignal;
  /** Give up waiting for the turn after this long. */
  timeoutMs: number;
  /** Called once if the job has to wait for an earlier one. */
  onWait?: () => void;
  /** What is waiting, for the timeout message: "Converting file 12". */
  what: string;
}

/**
 * Runs `job` when every job queued earlier under `key` has finished; jobs under other keys run
 * freely. A caller that gives up (signal, timeout) leaves the queue without stalling the rest.
 */
export async function inTurn<T>(key: string, job: () => Promise<T>, opts: TurnOptions): Promise<T> {
  const before = tails.get(key);
  let release!: () => void;
  const done = new Promise<void>((r) => {
    release = r;
  });
  const tail = (before ?? Promise.resolve()).then(() => done);
  tails.set(key, tail);
  try {
    if (before) {
      opts.onWait?.();
      await waitFor(before, opts);
    }
    return await job();
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}

function waitFor(p: Promise<void>, opts: TurnOptions): Promise<void> {
  const { signal } = opts;
  if (signal?.aborted) return Promise.reject(cancelled(opts.what, signal.reason));
  return new Promise<void>((resolve, reject) => {
    const finish = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      finish();
      reject(cancelled(opts.what, signal?.reason));
    };
    const timer = setTimeout(() => {
      finish();
      reject(
        new DocSpaceError(
          'timeout',
          `${opts.what} waited ${Math.round(opts.timeoutMs / 1000)} s for your other conversions to finish (DocSpace converts one file at a time per person); try again later.`,
        ),
      );
    }, opts.timeoutMs);
    timer.unref?.();
    signal?.addEventListener('abort', onAbort, { once: true });
    p.then(() => {
      finish();
      resolve();
    });
  });
}

function cancelled(what: string, cause: unknown): DocSpaceError {
  return new DocSpaceError('aborted', `${what} was cancelled while waiting for its turn.`, { cause });
}
