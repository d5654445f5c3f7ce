/**
 * The one base of our errors. A failure is thrown where it arises as an `AppError` subclass and
 * turned into an answer once per protocol at the edge: JSON-RPC on the MCP routes
 * (src/http/errors.ts), OAuth error JSON or our page on the OAuth routes (src/oauth/context.ts),
 * a tool result in the tool layer (src/mcp/run-tool.ts), a message on the command line.
 *
 * `code` is snake_case and stable: what callers and tests branch on. `message` is one or two
 * sentences a person can act on, never a secret or a stack.
 */
export interface AppErrorOptions {
  /** The HTTP status an answer for this failure carries, where it reaches HTTP. Default 500. */
  status?: number;
  /** Headers that go with that answer (`Retry-After`, `Allow`, `WWW-Authenticate`). */
  headers?: Record<string, string>;
  /**
   * Whether the edge may show `message` to the caller as it is (a refusal they can act on).
   * Otherwise an answer says only "internal error" with a reference and the log has the rest.
   */
  expose?: boolean;
  /** What a person in a browser should read, where `message` speaks to a client program. */
  forPerson?: string;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: string;
  readonly httpStatus: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly expose: boolean;
  readonly forPerson?: string;

  constructor(code: string, message: string, opts: AppErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.httpStatus = opts.status ?? 500;
    this.headers = opts.headers ?? {};
    this.expose = opts.expose ?? false;
    this.forPerson = opts.forPerson;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
