import type { Audit } from '../audit/index.js';
import type { AccessLevel } from './access-level.js';
import type { Store } from '../store/store.js';
import { type AccessTokenClaims, checkAccessToken, mintAccessToken } from './access-token.js';
import type { ClientRecord } from './clients.js';
import { randomToken, safeEqual, sha256 } from './crypto.js';
import { OAuthError } from './errors.js';
import {
  createRecordIO,
  type RecordIO,
  encodeRecord,
  grant as grantRecord,
  type GrantRecord,
  grantLock,
} from './records/index.js';
import type { Sealer } from './seal.js';
import type { OAuthSettings } from './settings.js';
import type { DocSpaceGrants } from './docspace-grants.js';

/**
 * Grants: one per MCP connection (consent of one user to one client), holding the refresh family
 * and naming the person's DocSpace grant (`docspace-grants.ts`), which every connection of that
 * person through the same DocSpace app shares. Refresh tokens are `<grant id>.<secret>`; only
 * hashes are stored. Each use rotates the token. The token just replaced keeps working for
 * `refreshGrace` seconds and yields the same successor (clients race their refreshes);
 * presenting it later, or any older token, is a replay: the connection is revoked (and the
 * DocSpace grant with it when no other connection uses it).
 */
export type { GrantRecord } from './records/index.js';

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope?: string;
}

export interface GrantDeps {
  store: Store;
  settings: OAuthSettings;
  docspace: DocSpaceGrants;
  accessSealer: Sealer;
  storageSealer: Sealer;
  audit: Audit;
  /** Reads and writes records (validated; an invalid one is logged once and treated as absent). */
  records?: RecordIO;
}

const grantKey = grantRecord.key;
const lockKey = grantLock.key;
const MAX_SPENT = 20;
const LOCK_WAIT_MS = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createGrants(deps: GrantDeps) {
  const { store, settings, docspace, accessSealer, storageSealer, audit } = deps;
  const io = deps.records ?? createRecordIO(store);

  async function respond(grant: GrantRecord, refreshToken: string): Promise<TokenResponse> {
    const now = settings.now();
    const exp = Math.floor((now + settings.accessTokenTtl * 1000) / 1000);
    const fields: Omit<AccessTokenClaims, 'jti' | 'iat'> = {
      iss: settings.issuer,
      aud: grant.resource,
      sub: grant.userId,
      cid: grant.clientId,
      gid: grant.gid,
      dsg: grant.dsg,
      exp,
      ...(grant.scope ? { scope: grant.scope } : {}),
    };
    const accessToken = await mintAccessToken(accessSealer, fields, now);
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: Math.max(0, exp - Math.floor(now / 1000)),
      refresh_token: refreshToken,
      ...(settings.echoScope && grant.scope ? { scope: grant.scope } : {}),
    };
  }

  /** Ends one connection; the person's DocSpace grant goes too when no other connection uses it. */
  async function revokeFamily(grant: GrantRecord, reason: string): Promise<void> {
    await store.delete(grantKey(grant.gid));
    // Detaching is what every request checks (the connection's access tokens stop at once).
    await docspace.detach(grant.dsg, grant.gid);
    audit.record({
      event: 'token.revoked',
      outcome: 'success',
      userId: grant.userId,
      clientId: grant.clientId,
      reason,
    });
  }

  async function load(gid: string): Promise<{ raw: string; grant: GrantRecord } | undefined> {
    const loaded = await io.load(grantRecord, grantKey(gid));
    return loaded && { raw: loaded.raw, grant: loaded.value };
  }

  return {
    /**
     * Creates a connection after a completed authorization, on the person's DocSpace grant
     * (`dsg`, installed by the sign-in), and returns the first tokens.
     */
    async create(input: {
      userId: string;
      clientId: string;
      resource: string;
      scope?: string;
      dsg: string;
      access: AccessLevel;
    }): Promise<TokenResponse> {
      const gid = randomToken(16);
      const refreshToken = `${gid}.${randomToken(32)}`;
      const now = settings.now();
      const grant: GrantRecord = {
        gid,
        userId: input.userId,
        clientId: input.clientId,
        resource: input.resource,
        scope: input.scope,
        dsg: input.dsg,
        current: sha256(refreshToken),
        spent: [],
        createdAt: now,
        access: input.access,
      };
      await io.set(grantRecord, grantKey(gid), grant, grantRecord.ttl(settings));
      await docspace.attach(input.dsg, {
        gid,
        clientId: input.clientId,
        expiresAt: now + settings.refreshTokenTtl * 1000,
        access: input.access,
      });
      audit.record({
        event: 'grant.issued',
        outcome: 'success',
        userId: grant.userId,
        clientId: grant.clientId,
      });
      return respond(grant, refreshToken);
    },

    /** The refresh_token grant. `clientSecret` authenticates typed-in DocSpace apps. */
    async refresh(refreshToken: string, client: ClientRecord, clientSecret?: string): Promise<TokenResponse> {
      const gid = refreshToken.split('.')[0] ?? '';
      const hash = sha256(refreshToken);
      const deadline = Date.now() + LOCK_WAIT_MS;
      for (;;) {
        const loaded = await load(gid);
        if (!loaded)
          throw new OAuthError('invalid_grant', 'the refresh token is invalid, expired or revoked');
        const { raw, grant } = loaded;
        if (grant.clientId !== client.clientId)
          throw new OAuthError('invalid_grant', 'the refresh token was issued to another client');
        if (!grant.dsg) {
          // Made before DocSpace grants were shared per person: its DocSpace tokens may be dead.
          await store.delete(grantKey(gid));
          throw new OAuthError('invalid_grant', 'this sign-in predates a server upgrade; sign in again');
        }
        const typedIn = await docspace.typedInApp(grant.dsg);
        if (typedIn?.clientSecret && !(clientSecret && safeEqual(clientSecret, typedIn.clientSecret))) {
          throw new OAuthError('invalid_client', 'client authentication failed');
        }
        const now = settings.now();
        // A token replaced within the grace window (the previous one, or an older one when the
        // client already used its successor) yields the current token, so racers converge.
        const replaced = [...(grant.previous ? [grant.previous] : []), ...grant.spent].find((t) =>
          safeEqual(hash, t.hash),
        );
        if (replaced) {
          if (grant.previous && now - replaced.rotatedAt <= settings.refreshGrace * 1000) {
            const successor = await storageSealer.open<string>(grant.previous.successor);
            if (successor) return respond(grant, successor);
          }
          await revokeFamily(grant, 'refresh token replayed');
          audit.record({
            event: 'refresh.reused',
            outcome: 'failure',
            userId: grant.userId,
            clientId: grant.clientId,
            reason: 'reuse',
          });
          throw new OAuthError('invalid_grant', 'the refresh token was already used; sign in again');
        }
        if (!safeEqual(hash, grant.current))
          throw new OAuthError('invalid_grant', 'the refresh token is invalid, expired or revoked');

        // One rotation at a time per family; a racer waits, then takes the grace path above.
        if (!(await store.setIfAbsent(lockKey(gid), '1', grantLock.ttl()))) {
          if (Date.now() > deadline)
            throw new OAuthError('temporarily_unavailable', 'another refresh is in progress; try again');
          await sleep(50);
          continue;
        }
        try {
          // The connection must still be on a live DocSpace grant (a failed DocSpace renewal or
          // the last revocation ends it); the person signs in again otherwise.
          try {
            await docspace.extend(grant.dsg, gid, now + settings.refreshTokenTtl * 1000);
            // A DocSpace token about to expire is renewed here rather than by the next request,
            // so DocSpace refusing reaches the client as invalid_grant (sign in again) and
            // DocSpace being down as temporarily_unavailable (the family survives).
            await docspace.accessToken(grant.dsg, gid);
          } catch (error) {
            if (error instanceof OAuthError && error.code === 'invalid_grant')
              await store.delete(grantKey(gid));
            throw error;
          }
          const next = `${gid}.${randomToken(32)}`;
          const updated: GrantRecord = {
            ...grant,
            current: sha256(next),
            previous: { hash, rotatedAt: now, successor: await storageSealer.seal(next) },
            spent: grant.previous
              ? [...grant.spent, { hash: grant.previous.hash, rotatedAt: grant.previous.rotatedAt }].slice(
                  -MAX_SPENT,
                )
              : grant.spent,
          };
          if (
            !(await store.compareAndSet(
              grantKey(gid),
              raw,
              encodeRecord(grantRecord, updated),
              grantRecord.ttl(settings),
            ))
          ) {
            throw new OAuthError(
              'invalid_grant',
              'the grant changed during the refresh (revoked?); sign in again',
            );
          }
          audit.record({
            event: 'token.refreshed',
            outcome: 'success',
            userId: grant.userId,
            clientId: grant.clientId,
          });
          return respond(updated, next);
        } finally {
          await store.delete(lockKey(gid));
        }
      }
    },

    /** RFC 7009: revokes the grant behind an access or refresh token of this client; unknown tokens are ignored. */
    async revoke(token: string, client: ClientRecord): Promise<void> {
      const gid = await grantIdOf(token);
      if (!gid) return;
      const loaded = await load(gid);
      if (!loaded || loaded.grant.clientId !== client.clientId) return;
      await revokeFamily(loaded.grant, 'revoked by the client');
    },

    /** Revokes a grant by id (a replayed authorization code); a grant already gone is fine. */
    async revokeGrant(gid: string, reason: string): Promise<void> {
      const loaded = await load(gid);
      if (loaded) await revokeFamily(loaded.grant, reason);
    },

    /** RFC 7662 for tokens of the asking client. */
    async introspect(token: string, client: ClientRecord): Promise<Record<string, unknown>> {
      const inactive = { active: false };
      const check = await checkAccessToken(accessSealer, token, settings.resource, settings.now());
      if (check.ok) {
        const { claims } = check;
        if (claims.cid !== client.clientId || !(await load(claims.gid))) return inactive;
        return {
          active: true,
          client_id: claims.cid,
          sub: claims.sub,
          aud: claims.aud,
          iss: claims.iss,
          exp: claims.exp,
          iat: claims.iat,
          token_type: 'Bearer',
          ...(claims.scope ? { scope: claims.scope } : {}),
        };
      }
      const loaded = await load(token.split('.')[0] ?? '');
      if (
        !loaded ||
        loaded.grant.clientId !== client.clientId ||
        !safeEqual(sha256(token), loaded.grant.current)
      )
        return inactive;
      return {
        active: true,
        client_id: loaded.grant.clientId,
        sub: loaded.grant.userId,
        token_type: 'refresh_token',
      };
    },

    /** A connection's record for the person's connections page; undefined once gone. */
    async describe(gid: string): Promise<GrantRecord | undefined> {
      return (await load(gid))?.grant;
    },

    /** Revokes one connection of this person; false when it is not theirs or gone (same answer). */
    async revokeConnection(gid: string, userId: string, reason: string): Promise<boolean> {
      const loaded = gid ? await load(gid) : undefined;
      if (!loaded || loaded.grant.userId !== userId) return false;
      await revokeFamily(loaded.grant, reason);
      return true;
    },

    /**
     * Sets one connection's access level for its owner; false when it is not theirs or gone.
     * The copy requests check (the DocSpace grant's ConnectionRef) changes first when lowering
     * and last when raising, so a failure in between never leaves more access than shown.
     */
    async setAccess(gid: string, userId: string, level: AccessLevel): Promise<boolean> {
      for (let i = 0; i < 20; i++) {
        const loaded = gid ? await load(gid) : undefined;
        if (!loaded || loaded.grant.userId !== userId) return false;
        const before = loaded.grant.access ?? 'write';
        const lowering = level === 'read';
        if (lowering && !(await docspace.setAccess(loaded.grant.dsg, gid, level))) return false;
        const updated: GrantRecord = { ...loaded.grant, access: level };
        if (
          !(await store.compareAndSet(
            grantKey(gid),
            loaded.raw,
            encodeRecord(grantRecord, updated),
            grantRecord.ttl(settings),
          ))
        )
          continue;
        if (!lowering && !(await docspace.setAccess(loaded.grant.dsg, gid, level))) return false;
        if (before !== level)
          audit.record({
            event: 'grant.access_changed',
            outcome: 'success',
            userId,
            clientId: loaded.grant.clientId,
            reason: `${before} -> ${level}`,
          });
        return true;
      }
      throw new OAuthError('temporarily_unavailable', 'the connection is busy; try again');
    },

    /** True while the grant exists (not revoked, not expired). */
    async isActive(gid: string): Promise<boolean> {
      return (await load(gid)) !== undefined;
    },
  };

  async function grantIdOf(token: string): Promise<string | undefined> {
    if (accessSealer.recognises(token)) {
      const claims = await accessSealer.open<AccessTokenClaims>(token);
      return claims?.gid;
    }
    const [gid] = token.split('.');
    if (!gid) return undefined;
    const loaded = await load(gid);
    if (!loaded) return undefined;
    const hash = sha256(token);
    const known = [
      loaded.grant.current,
      loaded.grant.previous?.hash,
      ...loaded.grant.spent.map((t) => t.hash),
    ].some((h) => h && safeEqual(h, hash));
    return known ? gid : undefined;
  }
}

export type Grants = ReturnType<typeof createGrants>;
