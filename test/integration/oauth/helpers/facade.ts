import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { pino } from 'pino';
import { type AuditEvent, createAudit, createMemoryAuditSink } from '../../../../src/audit/index.js';
import { createAuthenticator } from '../../../../src/auth/index.js';
import { AppError } from '../../../../src/errors.js';
import { appErrorResponse } from '../../../../src/http/errors.js';
import { createOAuth, type OAuthDeps } from '../../../../src/oauth/index.js';
import { createMemoryStore } from '../../../../src/store/memory.js';
import type { Store } from '../../../../src/store/store.js';
import { type Listening, listen } from '../../../helpers/listen.js';

export { authorizeUrl, pkcePair } from '../../../helpers/pkce.js';
export {
  browserLeg,
  CookieJar,
  hiddenInputs,
  isClientRedirect,
  register,
} from '../../../helpers/oauth-flow.js';

export const SECRET = 'test-secret-that-is-long-enough-0123456789';

export interface Facade {
  url: string;
  store: Store;
  events: (AuditEvent & { at: number })[];
  close(): Promise<void>;
}

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Our OAuth app plus a tiny `/mcp` that runs the authenticator and echoes the principal (and a
 * hash of the DocSpace token it would use), served on loopback.
 */
export async function startFacade(
  overrides: Partial<OAuthDeps> & {
    docspaceBaseUrl: string;
    acceptDocSpaceCredentials?: boolean;
    probeDocSpace?: boolean;
  },
): Promise<Facade> {
  const server: Listening = await listen();
  const store = overrides.store ?? createMemoryStore();
  const { events, sink } = createMemoryAuditSink();
  const logger = pino({ level: 'silent' });
  const audit = createAudit(logger, sink);
  const { acceptDocSpaceCredentials: _a, probeDocSpace: _p, ...deps } = overrides;
  const oauthServer = createOAuth({
    publicBaseUrl: server.url,
    secret: SECRET,
    store,
    logger,
    audit,
    ...deps,
  });
  const oauth = oauthServer.app;
  const authenticate = createAuthenticator({
    publicBaseUrl: overrides.publicBaseUrl ?? server.url,
    oauth: {
      secret: overrides.secret ?? SECRET,
      previousSecrets: overrides.previousSecrets,
      docspaceAccessToken: oauthServer.docspaceAccessToken,
    },
    acceptDocSpaceCredentials: overrides.acceptDocSpaceCredentials,
    audit,
    now: overrides.now,
  });
  const app = new Hono();
  // The authenticator throws its refusal; answered as the OAuth routes' JSON, as the server's
  // error handler does (src/http/errors.ts).
  app.onError((err) =>
    err instanceof AppError && err.expose
      ? appErrorResponse('oauth', err)
      : new Response('Internal Server Error', { status: 500 }),
  );
  app.all('/mcp', async (c) => {
    const outcome = await authenticate(c.req.raw);
    const cred = outcome.credential;
    const secret =
      cred.kind === 'oauth'
        ? cred.accessToken
        : cred.kind === 'apiKey'
          ? cred.apiKey
          : cred.kind === 'personalToken'
            ? cred.token
            : '';
    let self: unknown;
    if (cred.kind === 'oauth' && overrides.probeDocSpace) {
      // Proves the credential works at DocSpace: who does the portal think this is?
      const res = await fetch(`${overrides.docspaceBaseUrl}/api/2.0/people/@self`, {
        headers: { authorization: `Bearer ${cred.accessToken}` },
      });
      const json = (await res.json().catch(() => ({}))) as { response?: { id?: string; email?: string } };
      self = { status: res.status, id: json.response?.id, email: json.response?.email };
    }
    return c.json({ principal: outcome.principal, kind: cred.kind, tokenHash: tokenHash(secret), self });
  });
  app.route('/', oauth);
  server.setHandler(app.fetch);
  return { url: server.url, store, events, close: () => server.close() };
}
