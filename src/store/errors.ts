import { AppError } from '../errors.js';

/**
 * Raised when the backend cannot answer (Redis down, timed out, refusing, or the store was
 * closed). The HTTP edge turns it into a 503; callers never see a driver error. The message
 * names the backend and a short reason, never a key or a value.
 */
export class StoreUnavailableError extends AppError {
  declare readonly code: 'store_unavailable';

  constructor(message: string) {
    super('store_unavailable', message, { status: 503 });
  }
}

export function isStoreUnavailable(error: unknown): error is StoreUnavailableError {
  return error instanceof StoreUnavailableError;
}

/** TTLs and windows are seconds, positive and finite; a zero or negative one is a caller bug. */
export function assertTtl(seconds: number, name: string): void {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new RangeError(`${name} must be a positive number of seconds`);
  }
}
