import { Hono } from 'hono';
import { createAudit } from '../audit/index.js';
import { createAccessTokenSealer } from './access-token.js';
import { mountAuthorize } from './authorize.js';
import { mountConnections } from './connections.js';
import type { Facade } from './context.js';
import { hmac } from './crypto.js';
import { createDocSpaceGrants } from './docspace-grants.js';
import { createGrants } from './grants.js';
import { mountMetadata } from './metadata.js';
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
  return {
    app,
    docspaceAccessToken: (claims, refused) => f.docspace.accessToken(claims.dsg, claims.gid, refused),
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
  return {
    settings,
    store: deps.store,
    logger,
    records,
    audit,
    upstream,
    docspace,
    grants,
    accessSealer,
    storageSealer,
    macKey: hmac(deps.secret, 'docspace-mcp mac key'),
    previousMacKeys: (deps.previousSecrets ?? []).map((old) => hmac(old, 'docspace-mcp mac key')),
  };
}
