import type { Context } from 'hono';
import type { Logger } from 'pino';
import type { Audit } from '../audit/index.js';
import { isStoreUnavailable } from '../store/errors.js';
import type { Store } from '../store/store.js';
import { referenceId } from './crypto.js';
import { OAuthError } from './errors.js';
import type { DocSpaceGrants } from './docspace-grants.js';
import type { Grants } from './grants.js';
import type { PersonalTokens } from './personal-tokens.js';
import type { PeopleIndex } from './people-index.js';
import { errorPage, PAGE_HEADERS } from './pages.js';
import type { RecordIO } from './records/index.js';
import type { Sealer } from './seal.js';
import type { OAuthSettings } from './settings.js';
import type { Upstream } from './upstream.js';

/** What every OAuth route needs, built once by `createOAuth`. */
export interface Facade {
  settings: OAuthSettings;
  store: Store;
  logger: Logger;
  audit: Audit;
  upstream: Upstream;
  /** The persons' DocSpace grants, shared by their connections. */
  docspace: DocSpaceGrants;
  grants: Grants;
  /** Personal access tokens (`personal-tokens.ts`). */
  personalTokens: PersonalTokens;
  /** Who has connections, for the portal admins' view. */
  people: PeopleIndex;
  /** Every stored OAuth record goes through it: validated on read, versioned on write. */
  records: RecordIO;
  accessSealer: Sealer;
  storageSealer: Sealer;
  /** Key for CSRF tokens and cookie values. */
  macKey: string;
  /** MAC keys of `DOCSPACE_SECRET_PREVIOUS`: cookies and CSRF tokens made before a rotation still check. */
  previousMacKeys: string[];
}

/** The store (Redis) being away is an outage to retry, not an internal error. */
function storeOutage(error: unknown): unknown {
  return isStoreUnavailable(error)
    ? new OAuthError(
        'temporarily_unavailable',
        'the sign-in service cannot reach its session store; retry shortly',
      )
    : error;
}

/** A page for the person in the browser; the reference id is in the log line too. */
export function browserError(f: Facade, thrown: unknown, status?: number): Response {
  const error = storeOutage(thrown);
  const ref = referenceId();
  const known = error instanceof OAuthError;
  const message = known ? error.message : 'Something went wrong on our side.';
  const shown = known ? (error.forPerson ?? message) : message;
  const code = known ? error.status : 500;
  f.logger[known && code < 500 ? 'warn' : 'error'](
    { ref, code: known ? error.code : 'server_error', err: known ? undefined : error },
    `oauth browser error: ${message}`,
  );
  const title = isStoreUnavailable(thrown)
    ? 'Sign-in is briefly unavailable'
    : known && error.code === 'temporarily_unavailable'
      ? 'DocSpace is not answering'
      : 'This sign-in cannot continue';
  return new Response(errorPage(title, shown, ref, { demo: f.settings.demo }), {
    status: status ?? (code === 401 ? 400 : code),
    headers: PAGE_HEADERS,
  });
}

/** An OAuth JSON error for API endpoints (token, register, revoke, introspect). */
export function jsonError(f: Facade, thrown: unknown): Response {
  const error = storeOutage(thrown);
  if (error instanceof OAuthError) {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'cache-control': 'no-store',
    };
    if (error.status === 401) headers['www-authenticate'] = 'Basic realm="oauth"';
    return new Response(JSON.stringify(error.toJSON()), { status: error.status, headers });
  }
  const ref = referenceId();
  f.logger.error({ ref, err: error }, 'oauth endpoint failed');
  return new Response(
    JSON.stringify({ error: 'server_error', error_description: `internal error (reference ${ref})` }),
    {
      status: 500,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    },
  );
}

type Handler = (c: Context) => Promise<Response>;

/**
 * A JSON endpoint for clients (token, register, revoke, introspect): whatever it throws is
 * answered once, as OAuth error JSON; `seen` looks at the failure first (the token endpoint
 * audits refused grants).
 */
export function apiRoute(f: Facade, handler: Handler, seen?: (error: unknown) => void): Handler {
  return async (c) => {
    try {
      return await handler(c);
    } catch (error) {
      seen?.(error);
      return jsonError(f, error);
    }
  };
}

/** A page a person's browser comes to (authorize, consent, callback): failures are our page. */
export function pageRoute(f: Facade, handler: Handler): Handler {
  return async (c) => {
    try {
      return await handler(c);
    } catch (error) {
      return browserError(f, error);
    }
  };
}

/** Builds `redirect_uri` with extra parameters, keeping the client's own query, plus RFC 9207 `iss`. */
export function clientRedirect(
  f: Facade,
  redirectUri: string,
  params: Record<string, string | undefined>,
): Response {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  url.searchParams.set('iss', f.settings.issuer);
  return new Response(null, {
    status: 302,
    headers: { location: url.toString(), 'cache-control': 'no-store' },
  });
}
