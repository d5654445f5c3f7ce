// The OAuth server's memory: browser sessions, pending consents, codes, authorizations and
// remembered consents. Tokens are looked up by value, as Spring's authorization service does.
//
// One authorization per (person, app, grant type), as DocSpace keeps them: the primary key of
// its identity_authorizations table is (principal_id, registered_client_id,
// authorization_grant_type) (ASC.Identity infrastructure-migration-runner
// migration/mysql/common/V1_1__init.sql), and AuthorizationService.save looks the row up by that
// key and writes the new authorization over it (AuthorizationMapper.merge keeps only the
// tenant). A second sign-in of the same person to the same app therefore ends the first one's
// access and refresh tokens the moment its code is issued.
import { randomBytes } from 'node:crypto';

export const LIFETIME = {
  code: 60_000,
  access: 60 * 60_000,
  /** Shipped DocSpace config sets REFRESH_TOKEN_TTL=60 (days). */
  refresh: 60 * 24 * 60 * 60_000,
  idToken: 30 * 60_000,
  consentRequest: 10 * 60_000,
  session: 24 * 60 * 60_000,
} as const;

export interface AuthorizationRequest {
  clientId: string;
  /** As sent; undefined when the client relied on its single registered URI. */
  redirectUri: string | undefined;
  /** Where the answer goes: the requested URI or the single registered one. */
  effectiveRedirectUri: string;
  scopes: string[];
  state: string | undefined;
  codeChallenge: string | undefined;
  nonce: string | undefined;
}

export interface PendingConsent {
  request: AuthorizationRequest;
  userId: string;
  expiresAt: number;
}

export interface IssuedToken {
  value: string;
  issuedAt: number;
  expiresAt: number;
  invalidated: boolean;
}

export interface Authorization {
  id: string;
  clientId: string;
  userId: string;
  grantType: 'authorization_code' | 'personal_access_token';
  /** What the user authorized; a refresh may ask for less, never more. */
  scopes: string[];
  request: AuthorizationRequest;
  authTime: number;
  code?: IssuedToken;
  /** The current access token; `scopes` may be narrower than the authorization's after a refresh. */
  access?: IssuedToken & { jti: string; scopes: string[] };
  refresh?: IssuedToken;
}

export class OAuthState {
  readonly sessions = new Map<string, { userId: string; expiresAt: number }>();
  readonly pendingConsents = new Map<string, PendingConsent>();
  readonly authorizations = new Map<string, Authorization>();
  private readonly byCode = new Map<string, string>();
  private readonly byAccess = new Map<string, string>();
  private readonly byRefresh = new Map<string, string>();
  /** `${grantType} ${clientId} ${userId}` → the one authorization of that person, app and grant type. */
  private readonly byPrincipal = new Map<string, string>();
  /** Scopes each user has granted each client: `${clientId} ${userId}` → scopes. */
  readonly consents = new Map<string, Set<string>>();

  constructor(private readonly now: () => number) {}

  newId(): string {
    return randomBytes(24).toString('base64url');
  }

  /** Stores an authorization, replacing (and so ending) the person's earlier one for the app and grant type. */
  save(auth: Authorization): void {
    const key = `${auth.grantType} ${auth.clientId} ${auth.userId}`;
    const earlier = this.byPrincipal.get(key);
    if (earlier !== undefined && earlier !== auth.id) {
      const replaced = this.authorizations.get(earlier);
      if (replaced) this.remove(replaced);
    }
    this.byPrincipal.set(key, auth.id);
    this.authorizations.set(auth.id, auth);
    for (const [index, token] of [
      [this.byCode, auth.code],
      [this.byAccess, auth.access],
      [this.byRefresh, auth.refresh],
    ] as const) {
      if (token) index.set(token.value, auth.id);
    }
  }

  /** Forgets a token value, e.g. the previous access and refresh token after a rotation. */
  forget(kind: 'access' | 'refresh', value: string): void {
    (kind === 'access' ? this.byAccess : this.byRefresh).delete(value);
  }

  findBy(kind: 'code' | 'access' | 'refresh', value: string): Authorization | undefined {
    const index = kind === 'code' ? this.byCode : kind === 'access' ? this.byAccess : this.byRefresh;
    const id = index.get(value);
    return id === undefined ? undefined : this.authorizations.get(id);
  }

  remove(auth: Authorization): void {
    this.authorizations.delete(auth.id);
    const key = `${auth.grantType} ${auth.clientId} ${auth.userId}`;
    if (this.byPrincipal.get(key) === auth.id) this.byPrincipal.delete(key);
    if (auth.code) this.byCode.delete(auth.code.value);
    if (auth.access) this.byAccess.delete(auth.access.value);
    if (auth.refresh) this.byRefresh.delete(auth.refresh.value);
  }

  isActive(token: IssuedToken | undefined): token is IssuedToken {
    return !!token && !token.invalidated && token.expiresAt > this.now();
  }

  consentKey(clientId: string, userId: string): string {
    return `${clientId} ${userId}`;
  }

  /** Drops everything a deleted client was given. */
  removeClient(clientId: string): void {
    for (const auth of [...this.authorizations.values()]) if (auth.clientId === clientId) this.remove(auth);
    for (const key of [...this.consents.keys()])
      if (key.startsWith(`${clientId} `)) this.consents.delete(key);
  }

  clear(): void {
    this.sessions.clear();
    this.pendingConsents.clear();
    this.authorizations.clear();
    this.byCode.clear();
    this.byAccess.clear();
    this.byRefresh.clear();
    this.byPrincipal.clear();
    this.consents.clear();
  }
}
