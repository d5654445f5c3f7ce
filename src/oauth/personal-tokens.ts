import type { Audit } from '../audit/index.js';
import type { Store } from '../store/store.js';
import { decodeRecord, encodeRecord, personalToken, type PersonalTokenRecord } from './records/index.js';
import type { AccessLevel } from './access-level.js';
import { randomToken } from './crypto.js';
import { docspaceGrantKey, type DocSpaceGrants } from './docspace-grants.js';
import { OAuthError } from './errors.js';
import { createSealer, type Sealer } from './seal.js';

/**
 * Personal access tokens: for clients without OAuth (Gemini CLI, scripts, CI jobs). A person
 * signed in on `/connections` makes one with a label, an expiry and an access level; it is shown
 * once. The token is sealed like our OAuth access tokens, under its own key (`pat` purpose, so
 * it never opens as an access token nor the reverse), bound to the MCP resource, and names the
 * person's DocSpace grant: every request uses that grant's current DocSpace token (renewed
 * server-side), the one their OAuth connections share.
 *
 * Two records say a token is alive, both checked on every request:
 * - its entry in the DocSpace grant's connection list (`pat:<id>`), read on every request anyway
 *   (it holds the DocSpace token): removing it is what makes revocation immediate on every
 *   instance, and it keeps the person's DocSpace grant alive while the token is;
 * - its own record `oauth:pat:<id>` (label, level, dates, last use), whose TTL is the expiry.
 *   Each instance keeps a copy for at most `RECORD_CACHE_MS`; a record gone from the store is
 *   refused within that bound, a revocation at once (above).
 * Last use is written at most once per `LAST_USE_WRITE_MS` per token, never on every call.
 */

export const PERSONAL_TOKEN_PURPOSE = 'pat';
/** The connection id a token has in the person's DocSpace grant (beside OAuth grant ids). */
export const TOKEN_REF_PREFIX = 'pat:';
export const DEFAULT_TOKEN_DAYS = 90;
/** Tokens one person may hold at once (per DocSpace app). */
export const MAX_TOKENS_PER_PERSON = 20;
export const MAX_LABEL_LENGTH = 80;
const RECORD_CACHE_MS = 10_000;
const LAST_USE_WRITE_MS = 60_000;
const CACHE_MAX = 1000;
const DAY_MS = 24 * 3600 * 1000;
const ENDED = 'the DocSpace sign-in behind this token ended; create a new token on the connections page';

export const personalTokenKey = personalToken.key;
export const tokenRef = (id: string) => `${TOKEN_REF_PREFIX}${id}`;

/** Only what a check needs before the store, so the token stays short enough to paste. */
export interface PersonalTokenClaims {
  /** The MCP resource: a token is refused anywhere else. */
  aud: string;
  /** DocSpace user id. */
  sub: string;
  /** Token id (the key of its record, which names the DocSpace grant). */
  pid: string;
  acc: AccessLevel;
  /** Seconds since the epoch. */
  iat: number;
  exp: number;
}

export type { PersonalTokenRecord } from './records/index.js';

export function createPersonalTokenSealer(secret: string, previousSecrets?: readonly string[]): Sealer {
  return createSealer(PERSONAL_TOKEN_PURPOSE, secret, previousSecrets);
}

export type PersonalTokenCheck =
  { ok: true; claims: PersonalTokenClaims } | { ok: false; reason: 'malformed' | 'expired' | 'audience' };

/** Opens a token and checks integrity, expiry and audience (not revocation: that needs the store). */
export async function checkPersonalToken(
  sealer: Sealer,
  token: string,
  audience: string,
  nowMs: number,
): Promise<PersonalTokenCheck> {
  const claims = await sealer.open<PersonalTokenClaims>(token);
  if (
    !claims ||
    typeof claims.exp !== 'number' ||
    typeof claims.pid !== 'string' ||
    typeof claims.sub !== 'string' ||
    (claims.acc !== 'read' && claims.acc !== 'write')
  )
    return { ok: false, reason: 'malformed' };
  if (claims.exp * 1000 <= nowMs) return { ok: false, reason: 'expired' };
  if (claims.aud !== audience) return { ok: false, reason: 'audience' };
  return { ok: true, claims };
}

export interface PersonalTokensDeps {
  store: Store;
  docspace: DocSpaceGrants;
  audit: Audit;
  secret: string;
  previousSecrets?: readonly string[];
  /** The MCP resource (our access tokens' audience). */
  resource: string;
  /** Off: nobody can create or use one (`DOCSPACE_OAUTH_PERSONAL_TOKENS`). */
  enabled: boolean;
  /** The longest expiry a person may choose, in days (`DOCSPACE_OAUTH_PERSONAL_TOKEN_MAX_DAYS`). */
  maxDays: number;
  now: () => number;
}

/** What the authenticator gets for a token that passed every check. */
export type PersonalTokenUse =
  | {
      ok: true;
      userId: string;
      tokenId: string;
      access: AccessLevel;
      docspaceToken: string;
      /** The DocSpace token now (another request may renew it meanwhile). */
      current(refused?: string): Promise<string | undefined>;
    }
  | {
      ok: false;
      reason: 'off' | 'malformed' | 'expired' | 'audience' | 'revoked' | 'ended' | 'unavailable';
      description: string;
    };

export function createPersonalTokens(deps: PersonalTokensDeps) {
  const { store, docspace, audit, now } = deps;
  const sealer = createPersonalTokenSealer(deps.secret, deps.previousSecrets);
  const maxDays = Math.max(1, Math.floor(deps.maxDays));
  const defaultDays = Math.min(DEFAULT_TOKEN_DAYS, maxDays);
  /** Records as this instance last read them, with when (see `RECORD_CACHE_MS`). */
  const cache = new Map<string, { record: PersonalTokenRecord; readAt: number }>();

  async function load(id: string): Promise<{ raw: string; record: PersonalTokenRecord } | undefined> {
    const raw = await store.get(personalTokenKey(id));
    const record = raw === undefined ? undefined : decodeRecord(personalToken, raw);
    return raw !== undefined && record ? { raw, record } : undefined;
  }

  async function cachedRecord(id: string): Promise<PersonalTokenRecord | undefined> {
    const hit = cache.get(id);
    const at = now();
    if (hit && at - hit.readAt < RECORD_CACHE_MS) return hit.record;
    const loaded = await load(id);
    cache.delete(id);
    if (!loaded) return undefined;
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(id, { record: loaded.record, readAt: at });
    return loaded.record;
  }

  /** Records the use when the last one written is older than a minute; never fails the request. */
  async function touch(record: PersonalTokenRecord): Promise<void> {
    const at = now();
    if (record.lastUsedAt !== undefined && at - record.lastUsedAt < LAST_USE_WRITE_MS) return;
    // This instance will not try again for a minute, whatever the store says.
    record.lastUsedAt = at;
    try {
      const loaded = await load(record.id);
      if (!loaded) return;
      if (loaded.record.lastUsedAt !== undefined && at - loaded.record.lastUsedAt < LAST_USE_WRITE_MS) return;
      const ttl = Math.ceil((loaded.record.expiresAt - at) / 1000);
      if (ttl <= 0) return;
      // Compare-and-set: a revocation (delete) meanwhile is never undone by this write.
      await store.compareAndSet(
        personalTokenKey(record.id),
        loaded.raw,
        encodeRecord(personalToken, { ...loaded.record, lastUsedAt: at }),
        ttl,
      );
    } catch {
      // Last use is a convenience: a store hiccup here must not fail the call.
    }
  }

  const refused = (reason: Extract<PersonalTokenUse, { ok: false }>['reason'], description: string) =>
    ({ ok: false, reason, description }) as const;

  return {
    enabled: deps.enabled,
    maxDays,
    defaultDays,

    /** True when the value has the shape and key id of one of our personal tokens. */
    recognises(token: string): boolean {
      return sealer.recognises(token);
    },

    /**
     * Creates a token for the signed-in person on their DocSpace grant (installed by their sign-in
     * to the page). Returns the token, which is never shown or stored again, and its record.
     */
    async create(input: {
      userId: string;
      appId: string;
      label: string;
      access: AccessLevel;
      days: number;
    }): Promise<{ token: string; record: PersonalTokenRecord }> {
      if (!deps.enabled)
        throw new OAuthError('access_denied', 'personal access tokens are turned off on this server', 403);
      const label = input.label.trim().replace(/\s+/g, ' ');
      if (!label)
        throw new OAuthError('invalid_request', 'give the token a name, so you can recognise it later');
      if (label.length > MAX_LABEL_LENGTH)
        throw new OAuthError('invalid_request', `the name can have at most ${MAX_LABEL_LENGTH} characters`);
      if (!Number.isInteger(input.days) || input.days < 1 || input.days > maxDays)
        throw new OAuthError(
          'invalid_request',
          `the token can last from 1 to ${maxDays} days on this server`,
        );
      const dsg = docspaceGrantKey(input.userId, input.appId);
      const grant = await docspace.get(dsg);
      if (!grant) throw new OAuthError('invalid_grant', 'your DocSpace sign-in ended; sign in again', 401);
      const held = grant.connections.filter(
        (c) => c.gid.startsWith(TOKEN_REF_PREFIX) && c.expiresAt > now(),
      ).length;
      if (held >= MAX_TOKENS_PER_PERSON)
        throw new OAuthError(
          'invalid_request',
          `you already have ${MAX_TOKENS_PER_PERSON} personal tokens; revoke one first`,
        );

      const id = randomToken(12);
      const createdAt = now();
      const expiresAt = createdAt + input.days * DAY_MS;
      const claims: PersonalTokenClaims = {
        aud: deps.resource,
        sub: input.userId,
        pid: id,
        acc: input.access,
        iat: Math.floor(createdAt / 1000),
        exp: Math.floor(expiresAt / 1000),
      };
      const token = await sealer.seal(claims);
      const record: PersonalTokenRecord = {
        id,
        userId: input.userId,
        appId: input.appId,
        dsg,
        label,
        access: input.access,
        hint: token.slice(-6),
        createdAt,
        expiresAt,
      };
      await store.set(personalTokenKey(id), encodeRecord(personalToken, record), input.days * 24 * 3600);
      try {
        await docspace.attach(dsg, { gid: tokenRef(id), clientId: 'personal-token', expiresAt });
      } catch (error) {
        await store.delete(personalTokenKey(id));
        throw error;
      }
      audit.record({
        event: 'grant.issued',
        outcome: 'success',
        userId: input.userId,
        clientId: tokenRef(id),
        reason: 'personal-token',
      });
      return { token, record };
    },

    /** The label of one of the person's tokens, for the activity page (undefined once gone). */
    async labelOf(id: string, userId: string): Promise<string | undefined> {
      const loaded = await load(id);
      return loaded && loaded.record.userId === userId ? loaded.record.label : undefined;
    },

    /** The person's live tokens, newest first (the DocSpace grant's list is the index). */
    async list(userId: string, appId: string): Promise<PersonalTokenRecord[]> {
      const grant = await docspace.get(docspaceGrantKey(userId, appId));
      const at = now();
      const out: PersonalTokenRecord[] = [];
      for (const ref of grant?.connections ?? []) {
        if (!ref.gid.startsWith(TOKEN_REF_PREFIX) || ref.expiresAt <= at) continue;
        const loaded = await load(ref.gid.slice(TOKEN_REF_PREFIX.length));
        if (loaded && loaded.record.userId === userId && loaded.record.expiresAt > at)
          out.push(loaded.record);
      }
      return out.sort((a, b) => b.createdAt - a.createdAt);
    },

    /**
     * Revokes one of the person's tokens; false when it is not theirs or does not exist (the same
     * answer). The grant's entry goes first: that is what every request checks.
     */
    async revoke(id: string, userId: string): Promise<boolean> {
      const loaded = id ? await load(id) : undefined;
      if (!loaded || loaded.record.userId !== userId) return false;
      await docspace.detach(loaded.record.dsg, tokenRef(id), { keepGrant: true });
      await store.delete(personalTokenKey(id));
      cache.delete(id);
      audit.record({
        event: 'token.revoked',
        outcome: 'success',
        userId,
        clientId: tokenRef(id),
        reason: 'personal token revoked by the person',
      });
      return true;
    },

    /**
     * Every check of a request's token: sealed by us, not expired, for this resource, its record
     * and its entry in the person's DocSpace grant present; then the DocSpace token to call with.
     */
    async authenticate(token: string, audience: string): Promise<PersonalTokenUse> {
      if (!deps.enabled) return refused('off', 'personal access tokens are turned off on this server');
      const check = await checkPersonalToken(sealer, token, audience, now());
      if (!check.ok)
        return refused(
          check.reason,
          {
            malformed: 'the token is invalid or was not issued by this server',
            expired: 'the personal token expired; create a new one on the connections page',
            audience: 'the token was issued for another resource',
          }[check.reason],
        );
      const { claims } = check;
      const record = await cachedRecord(claims.pid);
      if (!record || record.userId !== claims.sub)
        return refused('revoked', 'the personal token was revoked');
      const ref = tokenRef(claims.pid);
      let docspaceToken: string | undefined;
      try {
        docspaceToken = await docspace.accessToken(record.dsg, ref);
      } catch (error) {
        if (!(error instanceof OAuthError)) throw error;
        if (error.code !== 'invalid_grant') return refused('unavailable', error.message);
        return refused('ended', ENDED);
      }
      if (!docspaceToken) {
        cache.delete(claims.pid);
        // Its entry went with the whole record (DocSpace ended the sign-in), or alone (Revoke).
        if (!(await docspace.get(record.dsg))) return refused('ended', ENDED);
        return refused('revoked', 'the personal token was revoked');
      }
      void touch(record);
      return {
        ok: true,
        userId: claims.sub,
        tokenId: claims.pid,
        access: claims.acc,
        docspaceToken,
        current: (refusedToken) => docspace.accessToken(record.dsg, ref, refusedToken),
      };
    },
  };
}

export type PersonalTokens = ReturnType<typeof createPersonalTokens>;
