// DocSpace's client registration service: /api/2.0/clients and /api/2.0/scopes
// (reference/docspace-api.md §4.4; shapes from the OpenAPI's ClientResponse, PageableResponse).
// It is a Java service, not the .NET API: bodies are NOT in DocSpace's {response, …} envelope,
// and errors are {"reason": "…"}.
import { randomUUID } from 'node:crypto';
import { type Context, Hono } from 'hono';
import type { OAuthContext } from './context.js';
import type { OAuthApp, OAuthUser } from './directory.js';
import { SCOPE_NAMES, SCOPES } from './scopes.js';

export type CallerResolver = (req: Request) => Promise<OAuthUser | undefined> | OAuthUser | undefined;

const URL_PATTERN =
  /^(https?:\/\/)?(([a-zA-Z0-9-]+\.)+[a-zA-Z]{2,}|localhost|[a-zA-Z0-9-]+)(:\d+)?(\/[a-zA-Z0-9-._~:/?#[\]@!$&'()*+,;=]*)?$|^https?:\/\/(\d{1,3}\.){3}\d{1,3}(:\d+)?(\/[a-zA-Z0-9-._~:/?#[\]@!$&'()*+,;=]*)?$/;
const LOGO_PATTERN = /^data:image\/(?:png|jpeg|jpg|svg\+xml);base64,.*.{1,}/;

class ReasonError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404,
    reason: string,
  ) {
    super(reason);
  }
}

function methods(app: OAuthApp): string[] {
  return app.allowPkce ? ['client_secret_post', 'none'] : ['client_secret_post'];
}

export function clientResponse(app: OAuthApp, tenant: number): Record<string, unknown> {
  return {
    name: app.name,
    description: app.description,
    tenant,
    scopes: app.scopes,
    enabled: app.enabled,
    invalidated: false,
    client_id: app.clientId,
    client_secret: app.clientSecret,
    website_url: app.websiteUrl,
    terms_url: app.termsUrl,
    policy_url: app.policyUrl,
    logo: app.logo,
    authentication_methods: methods(app),
    redirect_uris: app.redirectUris,
    allowed_origins: app.allowedOrigins,
    logout_redirect_uris: app.logoutRedirectUri ? [app.logoutRedirectUri] : [],
    created_on: app.created.toISOString(),
    created_by: app.createdBy,
    modified_on: app.created.toISOString(),
    modified_by: app.createdBy,
    is_public: app.isPublic,
  };
}

function clientInfo(app: OAuthApp): Record<string, unknown> {
  return {
    name: app.name,
    description: app.description,
    scopes: app.scopes,
    client_id: app.clientId,
    website_url: app.websiteUrl,
    terms_url: app.termsUrl,
    policy_url: app.policyUrl,
    logo: app.logo,
    authentication_methods: methods(app),
    is_public: app.isPublic,
    created_on: app.created.toISOString(),
    created_by: app.createdBy,
    modified_on: app.created.toISOString(),
    modified_by: app.createdBy,
  };
}

type Body = Record<string, unknown>;

function str(
  body: Body,
  name: string,
  opts: { required?: boolean; min?: number; max?: number; pattern?: RegExp },
): string | undefined {
  const v = body[name];
  if (v === undefined || v === null || v === '') {
    if (opts.required) throw new ReasonError(400, `${name} is required`);
    return undefined;
  }
  if (typeof v !== 'string') throw new ReasonError(400, `${name} must be a string`);
  if ((opts.min !== undefined && v.length < opts.min) || (opts.max !== undefined && v.length > opts.max)) {
    throw new ReasonError(400, `${name} length must be between ${opts.min ?? 0} and ${opts.max ?? '∞'}`);
  }
  if (opts.pattern && !opts.pattern.test(v)) throw new ReasonError(400, `${name} is not valid`);
  return v;
}

function urlList(body: Body, name: string, required: boolean): string[] | undefined {
  const v = body[name];
  if (v === undefined && !required) return undefined;
  if (!Array.isArray(v) || v.length < 1 || v.length > 12)
    throw new ReasonError(400, `${name} must contain 1 to 12 URLs`);
  for (const item of v) {
    if (typeof item !== 'string' || !/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s]+$/.test(item))
      throw new ReasonError(400, `${name} contains an invalid URL`);
  }
  return [...new Set(v as string[])];
}

function bool(body: Body, name: string): boolean | undefined {
  const v = body[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new ReasonError(400, `${name} must be a boolean`);
  return v;
}

function scopesOf(body: Body): string[] {
  const v = body.scopes;
  if (!Array.isArray(v) || v.length === 0) throw new ReasonError(400, 'scopes must not be empty');
  for (const s of v)
    if (typeof s !== 'string' || !SCOPE_NAMES.includes(s))
      throw new ReasonError(400, `Unknown scope: ${String(s)}`);
  return [...new Set(v as string[])];
}

export function clientRoutes(ctx: OAuthContext, resolveCaller: CallerResolver): Hono {
  const app = new Hono();

  async function caller(c: Context, manage: boolean): Promise<OAuthUser> {
    const user = await resolveCaller(c.req.raw);
    if (!user) throw new ReasonError(401, 'Unauthorized');
    if (manage && user.role !== undefined && user.role !== 'owner' && user.role !== 'admin') {
      throw new ReasonError(403, 'Only portal administrators can manage OAuth applications');
    }
    return user;
  }

  function existing(id: string): OAuthApp {
    const found = ctx.directory.oauthApp(id);
    if (!found) throw new ReasonError(404, `Client with id ${id} was not found`);
    return found;
  }

  const handle =
    (fn: (c: Context) => Promise<Response>) =>
    async (c: Context): Promise<Response> => {
      try {
        return await fn(c);
      } catch (e) {
        if (e instanceof ReasonError) return c.json({ reason: e.message }, e.status);
        throw e;
      }
    };

  async function jsonBody(c: Context): Promise<Body> {
    const body = await c.req.json().catch(() => undefined);
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw new ReasonError(400, 'Request body must be a JSON object');
    return body as Body;
  }

  app.get(
    '/scopes',
    handle(async (c) => {
      await caller(c, false);
      return c.json(SCOPES.map((s) => ({ name: s.name, group: s.group, type: s.type })));
    }),
  );

  app.post(
    '/clients',
    handle(async (c) => {
      const user = await caller(c, true);
      const body = await jsonBody(c);
      const created: OAuthApp = {
        clientId: randomUUID(),
        clientSecret: randomUUID(),
        name: str(body, 'name', { required: true, min: 3, max: 256 }) as string,
        description: str(body, 'description', { max: 255 }) ?? '',
        logo: str(body, 'logo', { required: true, pattern: LOGO_PATTERN }) as string,
        scopes: scopesOf(body),
        allowPkce: bool(body, 'allow_pkce') ?? false,
        isPublic: bool(body, 'is_public') ?? false,
        websiteUrl: str(body, 'website_url', { required: true, pattern: URL_PATTERN }) as string,
        termsUrl: str(body, 'terms_url', { required: true, pattern: URL_PATTERN }) as string,
        policyUrl: str(body, 'policy_url', { required: true, pattern: URL_PATTERN }) as string,
        redirectUris: urlList(body, 'redirect_uris', true) as string[],
        allowedOrigins: urlList(body, 'allowed_origins', true) as string[],
        logoutRedirectUri: str(body, 'logout_redirect_uri', { required: true }) as string,
        enabled: true,
        createdBy: user.id,
        created: new Date(ctx.now()),
      };
      ctx.directory.saveOAuthApp(created);
      return c.json(clientResponse(created, ctx.tenantId), 201);
    }),
  );

  function page(c: Context): { limit: number; after?: string } {
    const limit = Number(c.req.query('limit'));
    if (!Number.isInteger(limit) || limit < 1 || limit > 50)
      throw new ReasonError(400, 'limit must be between 1 and 50');
    return { limit, after: c.req.query('last_client_id') || undefined };
  }

  function listed(limit: number, after: string | undefined): OAuthApp[] {
    const all = ctx.directory
      .oauthApps()
      .sort((a, b) => b.created.getTime() - a.created.getTime() || a.clientId.localeCompare(b.clientId));
    const start = after ? all.findIndex((a) => a.clientId === after) + 1 : 0;
    return all.slice(start, start + limit);
  }

  app.get(
    '/clients',
    handle(async (c) => {
      await caller(c, true);
      const { limit, after } = page(c);
      const items = listed(limit, after);
      const last = items[items.length - 1];
      return c.json({
        data: items.map((a) => clientResponse(a, ctx.tenantId)),
        limit,
        ...(last ? { last_client_id: last.clientId, last_created_on: last.created.toISOString() } : {}),
      });
    }),
  );

  app.get(
    '/clients/info',
    handle(async (c) => {
      await caller(c, false);
      const { limit, after } = page(c);
      const items = listed(limit, after);
      const last = items[items.length - 1];
      return c.json({
        data: items.map(clientInfo),
        limit,
        ...(last ? { last_client_id: last.clientId, last_created_on: last.created.toISOString() } : {}),
      });
    }),
  );

  app.get(
    '/clients/:id',
    handle(async (c) => {
      await caller(c, true);
      return c.json(clientResponse(existing(c.req.param('id') as string), ctx.tenantId));
    }),
  );

  app.get(
    '/clients/:id/info',
    handle(async (c) => {
      await caller(c, false);
      return c.json(clientInfo(existing(c.req.param('id') as string)));
    }),
  );

  // Anonymous: the consent screen of a third-party portal needs it before anyone signs in.
  app.get(
    '/clients/:id/public/info',
    handle(async (c) => c.json(clientInfo(existing(c.req.param('id') as string)))),
  );

  app.put(
    '/clients/:id',
    handle(async (c) => {
      await caller(c, true);
      const current = existing(c.req.param('id') as string);
      const body = await jsonBody(c);
      ctx.directory.saveOAuthApp({
        ...current,
        name: str(body, 'name', { min: 3, max: 256 }) ?? current.name,
        description: str(body, 'description', { max: 255 }) ?? current.description,
        logo: str(body, 'logo', { pattern: LOGO_PATTERN }) ?? current.logo,
        allowPkce: bool(body, 'allow_pkce') ?? current.allowPkce,
        isPublic: bool(body, 'is_public') ?? current.isPublic,
        allowedOrigins: urlList(body, 'allowed_origins', false) ?? current.allowedOrigins,
      });
      return c.body(null, 200);
    }),
  );

  app.delete(
    '/clients/:id',
    handle(async (c) => {
      await caller(c, true);
      const id = c.req.param('id') as string;
      existing(id);
      ctx.directory.deleteOAuthApp(id);
      ctx.state.removeClient(id);
      return c.body(null, 200);
    }),
  );

  app.patch(
    '/clients/:id/regenerate',
    handle(async (c) => {
      await caller(c, true);
      const current = existing(c.req.param('id') as string);
      const updated = { ...current, clientSecret: randomUUID() };
      ctx.directory.saveOAuthApp(updated);
      return c.json({ client_secret: updated.clientSecret });
    }),
  );

  app.patch(
    '/clients/:id/activation',
    handle(async (c) => {
      await caller(c, true);
      const current = existing(c.req.param('id') as string);
      const body = await jsonBody(c);
      const status = bool(body, 'status');
      if (status === undefined) throw new ReasonError(400, 'status is required');
      ctx.directory.saveOAuthApp({ ...current, enabled: status });
      return c.body(null, 200);
    }),
  );

  // The signed-in user withdraws their consent: the app's tokens for them stop working.
  app.delete(
    '/clients/:id/revoke',
    handle(async (c) => {
      const user = await caller(c, false);
      const id = c.req.param('id') as string;
      existing(id);
      ctx.state.consents.delete(ctx.state.consentKey(id, user.id));
      for (const auth of ctx.state.authorizations.values()) {
        if (auth.clientId === id && auth.userId === user.id) {
          for (const t of [auth.code, auth.access, auth.refresh]) if (t) t.invalidated = true;
        }
      }
      return c.body(null, 200);
    }),
  );

  return app;
}
