import { AppError } from '../errors.js';

/**
 * An OAuth protocol error with its wire code (RFC 6749 §5.2, RFC 7591 §3.2.2, RFC 8707 §2) and
 * the HTTP status it travels with. The description is for people; it never holds a secret.
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'access_denied'
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'
  | 'invalid_token'
  | 'server_error'
  | 'temporarily_unavailable';

export class OAuthError extends AppError {
  declare readonly code: OAuthErrorCode;
  /** The HTTP status it travels with (the same as `httpStatus`). */
  readonly status: number;
  constructor(
    code: OAuthErrorCode,
    message: string,
    status: number = defaultStatus(code),
    /** What the person in the browser should read instead, where the wire text speaks to the client. */
    forPerson?: string,
  ) {
    super(code, message, { status, forPerson });
    this.status = status;
  }

  toJSON(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.code, error_description: this.message };
  }
}

function defaultStatus(code: OAuthErrorCode): number {
  if (code === 'invalid_client' || code === 'invalid_token') return 401;
  if (code === 'server_error') return 500;
  if (code === 'temporarily_unavailable') return 503;
  return 400;
}
