import { AppError } from '../errors.js';

/** Stable machine codes for everything the DocSpace client can fail with. */
export type DocSpaceErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'bad_request'
  | 'quota'
  | 'conflict'
  | 'rate_limited'
  | 'unavailable'
  | 'timeout'
  | 'operation_failed'
  | 'too_large'
  | 'aborted'
  | 'network'
  | 'invalid_response';

export interface DocSpaceErrorDetails {
  /** HTTP status DocSpace answered with (0 when no answer arrived). */
  status?: number;
  /** DocSpace's own message, as it sent it (never contains our secrets). */
  docspaceMessage?: string;
  /** For 400s: the request fields DocSpace rejected, with its reasons. */
  fields?: Record<string, string[]>;
  /** For 429/503: how long DocSpace asked us to wait. */
  retryAfterMs?: number;
  /** "GET /api/2.0/files/file/1" — no query string, so no search terms or ids of others leak. */
  request?: string;
  cause?: unknown;
}

/**
 * A failure talking to DocSpace. `message` is one or two sentences a person (or a model) can act
 * on; `code` is what callers branch on.
 */
export class DocSpaceError extends AppError {
  declare readonly code: DocSpaceErrorCode;
  /** DocSpace's own HTTP status (0 when no answer arrived); `httpStatus` is ours: 502. */
  readonly status: number;
  readonly docspaceMessage?: string;
  readonly fields?: Record<string, string[]>;
  readonly retryAfterMs?: number;
  readonly request?: string;

  constructor(code: DocSpaceErrorCode, message: string, details: DocSpaceErrorDetails = {}) {
    super(code, message, { status: 502, cause: details.cause });
    this.status = details.status ?? 0;
    this.docspaceMessage = details.docspaceMessage;
    this.fields = details.fields;
    this.retryAfterMs = details.retryAfterMs;
    this.request = details.request;
  }

  /** True for failures worth trying again later (the request itself was fine). */
  get transient(): boolean {
    return (
      this.code === 'rate_limited' ||
      this.code === 'unavailable' ||
      this.code === 'timeout' ||
      this.code === 'network'
    );
  }
}

export function isDocSpaceError(e: unknown): e is DocSpaceError {
  return e instanceof DocSpaceError;
}
