import { type Context, Hono } from 'hono';
import { mountActivityPage } from '../activity/page.js';
import { createAudit } from '../audit/index.js';
import type { AccessLevel } from './access-level.js';
import { createAccessTokenSealer } from './access-token.js';
import { mountAuthorize } from './authorize.js';
import { mountConnections, sessionOf } from './connections.js';
import { resolveClient } from './clients.js';
import { TOKEN_REF_PREFIX } from './personal-tokens.js';
import { isStoreUnavailable } from '../store/errors.js';
import type { Facade } from './context.js';
import { hmac } from './crypto.js';
import { createDocSpaceGrants } from './docspace-grants.js';
import { createGrants } from './grants.js';
import { mountMetadata } from './metadata.js';
import { createPersonalTokens, type PersonalTokens } from './personal-tokens.js';
import { createPeopleIndex } from './people-index.js';
import { createRecordIO, registerRecords } from './records/index.js';
import { createSealer } from './seal.js';
import { type OAuthDeps, resolveSettings } from './settings.js';
import { mountTokenEndpoints } from './token.js';
import { createUpstream } from './upstream.js';

export { OAuthError } from './errors.js';
export type { OAuthDeps } from './settings.js';

export interface OAuthServer {
  /** The routes, to mount at the root. */
  app: Hono;
  /**
   * The current DocSpace access token behind one of our access tokens (its `gid` and `dsg`
   * claims), renewed first when about to expire; undefined once the connection is revoked.
   * The authenticator (`src/auth/`) calls it on every request. With `refused`, a token DocSpace
   * has just refused: it is renewed if it is still the grant's (DocSpace's clock may run ahead of
   * ours), else the grant's newer token is the answer.
   */
  docspaceAccessToken(claims: { gid: string; dsg: string }, refused?: string): Promise<string | undefined>;
  /** Personal access tokens, for the authenticator (`src/auth/`). */
  personalTokens: PersonalTokens;
  /** `docspaceAccessToken` with the connection's current access level, from the same read. */
  connection(claims: {
    gid: string;
    dsg: string;
  }): Promise<{ accessToken: string; access: AccessLevel } | undefined>;
}

/**
 * The OAuth 2.1 authorization server facade in front of DocSpace's: discovery documents,
 * registration, consent, DocSpace sign-in, codes, tokens, refresh, revocation, introspection.
 * Mount it at the root of the public HTTP app: `app.route('/', createOAuth(deps).app)`.
 */
export function createOAuth(deps: OAuthDeps): OAuthServer {
  const f = createFacade(deps);
  const app = new Hono();
  mountMetadata(app, f);
  mountAuthorize(app, f);
  mountTokenEndpoints(app, f);
  mountConnections(app, f);
  if (deps.activity) mountActivityPage(app, { log: deps.activity, ...activityDeps(f) });
  return {
    app,
    docspaceAccessToken: (claims, refused) => f.docspace.accessToken(claims.dsg, claims.gid, refused),
    personalTokens: f.personalTokens,
    connection: (claims) => f.docspace.connection(claims.dsg, claims.gid),
  };
}

/** Who is signed in to /connections, and clients' names, for the activity page. */
function activityDeps(f: Facade) {
  return {
    personOf: async (c: Context) => (await sessionOf(f, c))?.session.userId,
    clientName: async (clientId: string, userId: string) => {
      try {
        if (clientId.startsWith(TOKEN_REF_PREFIX)) {
          const label = await f.personalTokens.labelOf(clientId.slice(TOKEN_REF_PREFIX.length), userId);
          return `Personal token “${label ?? 'revoked or expired'}”`;
        }
        const client = await resolveClient(f.store, f.settings, clientId);
        return (
          client.clientName ?? (client.kind === 'docspace' ? 'An app using a DocSpace OAuth app' : undefined)
        );
      } catch (error) {
        if (isStoreUnavailable(error)) throw error;
        return undefined; // a registration that lapsed
      }
    },
    logger: f.logger,
  };
}

export function createFacade(deps: OAuthDeps): Facade {
  const settings = resolveSettings(deps);
  const audit = deps.audit ?? createAudit(deps.logger);
  const upstream = createUpstream(settings, deps.fetch ?? fetch);
  const accessSealer = createAccessTokenSealer(deps.secret, deps.previousSecrets);
  const storageSealer = createSealer('store', deps.secret, deps.previousSecrets);
  const logger = deps.logger.child({ component: 'oauth' });
  const records = registerRecords(createRecordIO(deps.store, logger));
  const docspace = createDocSpaceGrants({
    store: deps.store,
    settings,
    upstream,
    storageSealer,
    audit,
    records,
  });
  const grants = createGrants({
    store: deps.store,
    settings,
    docspace,
    accessSealer,
    storageSealer,
    audit,
    records,
  });
  const personalTokens = createPersonalTokens({
    store: deps.store,
    docspace,
    audit,
    secret: deps.secret,
    previousSecrets: deps.previousSecrets,
    resource: settings.resource,
    // Personal tokens act through the operator's DocSpace app: without it there is no page.
    enabled: Boolean(settings.sharedApp) && (deps.personalTokens?.enabled ?? true),
    maxDays: deps.personalTokens?.maxDays ?? 365,
    now: settings.now,
  });
  return {
    settings,
    store: deps.store,
    logger,
    records,
    audit,
    upstream,
    docspace,
    grants,
    personalTokens,
    people: createPeopleIndex(deps.store, settings.refreshTokenTtl),
    accessSealer,
    storageSealer,
    macKey: hmac(deps.secret, 'docspace-mcp mac key'),
    previousMacKeys: (deps.previousSecrets ?? []).map((old) => hmac(old, 'docspace-mcp mac key')),
  };
}
