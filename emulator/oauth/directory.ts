// What the OAuth server needs from the portal it belongs to. The portal's own directory object
// (emulator/portal/directory.ts) satisfies this interface structurally; tests pass a tiny one.

export interface OAuthUser {
  id: string;
  email: string;
  firstName?: string;
  lastName?: string;
  /** 'owner' | 'admin' | … — owners and admins manage the portal's OAuth apps. */
  role?: string;
}

/** An OAuth app as DocSpace's registration service keeps it (reference/docspace-api.md §4.4). */
export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  name: string;
  description: string;
  redirectUris: string[];
  allowedOrigins: string[];
  logoutRedirectUri: string;
  scopes: string[];
  /** DocSpace `allow_pkce`: the app may also authenticate with method `none` (a public client). */
  allowPkce: boolean;
  /** DocSpace `is_public`: offered to other tenants; current DocSpace refuses /oauth2/authorize when false. */
  isPublic: boolean;
  enabled: boolean;
  websiteUrl: string;
  termsUrl: string;
  policyUrl: string;
  logo: string;
  createdBy: string;
  created: Date;
}

export interface OAuthDirectory {
  /** The portal's origin without a trailing slash; tokens carry `aud` = this and `iss` = this + "/oauth2". */
  baseUrl(): string;
  /** The user with these credentials if they may sign in; undefined otherwise. */
  authenticate(email: string, password: string): OAuthUser | undefined;
  userById(id: string): OAuthUser | undefined;
  /** The user a portal session token (`asc_auth_key` cookie) belongs to, so a portal login counts here. */
  userByToken?(token: string): OAuthUser | undefined;
  oauthApps(): OAuthApp[];
  oauthApp(clientId: string): OAuthApp | undefined;
  saveOAuthApp(app: OAuthApp): void;
  deleteOAuthApp(clientId: string): boolean;
}

/** A directory kept in memory: for tests and for running the OAuth server on its own. */
export function createMemoryDirectory(opts: {
  baseUrl: string | (() => string);
  users: Array<OAuthUser & { password: string }>;
  apps?: OAuthApp[];
}): OAuthDirectory {
  const apps = new Map((opts.apps ?? []).map((a) => [a.clientId, a]));
  const baseUrl = opts.baseUrl;
  return {
    baseUrl: () => (typeof baseUrl === 'string' ? baseUrl : baseUrl()),
    authenticate: (email, password) =>
      opts.users.find((u) => u.email.toLowerCase() === email.toLowerCase() && u.password === password),
    userById: (id) => opts.users.find((u) => u.id === id),
    oauthApps: () => [...apps.values()],
    oauthApp: (id) => apps.get(id),
    saveOAuthApp: (app) => void apps.set(app.clientId, app),
    deleteOAuthApp: (id) => apps.delete(id),
  };
}
