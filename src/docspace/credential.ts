/**
 * How a request proves who it is to DocSpace. Produced by `auth/` (per HTTP request) or by
 * the configuration (stdio, single-user HTTP); consumed only by the DocSpace client.
 */
export type Credential =
  /** `DOCSPACE_API_KEY`: sent as `Authorization: Bearer sk-…`. */
  | { kind: 'apiKey'; apiKey: string }
  /** `DOCSPACE_AUTH_TOKEN`: a personal access token from `POST /api/2.0/authentication`. */
  | { kind: 'personalToken'; token: string }
  /** `DOCSPACE_USERNAME` + `DOCSPACE_PASSWORD`: exchanged once for a personal token, renewed on 401. */
  | { kind: 'password'; username: string; password: string }
  /** HTTP Basic with user name + password on every request. */
  | { kind: 'basic'; username: string; password: string }
  /**
   * An access token issued by DocSpace's OAuth server, from the person's DocSpace grant.
   * `current(refused)` asks the grant for a token after DocSpace refused `refused`: all of the
   * person's connections share the grant, and a renewal by another request (on any instance)
   * kills the old token at once, so a 401 may only mean "renewed meanwhile"; if `refused` is
   * still the grant's, the grant is renewed. Undefined when the grant is gone.
   */
  | { kind: 'oauth'; accessToken: string; current?: (refused: string) => Promise<string | undefined> }
  /** A raw `Authorization` header value forwarded as is. */
  | { kind: 'authorization'; value: string };

export type CredentialKind = Credential['kind'];
