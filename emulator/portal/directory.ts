// What the emulator's OAuth server may know about the portal: sign-in, users, registered apps.
// It reads the live portal through this object, so `reset()` is seen without re-wiring.
import type { Portal } from './state.js';
import type { OAuthApp, User } from './types.js';

export interface PortalDirectory {
  /** The portal's origin, e.g. `http://127.0.0.1:PORT` (no trailing slash). */
  baseUrl(): string;
  /** Active, activated user with this email and password; undefined otherwise. */
  authenticate(email: string, password: string): User | undefined;
  userById(id: string): User | undefined;
  userByEmail(email: string): User | undefined;
  /** The user a portal session token (`asc_auth_key` cookie / PAT) belongs to, if it is valid. */
  userByToken(token: string): User | undefined;
  /** OAuth apps registered on the portal (seeded ones included). Mutate through `saveOAuthApp`. */
  oauthApps(): OAuthApp[];
  oauthApp(clientId: string): OAuthApp | undefined;
  saveOAuthApp(app: OAuthApp): void;
  deleteOAuthApp(clientId: string): boolean;
}

export function canSignIn(u: User | undefined): u is User {
  return !!u && u.status === 1 && u.activationStatus !== 2;
}

export function createDirectory(portal: () => Portal): PortalDirectory {
  return {
    baseUrl: () => portal().baseUrl,
    authenticate(email, password) {
      const u = portal().userByEmail(email);
      return canSignIn(u) && u.password === password ? u : undefined;
    },
    userById: (id) => portal().users.get(id),
    userByEmail: (email) => portal().userByEmail(email),
    userByToken(token) {
      const p = portal();
      const t = p.tokens.get(token);
      if (!t || t.expires.getTime() <= p.now().getTime()) return undefined;
      const u = p.users.get(t.userId);
      return canSignIn(u) ? u : undefined;
    },
    oauthApps: () => [...portal().oauthApps.values()],
    oauthApp: (id) => portal().oauthApps.get(id),
    saveOAuthApp: (app) => void portal().oauthApps.set(app.clientId, app),
    deleteOAuthApp: (id) => portal().oauthApps.delete(id),
  };
}
