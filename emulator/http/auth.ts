// Authentication at the API the way DocSpace picks a scheme from the Authorization header
// (reference/docspace-api.md §2.1), and the scope map applied to OAuth tokens and API keys (§2.5).
import type { FaultController } from '../faults.js';
import { canSignIn } from '../portal/directory.js';
import type { Portal } from '../portal/state.js';
import type { User } from '../portal/types.js';
import { HttpStatusError } from './envelope.js';

export type AuthKind = 'apiKey' | 'token' | 'basic' | 'oauth';

export interface Principal {
  user: User;
  kind: AuthKind;
  /** Scope claims; `*:write` for cookie, token and Basic logins. */
  scopes: string[];
  clientId?: string;
}

/** What the OAuth server reports about one of its access tokens. */
export interface OAuthTokenInfo {
  userId: string;
  clientId: string;
  scopes: string[];
}

/** `requestOrigin`: the address the API request came to, which the token's `aud` must name. */
export type OAuthVerifier = (token: string, requestOrigin: string) => Promise<OAuthTokenInfo | undefined>;

const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/** DocSpace's Guest account (ASC.Core.Configuration.Constants.Guest.ID): who an unauthenticated caller is. */
export const ANONYMOUS: User = {
  id: '712d9ec3-5d2b-4b13-824f-71f00191dcca',
  email: '',
  password: '',
  firstName: 'Guest',
  lastName: '',
  role: 'guest',
  status: 1,
  activationStatus: 1,
  created: new Date(0),
  trashFolderId: -1,
  cultureName: 'en-US',
  anonymous: true,
};

/**
 * Routes the emulator serves that DocSpace marks `[AllowAnonymous]`: a request whose credentials
 * fail to authenticate runs there as the anonymous user instead of getting 401
 * (SRV:products/ASC.Files/Server/Api/FilesController.cs GetFileInfo, GetFileVersionInfo, UpdateFile,
 * RestoreFileVersion, GetFilePrimaryExternalLink; FoldersController.cs GetFolderByFolderId,
 * GetFolderInfo, GetFolderPrimaryExternalLink; VirtualRoomsController.cs GetRoomInfo;
 * OperationController.cs BulkDownload, GetOperationStatuses, TerminateTasks; SettingsController.cs
 * GetFilesSettings).
 */
const ANONYMOUS_ROUTES: readonly [string, RegExp][] = [
  ['GET', /^files\/\d+$/],
  ['GET', /^files\/folder\/\d+(\/link)?$/],
  ['GET', /^files\/rooms\/\d+$/],
  ['GET', /^files\/file\/\d+(\/history|\/link)?$/],
  ['PUT', /^files\/file\/\d+$/],
  ['POST', /^files\/file\/\d+\/restoreversion$/],
  ['GET', /^files\/fileops$/],
  ['PUT', /^files\/fileops\/(bulkdownload|terminate(\/[^/]+)?)$/],
  ['GET', /^files\/settings$/],
];

export function allowsAnonymous(method: string, path: string): boolean {
  const p = path.replace(/^\/api\/[^/]+\//, '').replace(/\/+$/, '');
  return ANONYMOUS_ROUTES.some(([m, re]) => m === method && re.test(p));
}

/** `Bearer sk-…`: the requests ApiKeyScopesFilter checks on `[AllowAnonymous]` routes. */
export function isApiKeyRequest(req: Request): boolean {
  const h = req.headers.get('authorization') ?? '';
  return h.startsWith('Bearer ') && h.slice(7).trim().startsWith('sk-');
}

function cookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

/**
 * The portal address a request came to, as DocSpace's ServerRootPath takes it from the request
 * (ASC.Core.Common/BaseCommonLinkUtility.cs); an OAuth token's `aud` must equal it
 * (ASC.Api.Core/Auth/JwtBearerAuthHandler.cs). DocSpace swaps a loopback host for the tenant's
 * domain; the emulator lives on loopback, so it keeps the host as sent.
 */
function requestOrigin(req: Request): string {
  const url = new URL(req.url);
  const host = req.headers.get('x-forwarded-host')?.split(',')[0]?.trim() || url.host;
  const proto = req.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() || url.protocol.slice(0, -1);
  return `${proto}://${host}`;
}

/** Required scopes (any of) for a request, first match wins; undefined → only the global scopes. */
export function routeScopes(method: string, path: string): string[] | undefined {
  const p = path.replace(/^\/api\/[^/]+\//, '');
  const read = method === 'GET' || method === 'HEAD';
  if (/^files\/rooms/i.test(p)) return read ? ['rooms:read', 'rooms:write'] : ['rooms:write'];
  if (/^files/i.test(p)) return read ? ['files:read', 'files:write'] : ['files:write'];
  if (/^people\/@self/i.test(p))
    return read ? ['accounts.self:read', 'accounts.self:write'] : ['accounts.self:write'];
  if (/^(people|group)/i.test(p)) return read ? ['accounts:read', 'accounts:write'] : ['accounts:write'];
  return undefined;
}

export function scopeAllows(scopes: string[], method: string, path: string): boolean {
  if (scopes.includes('*:write')) return true;
  const read = method === 'GET' || method === 'HEAD';
  if (read && scopes.includes('*:read')) return true;
  const need = routeScopes(method, path);
  return !!need && need.some((s) => scopes.includes(s));
}

/** API key permissions → scope claims: none or `*` means full access. */
function keyScopes(permissions: string[]): string[] {
  if (permissions.length === 0 || permissions.includes('*')) return ['*:write'];
  return permissions;
}

export class ApiAuth {
  private verifier?: OAuthVerifier;

  constructor(
    private readonly portal: () => Portal,
    private readonly faults: FaultController,
  ) {}

  /** Where the emulator's OAuth server plugs in its access-token check. */
  setOAuthVerifier(v: OAuthVerifier | undefined): void {
    this.verifier = v;
  }

  /** The caller, or undefined when the request carries no usable credentials. Bad Basic → 401 + challenge. */
  async resolve(req: Request): Promise<Principal | undefined> {
    const header = req.headers.get('authorization')?.trim();
    const expired = this.faults.current.expiredTokens === true;
    if (!header) {
      const t = cookie(req.headers.get('cookie') ?? undefined, 'asc_auth_key');
      return t && !expired ? this.byToken(t) : undefined;
    }
    // Scheme names are matched case-sensitively (BaseStartup.cs ForwardDefaultSelector uses
    // StartsWith("Basic ") / StartsWith("Bearer ")); "bearer x" goes to the cookie handler whole.
    if (header.startsWith('Basic ')) return this.byBasic(header.slice(6).trim());
    const bearer = header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (bearer?.startsWith('sk-')) return expired ? undefined : this.byApiKey(bearer);
    if (bearer && JWT.test(bearer)) return expired ? undefined : this.byOAuth(bearer, requestOrigin(req));
    // Anything else goes to the cookie handler: the cookie first, else the header value without `Bearer `.
    const t = cookie(req.headers.get('cookie') ?? undefined, 'asc_auth_key') ?? bearer ?? header;
    return expired ? undefined : this.byToken(t);
  }

  private byToken(token: string): Principal | undefined {
    const p = this.portal();
    const t = p.tokens.get(token);
    if (!t || t.expires.getTime() <= p.now().getTime()) return undefined;
    const user = p.users.get(t.userId);
    return canSignIn(user) ? { user, kind: 'token', scopes: ['*:write'] } : undefined;
  }

  private byBasic(b64: string): Principal {
    const challenge = () => new HttpStatusError(401, { 'WWW-Authenticate': 'Basic' });
    let decoded: string;
    try {
      decoded = Buffer.from(b64, 'base64').toString('utf8');
    } catch {
      throw challenge();
    }
    const i = decoded.indexOf(':');
    if (i < 0) throw challenge();
    const user = this.portal().userByEmail(decoded.slice(0, i));
    if (!canSignIn(user) || user.password !== decoded.slice(i + 1)) throw challenge();
    return { user, kind: 'basic', scopes: ['*:write'] };
  }

  private byApiKey(key: string): Principal | undefined {
    const p = this.portal();
    const k = p.apiKeys.get(key);
    if (!k || (k.expires && k.expires.getTime() <= p.now().getTime())) return undefined;
    const user = p.users.get(k.userId);
    return canSignIn(user) ? { user, kind: 'apiKey', scopes: keyScopes(k.permissions) } : undefined;
  }

  private async byOAuth(token: string, origin: string): Promise<Principal | undefined> {
    if (!this.verifier) return undefined;
    const info = await this.verifier(token, origin).catch(() => undefined);
    if (!info) return undefined;
    const user = this.portal().users.get(info.userId);
    return canSignIn(user)
      ? { user, kind: 'oauth', scopes: info.scopes, clientId: info.clientId }
      : undefined;
  }
}
