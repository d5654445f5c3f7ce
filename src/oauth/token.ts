import type { Context, Hono } from 'hono';
import {
  authenticateClient,
  type PresentedCredentials,
  readClientCredentials,
  registerClient,
} from './clients.js';
import { policySentence, registrationAllowed } from './client-policy.js';
import { apiRoute, type Facade } from './context.js';
import { verifyPkce } from './crypto.js';
import { OAuthError } from './errors.js';
import { code as codeRecord, spentCode } from './records/index.js';
import { resolveResource } from './redirect.js';
import type { UpstreamApp } from './upstream.js';

/** `/oauth/token`, `/oauth/register`, `/oauth/revoke`, `/oauth/introspect`: JSON APIs for clients. */

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

async function readForm(c: Context): Promise<URLSearchParams> {
  const type = c.req.header('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new OAuthError('invalid_request', 'send the request as application/x-www-form-urlencoded');
  }
  return new URLSearchParams(await c.req.text());
}

/** A refused grant is audited; the client is told in the OAuth error. */
function auditRefusedGrant(f: Facade) {
  return (error: unknown) => {
    if (error instanceof OAuthError && error.code === 'invalid_grant')
      f.audit.record({ event: 'token.rejected', outcome: 'failure', reason: error.message });
  };
}

export function mountTokenEndpoints(app: Hono, f: Facade): void {
  app.post(
    '/oauth/token',
    apiRoute(
      f,
      async (c) => {
        const form = await readForm(c);
        const presented = readClientCredentials(c.req.header('authorization'), form);
        const client = await authenticateClient(f.store, f.settings, presented);
        const grantType = form.get('grant_type');
        let body: object;
        if (grantType === 'authorization_code')
          body = await exchangeCode(f, form, client.clientId, presented);
        else if (grantType === 'refresh_token') {
          const token = form.get('refresh_token');
          if (!token) throw new OAuthError('invalid_request', 'refresh_token is missing');
          if (
            form.has('resource') &&
            !resolveResource(form.get('resource'), f.settings.resource, f.settings.issuer)
          ) {
            throw new OAuthError(
              'invalid_target',
              `this server only issues tokens for ${f.settings.resource}`,
            );
          }
          body = await f.grants.refresh(token, client, presented.clientSecret);
        } else throw new OAuthError('unsupported_grant_type', 'use authorization_code or refresh_token');
        return c.json(body, 200, NO_STORE);
      },
      auditRefusedGrant(f),
    ),
  );

  app.post(
    '/oauth/register',
    apiRoute(f, async (c) => {
      if (!f.settings.sharedApp)
        throw new OAuthError('invalid_request', 'registration is not available on this server', 404);
      const body = await c.req.json().catch(() => {
        throw new OAuthError('invalid_client_metadata', 'the registration request must be JSON');
      });
      const uris = (body as { redirect_uris?: unknown } | null)?.redirect_uris;
      if (Array.isArray(uris) && !registrationAllowed(f.settings, uris)) {
        f.audit.record({ event: 'client.refused', outcome: 'failure', reason: 'registration not allowed' });
        throw new OAuthError(
          'invalid_redirect_uri',
          `${policySentence(f.settings)} None of these redirect URIs is on that list.`,
        );
      }
      const { record, response } = await registerClient(f.store, f.settings, body);
      f.audit.record({ event: 'client.registered', outcome: 'success', clientId: record.clientId });
      return c.json(response, 201, NO_STORE);
    }),
  );

  app.post(
    '/oauth/revoke',
    apiRoute(f, async (c) => {
      const form = await readForm(c);
      const client = await authenticateClient(
        f.store,
        f.settings,
        readClientCredentials(c.req.header('authorization'), form),
      );
      const token = form.get('token');
      if (!token) throw new OAuthError('invalid_request', 'token is missing');
      await f.grants.revoke(token, client);
      return new Response(null, { status: 200, headers: NO_STORE });
    }),
  );

  app.post(
    '/oauth/introspect',
    apiRoute(f, async (c) => {
      const form = await readForm(c);
      const presented = readClientCredentials(c.req.header('authorization'), form);
      const client = await authenticateClient(f.store, f.settings, presented);
      const token = form.get('token');
      if (!token) throw new OAuthError('invalid_request', 'token is missing');
      return c.json(await f.grants.introspect(token, client), 200, NO_STORE);
    }),
  );
}

async function exchangeCode(
  f: Facade,
  form: URLSearchParams,
  clientId: string,
  presented: PresentedCredentials,
): Promise<object> {
  const code = form.get('code');
  if (!code) throw new OAuthError('invalid_request', 'code is missing');
  // Taken before any check: a code is spent by its first use, right or wrong.
  const record = await f.records.take(codeRecord, codeRecord.key(code));
  if (!record) {
    await revokeOnReplay(f, code);
    throw new OAuthError('invalid_grant', 'the authorization code is invalid, expired or already used');
  }
  await f.records.set(spentCode, spentCode.key(code), {}, spentCode.ttl());
  if (record.clientId !== clientId)
    throw new OAuthError('invalid_grant', 'the authorization code was issued to another client');
  const redirectUri = form.get('redirect_uri');
  if (redirectUri ? redirectUri !== record.redirectUri : record.redirectUriGiven) {
    throw new OAuthError('invalid_grant', 'redirect_uri does not match the authorization request');
  }
  if (!verifyPkce(form.get('code_verifier') ?? undefined, record.codeChallenge)) {
    throw new OAuthError('invalid_grant', 'the PKCE code_verifier is missing or wrong');
  }
  if (
    form.has('resource') &&
    resolveResource(form.get('resource'), f.settings.resource, f.settings.issuer) !== record.resource
  ) {
    throw new OAuthError('invalid_target', 'resource differs from the authorization request');
  }
  let dsg = record.dsg;
  let userId = record.userId;
  if (!dsg && record.dsCode) {
    const pendingCode = await f.storageSealer.open<{ code: string; verifier: string; app: string }>(
      record.dsCode,
    );
    const app = pendingCode ? await f.storageSealer.open<UpstreamApp>(pendingCode.app) : undefined;
    if (!pendingCode || !app) throw new OAuthError('invalid_grant', 'the authorization code is unusable');
    const dsApp = { clientId: app.clientId, clientSecret: presented.clientSecret };
    const tokens = await f.upstream.exchangeCode(dsApp, pendingCode.code, pendingCode.verifier);
    userId = await f.upstream.userId(tokens.accessToken);
    // DocSpace has just replaced the person's earlier authorization for this app: the new
    // tokens become the grant of every connection the person has through it.
    dsg = await f.docspace.install({ userId, app: dsApp, tokens, typedIn: true });
  }
  if (!dsg || !userId) throw new OAuthError('invalid_grant', 'the authorization code is unusable');
  // Listed first, so the portal admins' view never misses a connection (it prunes the empty).
  await f.people.add(userId, f.settings.now());
  const issued = await f.grants.create({
    userId,
    clientId,
    resource: record.resource,
    scope: record.scope,
    dsg,
    access: record.access ?? f.settings.defaultAccess,
  });
  const gid = issued.refresh_token.split('.')[0] ?? '';
  // A replay that arrived while this exchange ran marked the code: the tokens must not live.
  const marked = await f.records.get(spentCode, spentCode.key(code));
  if (marked?.replayed) {
    await f.grants.revokeGrant(gid, 'authorization code replay');
    throw new OAuthError('invalid_grant', 'the authorization code was used more than once');
  }
  await f.records.set(spentCode, spentCode.key(code), { gid }, spentCode.ttl());
  return issued;
}

async function revokeOnReplay(f: Facade, code: string): Promise<void> {
  // A used code is remembered (`spentCode`) so that a replay revokes what it produced.
  const spent = await f.records.get(spentCode, spentCode.key(code));
  if (!spent) return;
  if (spent.gid) await f.grants.revokeGrant(spent.gid, 'authorization code replay');
  else await f.records.set(spentCode, spentCode.key(code), { replayed: true }, spentCode.ttl());
}
