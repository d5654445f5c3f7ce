import type { Store } from '../store/store.js';
import { fetchClientMetadata } from './cimd.js';
import { randomToken, safeEqual, sha256 } from './crypto.js';
import { OAuthError } from './errors.js';
import {
  type AuthMethod,
  type ClientRecord,
  client as clientRecord,
  recordsOf,
  UNUSED_CLIENT_TTL,
} from './records/index.js';
import { type ApplicationType, checkRedirectUri } from './redirect.js';
import type { OAuthSettings } from './settings.js';

/**
 * The three kinds of MCP client we know:
 * - `registered`: registered with us (RFC 7591), our own client id, its own redirect URIs;
 * - `cimd`: an https URL as client id whose document we fetched (Client ID Metadata Document);
 * - `docspace`: a DocSpace OAuth app id the user typed into their client (used upstream as is).
 */
export type { AuthMethod, ClientKind, ClientRecord } from './records/index.js';
export { UNUSED_CLIENT_TTL } from './records/index.js';

export const CLIENT_ID_PREFIX = 'mcp_';
const clientKey = clientRecord.key;
const DOCSPACE_APP_ID = /^[A-Za-z0-9._:-]{1,200}$/;

export function isUrlClientId(clientId: string): boolean {
  return clientId.startsWith('https://') || clientId.startsWith('http://');
}

/** RFC 7591 registration: validates metadata, stores the client, returns the registration response. */
export async function registerClient(
  store: Store,
  settings: OAuthSettings,
  body: unknown,
): Promise<{ record: ClientRecord; response: Record<string, unknown> }> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new OAuthError('invalid_client_metadata', 'the registration request must be a JSON object');
  }
  const meta = body as Record<string, unknown>;
  const applicationType: ApplicationType = meta.application_type === 'web' ? 'web' : 'native';
  const requested = meta.redirect_uris;
  if (!Array.isArray(requested) || requested.length === 0 || !requested.every((u) => typeof u === 'string')) {
    throw new OAuthError('invalid_redirect_uri', 'redirect_uris must be a non-empty list of URIs');
  }
  // One odd URI among several must not sink the whole registration (Cursor sends three kinds);
  // refused URIs are dropped, and not echoed back.
  const redirectUris = [...new Set(requested as string[])].filter(
    (u) => checkRedirectUri(u, applicationType) === undefined,
  );
  if (redirectUris.length === 0) {
    throw new OAuthError(
      'invalid_redirect_uri',
      'none of the redirect URIs is acceptable (https, loopback http or an app scheme)',
    );
  }
  const method = meta.token_endpoint_auth_method ?? 'client_secret_basic';
  if (method !== 'none' && method !== 'client_secret_post' && method !== 'client_secret_basic') {
    throw new OAuthError(
      'invalid_client_metadata',
      'token_endpoint_auth_method must be none, client_secret_post or client_secret_basic',
    );
  }
  const clientName = typeof meta.client_name === 'string' ? meta.client_name.slice(0, 120) : undefined;
  const clientUri =
    typeof meta.client_uri === 'string' && /^https:\/\//.test(meta.client_uri) ? meta.client_uri : undefined;
  const clientId = `${CLIENT_ID_PREFIX}${randomToken(18)}`;
  const secret = method === 'none' ? undefined : randomToken(32);
  const issuedAt = Math.floor(settings.now() / 1000);
  const record: ClientRecord = {
    clientId,
    kind: 'registered',
    clientName,
    clientUri,
    redirectUris,
    applicationType,
    authMethod: method,
    secretHash: secret ? sha256(secret) : undefined,
    issuedAt,
  };
  // Until its first use a registration lives a day: a flood of registrations nobody uses then
  // expires (and, in a full memory store, is evicted) before the ones people use.
  await recordsOf(store).set(
    clientRecord,
    clientKey(clientId),
    record,
    Math.min(clientRecord.ttl(settings), UNUSED_CLIENT_TTL),
  );
  const response: Record<string, unknown> = {
    client_id: clientId,
    client_id_issued_at: issuedAt,
    ...(secret ? { client_secret: secret, client_secret_expires_at: 0 } : {}),
    redirect_uris: redirectUris,
    token_endpoint_auth_method: method,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    application_type: applicationType,
    ...(clientName ? { client_name: clientName } : {}),
    ...(clientUri ? { client_uri: clientUri } : {}),
    ...(typeof meta.scope === 'string' ? { scope: meta.scope } : {}),
  };
  return { record, response };
}

/** Finds the client behind a client id, or throws `invalid_client` (401, so clients re-register). */
export async function resolveClient(
  store: Store,
  settings: OAuthSettings,
  clientId: string | undefined,
): Promise<ClientRecord> {
  if (!clientId) throw new OAuthError('invalid_client', 'client_id is missing');
  if (clientId.startsWith(CLIENT_ID_PREFIX)) {
    const loaded = await recordsOf(store).load(clientRecord, clientKey(clientId));
    if (!loaded)
      throw new OAuthError(
        'invalid_client',
        'this client is unknown or its registration expired; register again',
        undefined,
        'This app’s connection to the server is unknown or has expired. Go back to your app and connect again (if it keeps happening, remove the server in the app and add it anew).',
      );
    // Sliding lifetime: a client in use stays registered. Best-effort.
    void store.set(clientKey(clientId), loaded.raw, clientRecord.ttl(settings)).catch(() => undefined);
    return loaded.value;
  }
  if (isUrlClientId(clientId)) {
    if (!settings.cimd.enabled) {
      throw new OAuthError(
        'invalid_client',
        'this server does not accept URL client ids (Client ID Metadata Documents)',
      );
    }
    return fetchClientMetadata(store, settings, clientId);
  }
  if (!DOCSPACE_APP_ID.test(clientId)) throw new OAuthError('invalid_client', 'client_id is malformed');
  return {
    clientId,
    kind: 'docspace',
    redirectUris: [],
    applicationType: 'native',
    authMethod: 'client_secret_post',
    issuedAt: 0,
  };
}

export interface PresentedCredentials {
  clientId?: string;
  clientSecret?: string;
}

/** Reads client credentials from HTTP Basic or the form body (not both: RFC 6749 §2.3). */
export function readClientCredentials(
  authorization: string | undefined,
  form: URLSearchParams,
): PresentedCredentials {
  const bodyId = form.get('client_id') ?? undefined;
  const bodySecret = form.get('client_secret') ?? undefined;
  if (authorization && /^basic\s+/i.test(authorization)) {
    if (bodySecret) throw new OAuthError('invalid_request', 'use one client authentication method, not two');
    const decoded = Buffer.from(authorization.replace(/^basic\s+/i, ''), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new OAuthError('invalid_client', 'malformed Basic credentials');
    const id = safeDecode(decoded.slice(0, colon));
    const secret = safeDecode(decoded.slice(colon + 1));
    if (bodyId && bodyId !== id)
      throw new OAuthError('invalid_request', 'client_id differs between header and body');
    return { clientId: id, clientSecret: secret };
  }
  return { clientId: bodyId, clientSecret: bodySecret };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/** Authenticates a client at the token, revocation and introspection endpoints. */
export async function authenticateClient(
  store: Store,
  settings: OAuthSettings,
  presented: PresentedCredentials,
): Promise<ClientRecord> {
  const client = await resolveClient(store, settings, presented.clientId);
  if (client.kind === 'registered' && client.authMethod !== 'none') {
    if (
      !presented.clientSecret ||
      !client.secretHash ||
      !safeEqual(sha256(presented.clientSecret), client.secretHash)
    ) {
      throw new OAuthError('invalid_client', 'client authentication failed');
    }
  }
  // `docspace` apps are authenticated by DocSpace itself when their secret is used upstream.
  return client;
}
