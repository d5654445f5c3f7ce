// Error bodies as Spring Authorization Server writes them. Endpoint-level parameter errors carry
// `error_description` "OAuth 2.0 Parameter: <name>" and an `error_uri`; provider-level failures
// (invalid_grant, invalid_scope, unauthorized_client) carry only `error`; client authentication
// failures answer 401 {"error":"invalid_client"} with no detail at all.

export const ERROR_URI = {
  token: 'https://datatracker.ietf.org/doc/html/rfc6749#section-5.2',
  authorize: 'https://datatracker.ietf.org/doc/html/rfc6749#section-4.1.2.1',
  pkce: 'https://datatracker.ietf.org/doc/html/rfc7636#section-4.4.1',
  introspect: 'https://datatracker.ietf.org/doc/html/rfc7662#section-2.1',
  revoke: 'https://datatracker.ietf.org/doc/html/rfc7009#section-2.1',
} as const;

export interface OAuthErrorBody {
  error: string;
  error_description?: string;
  error_uri?: string;
}

/** An OAuth failure on its way to becoming a JSON error response. */
export class OAuthProtocolError extends Error {
  constructor(
    readonly status: 400 | 401 | 403,
    readonly body: OAuthErrorBody,
  ) {
    super(body.error_description ?? body.error);
    this.name = 'OAuthProtocolError';
  }

  get code(): string {
    return this.body.error;
  }
}

export function parameterError(
  parameter: string,
  errorUri: string,
  prefix = 'OAuth 2.0 Parameter',
): OAuthProtocolError {
  return new OAuthProtocolError(400, {
    error: 'invalid_request',
    error_description: `${prefix}: ${parameter}`,
    error_uri: errorUri,
  });
}

export function bareError(error: string, status: 400 | 401 | 403 = 400): OAuthProtocolError {
  return new OAuthProtocolError(status, { error });
}

export const invalidClient = (): OAuthProtocolError => bareError('invalid_client', 401);
export const invalidGrant = (): OAuthProtocolError => bareError('invalid_grant');

/** Spring's token responses and errors are never cached. */
export const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;
