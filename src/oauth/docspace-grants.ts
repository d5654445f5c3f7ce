import type { Audit } from '../audit/index.js';
import type { AccessLevel } from './access-level.js';
import { tryLock } from '../store/lock.js';
import type { Store } from '../store/store.js';
import { OAuthError } from './errors.js';
import type { Sealer } from './seal.js';
import {
  type ConnectionRef,
  createRecordIO,
  type RecordIO,
  docspaceGrant,
  docspaceGrantLock,
  type DocSpaceGrantRecord,
  encodeRecord,
  person,
} from './records/index.js';
import type { OAuthSettings } from './settings.js';
import type { Upstream, UpstreamApp, UpstreamTokens } from './upstream.js';

/**
 * The person's DocSpace grant: one per (DocSpace user, DocSpace app), shared by every MCP
 * connection that person made through that app.
 *
 * DocSpace keeps one OAuth authorization per person, app and grant type (the primary key of its
 * `identity_authorizations` table), and a new sign-in writes over the old one, ending its tokens.
 * So the DocSpace tokens cannot belong to one MCP connection: a second client (or a re-added
 * connector) signing in would silently break the first. They live here instead; each connection
 * (`grants.ts`, our refresh family) names this record, and every request reads the current
 * DocSpace token from it. A new sign-in replaces the tokens for all of the person's
 * connections; revoking a connection detaches it, and the last one to go revokes the grant at
 * DocSpace too.
 *
 * DocSpace refresh tokens rotate and the old access token dies at once, so a renewal is
 * single-flight per grant: within a process one promise, across instances a lock in the store;
 * whoever does not hold it waits and takes the holder's result from the record.
 */
export type { ConnectionRef, DocSpaceGrantRecord } from './records/index.js';

export interface DocSpaceGrantDeps {
  store: Store;
  settings: OAuthSettings;
  upstream: Upstream;
  storageSealer: Sealer;
  audit: Audit;
  /** Reads and writes records (validated; an invalid one is logged once and treated as absent). */
  records?: RecordIO;
}

export const docspaceGrantKey = docspaceGrant.key;
const lockKey = docspaceGrantLock.key;

/** Renew this long before expiry at most: a quarter of the token's life, capped at five minutes. */
const MAX_RENEW_MARGIN_MS = 5 * 60_000;
const LOCK_TTL_SECONDS = 30;
const LOCK_WAIT_MS = 15_000;
const POLL_MS = 20;
const MAX_CAS_TRIES = 20;
const OPENED_MAX = 1000;
/**
 * Connections kept per person and app. Some clients register and sign in anew on every
 * connection (Claude, reported), so without a bound a person's record — read on every request
 * — would grow for the refresh lifetime; the oldest beyond it is dropped (signs in again).
 */
const MAX_CONNECTIONS = 50;
/** DocSpace apps remembered per person (the operator's, and any the person typed in). */
const MAX_APPS = 20;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createDocSpaceGrants(deps: DocSpaceGrantDeps) {
  const { store, settings, upstream, storageSealer, audit } = deps;
  const io = deps.records ?? createRecordIO(store);
  /** Renewals running in this process, by grant key: concurrent requests share one. */
  const renewing = new Map<string, Promise<UpstreamTokens>>();
  /**
   * Opened DocSpace tokens by their sealed value: opening costs far more than the rest of a
   * request's check, and a sealed value never changes (a renewal or sign-in writes a new one).
   */
  const opened = new Map<string, UpstreamTokens>();

  async function openTokens(sealed: string): Promise<UpstreamTokens | undefined> {
    const hit = opened.get(sealed);
    if (hit) return hit;
    const tokens = await storageSealer.open<UpstreamTokens>(sealed);
    if (tokens) {
      if (opened.size >= OPENED_MAX) opened.delete(opened.keys().next().value as string);
      opened.set(sealed, tokens);
    }
    return tokens;
  }

  async function load(key: string): Promise<{ raw: string; record: DocSpaceGrantRecord } | undefined> {
    const loaded = await io.load(docspaceGrant, key);
    return loaded && { raw: loaded.raw, record: loaded.value };
  }

  /**
   * Adds the app to the person's index of DocSpace grants, or restarts the index's lifetime:
   * called before every write of a grant, so the index outlives each grant it names.
   */
  async function index(userId: string, appId: string): Promise<void> {
    const key = person.key(userId);
    for (let i = 0; i < MAX_CAS_TRIES; i++) {
      const raw = await store.get(key);
      const apps = io.decode(person, raw)?.apps ?? [];
      const next = apps.includes(appId)
        ? (raw as string)
        : encodeRecord(person, { apps: [...apps, appId].slice(-MAX_APPS) });
      const ttl = person.ttl(settings);
      if (
        raw === undefined
          ? await store.setIfAbsent(key, next, ttl)
          : await store.compareAndSet(key, raw, next, ttl)
      )
        return;
    }
    throw new OAuthError('temporarily_unavailable', 'the sign-in record is busy; try again');
  }

  /**
   * Read-modify-write under compare-and-set: `change` gets the current record (or undefined) and
   * returns the next one, undefined to delete it, or the same object to leave it alone.
   */
  async function mutate(
    key: string,
    change: (current: DocSpaceGrantRecord | undefined) => Promise<DocSpaceGrantRecord | undefined>,
  ): Promise<DocSpaceGrantRecord | undefined> {
    let indexed = false;
    for (let i = 0; i < MAX_CAS_TRIES; i++) {
      // A record that does not validate counts as absent, and is replaced like one.
      const raw = await store.get(key);
      const current = io.decode(docspaceGrant, raw);
      const next = await change(current);
      if (current && next === current) return next;
      if (next && !indexed) {
        await index(next.userId, next.appId);
        indexed = true;
      }
      if (raw === undefined) {
        if (!next) return undefined;
        if (await store.setIfAbsent(key, encodeRecord(docspaceGrant, next), ttlOf(next))) return next;
      } else if (!next) {
        if (await store.deleteIfEquals(key, raw)) return undefined;
      } else if (await store.compareAndSet(key, raw, encodeRecord(docspaceGrant, next), ttlOf(next))) {
        return next;
      }
    }
    throw new OAuthError('temporarily_unavailable', 'the sign-in record is busy; try again');
  }

  /**
   * The record lives as long as a sign-in, or longer while a connection outlives that (a
   * personal token of 90 days, `personal-tokens.ts`).
   */
  function ttlOf(record: DocSpaceGrantRecord): number {
    const last = Math.max(0, ...record.connections.map((c) => c.expiresAt));
    return Math.max(settings.refreshTokenTtl, Math.ceil((last - settings.now()) / 1000));
  }

  /**
   * At most MAX_CONNECTIONS OAuth connections, the oldest dropped first; personal tokens
   * (`pat:` ids, bounded by their own module) are never pushed out by clients that sign in anew.
   */
  function bounded(connections: ConnectionRef[]): ConnectionRef[] {
    const isToken = (c: ConnectionRef) => c.gid.startsWith('pat:');
    return [
      ...connections.filter((c) => !isToken(c)).slice(-MAX_CONNECTIONS),
      ...connections.filter(isToken),
    ];
  }

  async function resealed(sealed: string): Promise<string> {
    if (storageSealer.isCurrent(sealed)) return sealed;
    const payload = await storageSealer.open<unknown>(sealed);
    return payload === undefined ? sealed : storageSealer.seal(payload);
  }

  const live = (connections: ConnectionRef[], now: number) => connections.filter((c) => c.expiresAt > now);

  function needsRenewal(ds: UpstreamTokens, now: number): boolean {
    const life = ds.issuedAt !== undefined ? ds.expiresAt - ds.issuedAt : MAX_RENEW_MARGIN_MS * 4;
    return ds.expiresAt - now <= Math.min(MAX_RENEW_MARGIN_MS, life / 4);
  }

  async function appOf(record: DocSpaceGrantRecord): Promise<UpstreamApp> {
    if (record.dsApp) {
      const app = await storageSealer.open<UpstreamApp>(record.dsApp);
      if (app) return app;
    }
    if (!settings.sharedApp || settings.sharedApp.clientId !== record.appId)
      throw new OAuthError('invalid_grant', 'the DocSpace app of this sign-in is not configured any more');
    return settings.sharedApp;
  }

  async function revokeAtDocSpace(record: DocSpaceGrantRecord): Promise<void> {
    const ds = await storageSealer.open<UpstreamTokens>(record.ds);
    const app = await appOf(record).catch(() => undefined);
    // Best effort: our side is already gone, which is what every request checks.
    if (ds && app) {
      await Promise.allSettled([
        ds.refreshToken ? upstream.revoke(app, ds.refreshToken, 'refresh_token') : Promise.resolve(),
        upstream.revoke(app, ds.accessToken, 'access_token'),
      ]);
    }
  }

  /** One renewal of the grant across instances; `seen` is the DocSpace access token found too old. */
  async function renewShared(key: string, seen: string): Promise<UpstreamTokens> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      const release = await tryLock(store, lockKey(key), LOCK_TTL_SECONDS);
      // Under the lock or not, first look: the holder may already have stored its result.
      const loaded = await load(key);
      if (!loaded) {
        await release?.();
        throw new OAuthError('invalid_grant', 'the DocSpace sign-in ended; sign in again');
      }
      const ds = await storageSealer.open<UpstreamTokens>(loaded.record.ds);
      if (!ds) {
        await release?.();
        throw new OAuthError('invalid_grant', 'the DocSpace sign-in can no longer be used; sign in again');
      }
      if (ds.accessToken !== seen && !needsRenewal(ds, settings.now())) {
        await release?.();
        return ds;
      }
      if (release) {
        try {
          return await renewUnderLock(key, loaded.record, ds);
        } finally {
          await release();
        }
      }
      if (Date.now() > deadline)
        throw new OAuthError('temporarily_unavailable', 'the DocSpace sign-in is being renewed; try again');
      await sleep(POLL_MS);
    }
  }

  async function renewUnderLock(
    key: string,
    record: DocSpaceGrantRecord,
    ds: UpstreamTokens,
  ): Promise<UpstreamTokens> {
    if (!ds.refreshToken) {
      if (ds.expiresAt > settings.now()) return ds;
      throw new OAuthError('invalid_grant', 'the DocSpace session ended; sign in again');
    }
    let fresh: UpstreamTokens;
    try {
      fresh = await upstream.refresh(await appOf(record), ds.refreshToken);
    } catch (error) {
      if (
        error instanceof OAuthError &&
        (error.code === 'invalid_grant' || error.code === 'invalid_client')
      ) {
        // Only the grant we tried to renew: a sign-in that replaced it meanwhile (which is why
        // DocSpace refused our refresh token) stays, and its tokens are the answer.
        const after = await mutate(key, async (current) => (current?.ds === record.ds ? undefined : current));
        const replaced = after ? await storageSealer.open<UpstreamTokens>(after.ds) : undefined;
        if (replaced) return replaced;
        audit.record({
          event: 'token.revoked',
          outcome: 'failure',
          userId: record.userId,
          reason: 'DocSpace refused to renew the sign-in',
        });
        throw new OAuthError('invalid_grant', 'DocSpace ended this sign-in; sign in again');
      }
      throw error;
    }
    const next: UpstreamTokens = { ...fresh, refreshToken: fresh.refreshToken ?? ds.refreshToken };
    const sealed = await storageSealer.seal(next);
    const stored = await mutate(key, async (current) =>
      current?.ds === record.ds ? { ...current, ds: sealed, updatedAt: settings.now() } : current,
    );
    if (stored?.ds !== sealed) {
      // A new sign-in replaced the grant while we renewed: its tokens are the ones that live.
      const replaced = stored ? await storageSealer.open<UpstreamTokens>(stored.ds) : undefined;
      if (!replaced) throw new OAuthError('invalid_grant', 'the DocSpace sign-in ended; sign in again');
      return replaced;
    }
    audit.record({ event: 'token.refreshed', outcome: 'success', userId: record.userId, reason: 'docspace' });
    return next;
  }

  return {
    /**
     * Stores the DocSpace tokens of a completed sign-in as the person's grant for the app,
     * replacing earlier ones (DocSpace has already ended them) for every connection of the person.
     */
    async install(input: { userId: string; app: UpstreamApp; tokens: UpstreamTokens; typedIn: boolean }) {
      const key = docspaceGrantKey(input.userId, input.app.clientId);
      const ds = await storageSealer.seal(input.tokens);
      const dsApp = input.typedIn ? await storageSealer.seal(input.app) : undefined;
      await mutate(key, async (current) => ({
        userId: input.userId,
        appId: input.app.clientId,
        ds,
        dsApp,
        connections: live(current?.connections ?? [], settings.now()),
        updatedAt: settings.now(),
      }));
      return key;
    },

    /** Adds an MCP connection to the grant; fails when the grant is gone. */
    async attach(key: string, connection: ConnectionRef): Promise<DocSpaceGrantRecord> {
      const record = await mutate(key, async (current) =>
        current
          ? {
              ...current,
              connections: bounded([
                ...live(current.connections, settings.now()).filter((c) => c.gid !== connection.gid),
                connection,
              ]),
            }
          : undefined,
      );
      if (!record) throw new OAuthError('invalid_grant', 'the DocSpace sign-in is gone; sign in again');
      return record;
    },

    /**
     * Moves a connection's lapse time on (its refresh family was rotated); fails when detached.
     * Values sealed under a secret being rotated out are sealed again under the current one.
     */
    async extend(key: string, gid: string, expiresAt: number): Promise<DocSpaceGrantRecord> {
      const record = await mutate(key, async (current) => {
        if (!current?.connections.some((c) => c.gid === gid)) return current;
        return {
          ...current,
          ds: await resealed(current.ds),
          dsApp: current.dsApp ? await resealed(current.dsApp) : undefined,
          connections: live(current.connections, settings.now()).map((c) =>
            c.gid === gid ? { ...c, expiresAt } : c,
          ),
        };
      });
      if (!record?.connections.some((c) => c.gid === gid))
        throw new OAuthError('invalid_grant', 'the DocSpace sign-in ended; sign in again');
      return record;
    },

    /**
     * Removes a connection. The last connection to go takes the DocSpace grant with it: deleted
     * here and revoked at DocSpace. True when that happened. `keepGrant`: never (the person is
     * on their connections page, signed in with this grant, and may make another token).
     */
    async detach(key: string, gid: string, opts: { keepGrant?: boolean } = {}): Promise<boolean> {
      let removed: DocSpaceGrantRecord | undefined;
      await mutate(key, async (current) => {
        removed = undefined;
        if (!current) return undefined;
        const rest = live(current.connections, settings.now()).filter((c) => c.gid !== gid);
        if (rest.length > 0 || opts.keepGrant) return { ...current, connections: rest };
        removed = current;
        return undefined;
      });
      if (removed) await revokeAtDocSpace(removed);
      return removed !== undefined;
    },

    /** Sets a connection's access level; false when the connection is no longer attached. */
    async setAccess(key: string, gid: string, access: AccessLevel): Promise<boolean> {
      const record = await mutate(key, async (current) =>
        current?.connections.some((c) => c.gid === gid)
          ? {
              ...current,
              connections: current.connections.map((c) => (c.gid === gid ? { ...c, access } : c)),
            }
          : current,
      );
      return Boolean(record?.connections.some((c) => c.gid === gid && c.access === access));
    },

    /** The app to check a typed-in client's secret against, when the grant has one. */
    async typedInApp(key: string): Promise<UpstreamApp | undefined> {
      const loaded = await load(key);
      return loaded?.record.dsApp ? storageSealer.open<UpstreamApp>(loaded.record.dsApp) : undefined;
    },

    /**
     * The DocSpace access token for a request of connection `gid`, renewed first when it is
     * about to expire; undefined when the connection is no longer attached (revoked).
     */
    async accessToken(key: string, gid: string, refused?: string): Promise<string | undefined> {
      return (await this.connection(key, gid, refused))?.accessToken;
    },

    /**
     * `accessToken`, with the connection's current access level from the same read (one store
     * read per request covers revocation and the level).
     */
    async connection(
      key: string,
      gid: string,
      refused?: string,
    ): Promise<{ accessToken: string; access: AccessLevel } | undefined> {
      const loaded = await load(key);
      const now = settings.now();
      const ref = loaded?.record.connections.find((c) => c.gid === gid && c.expiresAt > now);
      if (!loaded || !ref) return undefined;
      const access = ref.access ?? 'write';
      const ds = await openTokens(loaded.record.ds);
      if (!ds) return undefined;
      const stillRefused = refused !== undefined && ds.accessToken === refused;
      if (!stillRefused && !needsRenewal(ds, now)) return { accessToken: ds.accessToken, access };
      return { accessToken: (await this.renew(key, ds.accessToken)).accessToken, access };
    },

    /** Renews the grant once for everyone asking (this process and others); `seen` is the token found too old. */
    renew(key: string, seen: string): Promise<UpstreamTokens> {
      const running = renewing.get(key);
      if (running) return running;
      const started = renewShared(key, seen).finally(() => renewing.delete(key));
      renewing.set(key, started);
      return started;
    },

    /**
     * The grant's DocSpace access token while it is still valid, without renewing it: for the
     * connections page's own look-ups (names in the admins' view), best effort.
     */
    async currentToken(key: string): Promise<string | undefined> {
      const loaded = await load(key);
      const ds = loaded ? await openTokens(loaded.record.ds) : undefined;
      return ds && ds.expiresAt > settings.now() ? ds.accessToken : undefined;
    },

    /**
     * The person's live connections on every DocSpace grant they have (the operator's app and
     * any they typed in), through the per-person index; each with the key of its grant.
     */
    async connectionsOf(userId: string): Promise<(ConnectionRef & { dsg: string })[]> {
      const indexed = (await io.get(person, person.key(userId)))?.apps ?? [];
      // The operator's app is looked at even when not indexed: grants written before the index
      // existed are listed too (they join the index at their next write).
      const apps = [...new Set([...(settings.sharedApp ? [settings.sharedApp.clientId] : []), ...indexed])];
      const now = settings.now();
      const found: (ConnectionRef & { dsg: string })[] = [];
      for (const appId of apps) {
        const dsg = docspaceGrantKey(userId, appId);
        const record = (await load(dsg))?.record;
        for (const c of record?.connections ?? []) if (c.expiresAt > now) found.push({ ...c, dsg });
      }
      return found;
    },

    /** The record, for listings (a person's connections) and tests. */
    async get(key: string): Promise<DocSpaceGrantRecord | undefined> {
      return (await load(key))?.record;
    },
  };
}

export type DocSpaceGrants = ReturnType<typeof createDocSpaceGrants>;
