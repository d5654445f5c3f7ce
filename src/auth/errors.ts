import { AppError } from '../errors.js';

/**
 * RFC 6750 codes (`invalid_token`, `invalid_request`), `unauthorized` for a request that brought
 * no credential, and `temporarily_unavailable` when the person's DocSpace sign-in cannot be
 * renewed just now (retry, do not sign in again).
 */
export type AuthErrorCode = 'unauthorized' | 'invalid_token' | 'invalid_request' | 'temporarily_unavailable';

/**
 * A request the authenticator refuses: 401 with its `WWW-Authenticate` challenge, or 503 with
 * `Retry-After`. Thrown by src/auth; the HTTP edge answers it in the route's protocol.
 */
export class AuthError extends AppError {
  declare readonly code: AuthErrorCode;
  constructor(code: AuthErrorCode, message: string, headers: Record<string, string>) {
    super(code, message, {
      status: code === 'temporarily_unavailable' ? 503 : 401,
      headers,
      expose: true,
    });
  }
}
