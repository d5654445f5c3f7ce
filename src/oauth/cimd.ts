import type { Store } from '../store/store.js';
import type { ClientRecord } from './clients.js';
import { OAuthError } from './errors.js';
import { cimd, recordsOf } from './records/index.js';
import { type ApplicationType, checkRedirectUri } from './redirect.js';
import { SafeFetchError, safeGet, UNREACHABLE } from './safe-fetch.js';
import type { OAuthSettings } from './settings.js';

/**
 * Client ID Metadata Documents: the client id is an https URL serving the client's metadata.
 * Documents are cached by their Cache-Control (5 min to 1 day); a stale copy (up to 7 days)
 * serves when the host fails, since client hosts have served HTML and 404s before.
 */
const MIN_FRESH = 300;
const MAX_FRESH = 86_400;

export async function fetchClientMetadata(
  store: Store,
  settings: OAuthSettings,
  clientId: string,
): Promise<ClientRecord> {
  const url = parseClientIdUrl(clientId, settings.cimd.allowInsecureLoopback);
  const records = recordsOf(store);
  const cached = await records.get(cimd, cimd.key(clientId));
  const now = settings.now();
  if (cached && cached.freshUntil > now) return cached.record;
  try {
    const { record, maxAge } = await download(url, clientId, settings);
    // Kept a week (`cimd.ttl`): a stale copy serves while the host is down.
    await records.set(cimd, cimd.key(clientId), { record, freshUntil: now + maxAge * 1000 }, cimd.ttl());
    return record;
  } catch (error) {
    // A document that answered but lied or broke the rules is not papered over with a stale copy.
    if (
      cached &&
      error instanceof OAuthError &&
      error.cause instanceof SafeFetchError &&
      UNREACHABLE.includes(error.cause.code)
    )
      return cached.record;
    throw error;
  }
}

function parseClientIdUrl(clientId: string, allowInsecureLoopback: boolean): URL {
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    throw new OAuthError('invalid_client', 'the client id is not a valid URL');
  }
  const loopbackHttp =
    allowInsecureLoopback &&
    url.protocol === 'http:' &&
    (url.hostname === '127.0.0.1' || url.hostname === 'localhost');
  if (url.protocol !== 'https:' && !loopbackHttp)
    throw new OAuthError('invalid_client', 'a URL client id must use https');
  if (url.pathname === '/' || url.hash || url.username || url.password) {
    throw new OAuthError('invalid_client', 'a URL client id must have a path and no fragment or credentials');
  }
  return url;
}

async function download(
  url: URL,
  clientId: string,
  settings: OAuthSettings,
): Promise<{ record: ClientRecord; maxAge: number }> {
  let res: Awaited<ReturnType<typeof safeGet>>;
  try {
    res = await safeGet(url, {
      timeoutMs: settings.cimd.timeoutMs,
      maxBytes: settings.cimd.maxBytes,
      allowInsecureLoopback: settings.cimd.allowInsecureLoopback,
      testRoute: settings.cimd.testRoute,
    });
  } catch (error) {
    throw unreachable(url, error);
  }
  if (res.status !== 200)
    throw new OAuthError('invalid_client', `client metadata document answered HTTP ${res.status}`);
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(res.body) as Record<string, unknown>;
  } catch {
    throw new OAuthError('invalid_client', 'client metadata document is not JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new OAuthError('invalid_client', 'client metadata document is not a JSON object');
  }
  if (doc.client_id !== clientId)
    throw new OAuthError(
      'invalid_client',
      'client metadata document names a different client_id than its URL',
    );
  if ('client_secret' in doc || 'client_secret_expires_at' in doc) {
    throw new OAuthError('invalid_client', 'client metadata document must not contain a client secret');
  }
  const method = doc.token_endpoint_auth_method ?? 'none';
  if (method !== 'none')
    throw new OAuthError(
      'invalid_client',
      'only public clients (token_endpoint_auth_method none) may use a metadata document',
    );
  const applicationType: ApplicationType = doc.application_type === 'web' ? 'web' : 'native';
  const uris = doc.redirect_uris;
  if (!Array.isArray(uris) || uris.length === 0 || !uris.every((u) => typeof u === 'string')) {
    throw new OAuthError('invalid_client', 'client metadata document has no redirect_uris');
  }
  const redirectUris = (uris as string[]).filter((u) => checkRedirectUri(u, applicationType) === undefined);
  if (redirectUris.length === 0)
    throw new OAuthError('invalid_client', 'client metadata document has no acceptable redirect URI');
  const host = url.hostname.toLowerCase();
  const trusted = settings.cimd.trustedDomains.some((d) => host === d || host.endsWith(`.${d}`));
  const record: ClientRecord = {
    clientId,
    kind: 'cimd',
    clientName: typeof doc.client_name === 'string' ? doc.client_name.slice(0, 120) : host,
    clientUri: typeof doc.client_uri === 'string' ? doc.client_uri : undefined,
    redirectUris,
    applicationType,
    authMethod: 'none',
    issuedAt: 0,
    documentHost: host,
    trusted,
  };
  return { record, maxAge: maxAgeOf(res.headers['cache-control']) };
}

function maxAgeOf(cacheControl: string | undefined): number {
  const match = /max-age=(\d+)/i.exec(cacheControl ?? '');
  const seconds = match ? Number(match[1]) : 3600;
  return Math.min(MAX_FRESH, Math.max(MIN_FRESH, seconds));
}

/**
 * A document this server could not fetch. Clients that sign in with one (Codex, Claude Code) do
 * not fall back to registration, so the person must learn what to pass on, and the operator's
 * log line must name the cause: no outbound internet is common where DocSpace is self-hosted.
 */
function unreachable(url: URL, error: unknown): OAuthError {
  const why = error instanceof SafeFetchError ? error.message : 'the document could not be fetched';
  const network =
    error instanceof SafeFetchError && (UNREACHABLE.includes(error.code) || error.code === 'tls');
  const advice = network
    ? `; this server needs outbound https to ${url.host}, or DOCSPACE_OAUTH_CIMD=false so that clients register instead`
    : '';
  const forPerson = network
    ? `Your app identifies itself with a document at ${url.host}, and this server could not fetch it (${why}). Pass this on to whoever runs the server: it needs outbound https access to ${url.host}, or client metadata documents turned off (DOCSPACE_OAUTH_CIMD=false), after which your app can connect by registering itself.`
    : undefined;
  return Object.assign(
    new OAuthError(
      'invalid_client',
      `client metadata document refused: ${why}${advice}`,
      undefined,
      forPerson,
    ),
    { cause: error },
  );
}
