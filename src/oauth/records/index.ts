import { z } from 'zod';
import { sha256 } from '../crypto.js';
import type { KeyFamily, RecordKind, TtlSettings } from './codec.js';

export {
  createRecordIO,
  decodeRecord,
  encodeRecord,
  type RecordIO,
  type RecordKind,
  recordsOf,
  registerRecords,
} from './codec.js';

/**
 * Every record the OAuth server keeps in the store: its key, its shape (a zod schema; stored
 * with a version field, see `./codec.ts`), its TTL. docs/storage.md's table of key families is
 * checked against `RECORD_KINDS` and `KEY_FAMILIES` below (test/unit/oauth/records.test.ts).
 * Secrets that arrive from outside appear in keys only as SHA-256 hashes; a field holding a
 * DocSpace token, DocSpace app credentials or one of our refresh tokens is sealed by the caller
 * and is a plain string here.
 *
 * The activity log's `activity:log:<user id>` family is not OAuth's: src/activity/ owns it.
 */

/** A record kind with its key function and TTL rule (seconds; some from the settings). */
function kind<T, K extends { key: (...args: never[]) => string; ttl: (s: TtlSettings) => number }>(
  spec: RecordKind<T> & K,
): RecordKind<T> & K {
  return spec;
}

const str = z.string();
const optStr = z.string().optional();

// ---- The browser leg (src/oauth/authorize.ts) -------------------------------------------

const clientKind = z.enum(['registered', 'cimd', 'docspace']);
export type ClientKind = z.infer<typeof clientKind>;
const authMethod = z.enum(['none', 'client_secret_post', 'client_secret_basic']);
export type AuthMethod = z.infer<typeof authMethod>;

const pendingSchema = z.object({
  clientId: str,
  clientKind,
  redirectUri: str,
  redirectUriGiven: z.boolean(),
  /** The client's own `state`. */
  state: optStr,
  codeChallenge: str,
  resource: str,
  scope: optStr,
  browser: str,
  /** The access level the person chose (absent: made before levels existed, `write`). */
  access: z.enum(['read', 'write']).optional(),
});
/** An authorization request that passed validation, waiting for the person's decision. */
export type PendingAuthorization = z.infer<typeof pendingSchema>;

export const pending = kind({
  name: 'pending',
  pattern: 'oauth:pending:<random id>',
  version: 1,
  schema: pendingSchema,
  key: (id: string) => `oauth:pending:${id}`,
  ttl: () => 600,
  ttlText: '600 s',
});

const upstreamStateSchema = z.object({
  pending: pendingSchema,
  /** Our PKCE verifier at DocSpace. */
  verifier: str,
  /** Sealed UpstreamApp when the person's own DocSpace app is used (mode 2). */
  app: optStr,
});
/** Our state at DocSpace for a client's sign-in: single use, bound to the browser that consented. */
export type UpstreamState = z.infer<typeof upstreamStateSchema>;

const connectionsStateSchema = z.object({
  purpose: z.literal('connections'),
  verifier: str,
  /** Matches the nonce cookie set when the sign-in started: the same browser comes back. */
  nonce: str,
});
/** Our state at DocSpace for a sign-in to the person's connections page. */
export type ConnectionsState = z.infer<typeof connectionsStateSchema>;

/** Both sign-ins come back to one callback, so they share the key family. */
export const state = kind({
  name: 'state',
  pattern: 'oauth:state:<sha256(state)>',
  version: 1,
  schema: z.union([connectionsStateSchema, upstreamStateSchema]),
  key: (s: string) => `oauth:state:${sha256(s)}`,
  ttl: () => 600,
  ttlText: '600 s',
});

const codeSchema = z.object({
  clientId: str,
  redirectUri: str,
  redirectUriGiven: z.boolean(),
  codeChallenge: str,
  resource: str,
  scope: optStr,
  userId: optStr,
  /** Key of the person's DocSpace grant (operator's app: installed at the callback). */
  dsg: optStr,
  /** Sealed `{ code, verifier, app }` (person's own app: exchanged at the token endpoint). */
  dsCode: optStr,
  /** The access level the person chose (absent: made before levels existed, `write`). */
  access: z.enum(['read', 'write']).optional(),
});
/** Our authorization code (≤ 60 s, single use), stored under its hash. */
export type CodeRecord = z.infer<typeof codeSchema>;

export const code = kind({
  name: 'code',
  pattern: 'oauth:code:<sha256(code)>',
  version: 1,
  schema: codeSchema,
  key: (c: string) => `oauth:code:${sha256(c)}`,
  ttl: () => 60,
  ttlText: '60 s',
});

const spentCodeSchema = z.object({ gid: optStr, replayed: z.literal(true).optional() });
/**
 * A used code, remembered for a while after use so that a replay can revoke what it produced
 * (OAuth 2.1 §4.1.3): the grant id once issued, or `replayed` when a replay came first.
 */
export type SpentCode = z.infer<typeof spentCodeSchema>;

export const spentCode = kind({
  name: 'code-spent',
  pattern: 'oauth:code-spent:<sha256(code)>',
  version: 1,
  schema: spentCodeSchema,
  key: (c: string) => `oauth:code-spent:${sha256(c)}`,
  ttl: () => 600,
  ttlText: '10 min',
});

/** A remembered consent: the value is the access level chosen (`read` / `write`; older entries `1`). */
export const remember = {
  name: 'remember',
  pattern: 'oauth:remember:<sha256(browser, client, redirect URI)>',
  ttlText: '30 days',
  key: (browser: string, clientId: string, redirectUri: string) =>
    `oauth:remember:${sha256(`${browser} ${clientId} ${redirectUri}`)}`,
  ttl: () => 30 * 86_400,
};

// ---- Connections (src/oauth/grants.ts) and the person's DocSpace grant --------------------

const grantFields = {
  gid: str,
  userId: str,
  clientId: str,
  resource: str,
  scope: optStr,
  /** Store key of the person's DocSpace grant this connection uses. */
  dsg: str,
  /** SHA-256 of the current refresh token. */
  current: str,
  /** The token just replaced, when, and its successor (sealed) for racing clients. */
  previous: z.object({ hash: str, rotatedAt: z.number(), successor: str }).optional(),
  /** Older tokens of the family and when each was replaced: presenting one is a replay. */
  spent: z.array(z.object({ hash: str, rotatedAt: z.number() })),
  createdAt: z.number(),
  /** The access level the person chose (absent: made before levels existed, `write`). */
  access: z.enum(['read', 'write']).optional(),
};
/** One MCP connection: a person's consent to one client, holding its refresh family. */
export type GrantRecord = z.infer<z.ZodObject<typeof grantFields>>;

export const grant = kind({
  name: 'grant',
  pattern: 'oauth:grant:<grant id>',
  version: 1,
  // Read-modify-written: fields a newer instance added survive an older one's rotation.
  schema: z.looseObject(grantFields) as z.ZodType<GrantRecord>,
  // Grants made before DocSpace grants were shared per person have no `dsg`: an empty one
  // validates, and refreshing such a grant tells the person to sign in again (grants.ts).
  upgrade: (legacy) => ({ dsg: '', ...legacy }),
  key: (gid: string) => `oauth:grant:${gid}`,
  ttl: (s) => s.refreshTokenTtl,
  ttlText: '`DOCSPACE_OAUTH_REFRESH_TOKEN_TTL`',
});

/** The rotation lock of one refresh family: the value is `1`. */
export const grantLock = {
  name: 'grant-lock',
  pattern: 'oauth:grant-lock:<grant id>',
  ttlText: '30 s',
  key: (gid: string) => `oauth:grant-lock:${gid}`,
  ttl: () => 30,
};

const connectionRefSchema = z.object({
  gid: str,
  clientId: str,
  /** Epoch ms: the connection's refresh family expires then unless refreshed. */
  expiresAt: z.number(),
  /**
   * The connection's access level (copy of its grant's), here because every request reads this
   * record anyway: lowering takes effect at the next request at no extra store read.
   */
  access: z.enum(['read', 'write']).optional(),
});
export type ConnectionRef = z.infer<typeof connectionRefSchema>;

const docspaceGrantFields = {
  userId: str,
  /** The DocSpace app's client id. */
  appId: str,
  /** Sealed UpstreamTokens. */
  ds: str,
  /** Sealed UpstreamApp for an app the person typed in (mode 2); else the operator's app is used. */
  dsApp: optStr,
  /** The MCP connections using this grant (our grant ids), each until its refresh family lapses. */
  connections: z.array(connectionRefSchema),
  updatedAt: z.number(),
};
/** The DocSpace tokens of one person and DocSpace app, shared by the person's connections. */
export type DocSpaceGrantRecord = z.infer<z.ZodObject<typeof docspaceGrantFields>>;

export const docspaceGrant = kind({
  name: 'docspace-grant',
  pattern: 'oauth:docspace-grant:<DocSpace app id>:<DocSpace user id>',
  version: 1,
  schema: z.looseObject(docspaceGrantFields) as z.ZodType<DocSpaceGrantRecord>,
  key: (userId: string, appId: string) =>
    `oauth:docspace-grant:${encodeURIComponent(appId)}:${encodeURIComponent(userId)}`,
  ttl: (s) => s.refreshTokenTtl,
  ttlText: '`DOCSPACE_OAUTH_REFRESH_TOKEN_TTL`',
});

/** The renewal lock of one DocSpace grant: the value is the holder's random token. */
export const docspaceGrantLock = {
  name: 'docspace-grant-lock',
  pattern: 'oauth:docspace-grant:<app id>:<user id>:lock',
  ttlText: '30 s',
  key: (docspaceGrantKey: string) => `${docspaceGrantKey}:lock`,
  ttl: () => 30,
};

const personSchema = z.object({
  /** DocSpace app ids the person has a DocSpace grant with (the operator's, typed-in ones). */
  apps: z.array(str),
});
/**
 * The per-person index of connections: which DocSpace grants (one per app) the person has;
 * each lists its connections. Written before the grant it names, and its lifetime restarted
 * with every write of one, so it outlives them all.
 */
export type PersonIndex = z.infer<typeof personSchema>;

export const person = kind({
  name: 'person',
  pattern: 'oauth:person:<DocSpace user id>',
  version: 1,
  schema: personSchema,
  key: (userId: string) => `oauth:person:${encodeURIComponent(userId)}`,
  ttl: (s) => s.refreshTokenTtl,
  ttlText: '`DOCSPACE_OAUTH_REFRESH_TOKEN_TTL`',
});

// ---- Clients (src/oauth/clients.ts, src/oauth/cimd.ts) -------------------------------------

const clientSchema = z.object({
  clientId: str,
  kind: clientKind,
  clientName: optStr,
  clientUri: optStr,
  redirectUris: z.array(str),
  applicationType: z.enum(['native', 'web']),
  authMethod,
  /** SHA-256 of the client secret (registered confidential clients). */
  secretHash: optStr,
  issuedAt: z.number(),
  /** For `cimd`: the host serving the document; `trusted` when on the operator's list. */
  documentHost: optStr,
  trusted: z.boolean().optional(),
});
export type ClientRecord = z.infer<typeof clientSchema>;

/** Seconds a registration lives before its first use; each use renews it to the full lifetime. */
export const UNUSED_CLIENT_TTL = 24 * 3600;

export const client = kind({
  name: 'client',
  pattern: 'oauth:client:<client_id>',
  version: 1,
  schema: clientSchema,
  key: (clientId: string) => `oauth:client:${clientId}`,
  /** Once used; registration writes `Math.min(this, UNUSED_CLIENT_TTL)`. */
  ttl: (s) => s.clientTtl,
  ttlText: '1 day until first used, then 90 days',
});

const cimdSchema = z.object({ record: clientSchema, freshUntil: z.number() });
/** A fetched Client ID Metadata Document as a client record, and until when it is fresh. */
export type CachedDocument = z.infer<typeof cimdSchema>;

export const cimd = kind({
  name: 'cimd',
  pattern: 'oauth:cimd:<sha256(url)>',
  version: 1,
  schema: cimdSchema,
  key: (url: string) => `oauth:cimd:${sha256(url)}`,
  ttl: () => 7 * 86_400,
  ttlText: '7 days',
});

// ---- Personal access tokens (issue 16 item 4; built beside this module) ------------------

const personalTokenSchema = z.object({
  id: str,
  userId: str,
  /** The DocSpace app whose grant backs the token, and that grant's store key. */
  appId: str,
  dsg: str,
  label: str,
  access: z.enum(['read', 'write']),
  /** The token's last characters, so the person can tell tokens apart (never enough to use). */
  hint: str,
  createdAt: z.number(),
  /** Epoch ms. */
  expiresAt: z.number(),
  lastUsedAt: z.number().optional(),
});
/** A personal access token's record (src/oauth/personal-tokens.ts); never the token itself. */
export type PersonalTokenRecord = z.infer<typeof personalTokenSchema>;

export const personalToken = {
  name: 'personal-token',
  pattern: 'oauth:pat:<token id>',
  version: 1,
  schema: personalTokenSchema,
  key: (id: string) => `oauth:pat:${id}`,
  /** Until the token expires. */
  ttlFor: (record: PersonalTokenRecord, now: number) =>
    Math.max(1, Math.ceil((record.expiresAt - now) / 1000)),
  ttlText: "the token's expiry",
};

// ---- People with connections (src/oauth/people-index.ts) ----------------------------------

const peopleSchema = z.object({
  /** DocSpace user id and when they last connected (epoch ms), newest first. */
  people: z.array(z.object({ id: str, at: z.number() })),
});
export type PeopleList = z.infer<typeof peopleSchema>;

/** Who has connections, for the portal admins' view: one bounded record. */
export const people = kind({
  name: 'people',
  pattern: 'oauth:people',
  version: 1,
  schema: peopleSchema,
  key: () => 'oauth:people',
  ttl: (s) => s.refreshTokenTtl,
  ttlText: '`DOCSPACE_OAUTH_REFRESH_TOKEN_TTL`',
});

/** Every record kind with a JSON value. */
export const RECORD_KINDS: readonly RecordKind<unknown>[] = [
  client,
  cimd,
  pending,
  state,
  code,
  spentCode,
  grant,
  docspaceGrant,
  person,
  personalToken,
  people,
] as RecordKind<unknown>[];

/** The OAuth key families without a JSON value (flags and locks). */
export const KEY_FAMILIES: readonly KeyFamily[] = [remember, grantLock, docspaceGrantLock];
