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
  /** An access token issued by DocSpace's OAuth server (what our sealed tokens carry inside). */
  | { kind: 'oauth'; accessToken: string }
  /** A raw `Authorization` header value forwarded as is. */
  | { kind: 'authorization'; value: string };

export type CredentialKind = Credential['kind'];
