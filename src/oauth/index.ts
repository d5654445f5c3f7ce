import { Hono } from 'hono';
import { createAudit } from '../audit/index.js';
import { createAccessTokenSealer } from './access-token.js';
import { mountAuthorize } from './authorize.js';
import type { Facade } from './context.js';
import { hmac } from './crypto.js';
import { createGrants } from './grants.js';
import { mountMetadata } from './metadata.js';
import { createSealer } from './seal.js';
import { type OAuthDeps, resolveSettings } from './settings.js';
import { mountTokenEndpoints } from './token.js';
import { createUpstream } from './upstream.js';

export { OAuthError } from './errors.js';
export type { OAuthDeps } from './settings.js';

/**
 * The OAuth 2.1 authorization server facade in front of DocSpace's: discovery documents,
 * registration, consent, DocSpace sign-in, codes, tokens, refresh, revocation, introspection.
 * Mount it at the root of the public HTTP app: `app.route('/', createOAuthApp(deps))`.
 */
export function createOAuthApp(deps: OAuthDeps): Hono {
  const f = createFacade(deps);
  const app = new Hono();
  mountMetadata(app, f);
  mountAuthorize(app, f);
  mountTokenEndpoints(app, f);
  return app;
}

export function createFacade(deps: OAuthDeps): Facade {
  const settings = resolveSettings(deps);
  const audit = deps.audit ?? createAudit(deps.logger);
  const upstream = createUpstream(settings, deps.fetch ?? fetch);
  const accessSealer = createAccessTokenSealer(deps.secret, deps.previousSecrets);
  const storageSealer = createSealer('store', deps.secret, deps.previousSecrets);
  const grants = createGrants({ store: deps.store, settings, upstream, accessSealer, storageSealer, audit });
  return {
    settings,
    store: deps.store,
    logger: deps.logger.child({ component: 'oauth' }),
    audit,
    upstream,
    grants,
    accessSealer,
    storageSealer,
    macKey: hmac(deps.secret, 'docspace-mcp mac key'),
    previousMacKeys: (deps.previousSecrets ?? []).map((old) => hmac(old, 'docspace-mcp mac key')),
  };
}
