// The emulator's HTTP surface: faults first, then the OAuth server's paths, the non-enveloped
// handlers (.ashx), the admin routes and the REST API under /api/2.0.
import { type Context, Hono } from 'hono';
import { rootPage } from './oauth/pages.js';
import type { FaultController, FaultOptions } from './faults.js';
import { ANONYMOUS, type ApiAuth, allowsAnonymous, isApiKeyRequest, scopeAllows } from './http/auth.js';
import type { Env } from './http/env.js';
import { errorBody, errorResponse, HttpStatusError, ok } from './http/envelope.js';
import { readJson } from './http/input.js';
import type { World } from './portal/world.js';
import { authenticationRoutes, keyRoutes, signInRoutes } from './routes/authentication.js';
import { fileHandler } from './routes/filehandler.js';
import { registerFileOps } from './routes/fileops.js';
import { registerFiles } from './routes/files.js';
import { registerFolderContent, registerFolderSections, registerFolders } from './routes/folders.js';
import { peopleRoutes } from './routes/people.js';
import { registerRooms } from './routes/rooms.js';
import { chunkedUploader, registerUploads } from './routes/upload.js';

/** Something that answers HTTP requests, e.g. the OAuth server's Hono app. */
export interface FetchHandler {
  fetch(req: Request): Response | Promise<Response>;
}

export interface AppDeps {
  world: () => World;
  auth: ApiAuth;
  faults: FaultController;
  admin: boolean;
  reset: () => void;
  /** The OAuth server: it answers the paths it names (/oauth2/*, /.well-known/*, /api/2.0/clients*, …). */
  oauth?: { app: FetchHandler; paths: RegExp };
}

function filesApi(): Hono<Env> {
  const files = new Hono<Env>();
  registerFolderSections(files);
  registerRooms(files);
  registerFileOps(files);
  registerFiles(files);
  registerUploads(files);
  registerFolders(files);
  registerFolderContent(files);
  return files;
}

function adminRoutes(deps: AppDeps): Hono {
  const admin = new Hono();
  admin.get('/faults', (c) => c.json(deps.faults.current));
  const setFaults = async (c: Context) => {
    const body = (await readJson(c)) as FaultOptions;
    deps.faults.set(body);
    return c.json(deps.faults.current);
  };
  admin.put('/faults', setFaults);
  admin.post('/faults', setFaults);
  admin.delete('/faults', (c) => {
    deps.faults.set({});
    return c.json({});
  });
  admin.post('/reset', (c) => {
    deps.reset();
    return c.json({ ok: true });
  });
  return admin;
}

export function createApp(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  app.onError((err, c) => errorResponse(c, err));
  app.notFound((c) => c.json(errorBody('Not found', 404), 404));
  app.use('*', deps.faults.middleware());

  if (deps.oauth) {
    const oauth = deps.oauth;
    app.use('*', async (c, next) => {
      if (oauth.paths.test(new URL(c.req.url).pathname)) return oauth.app.fetch(c.req.raw);
      return next();
    });
  }

  if (deps.admin) app.route('/__emulator', adminRoutes(deps));
  app.get('/', (c) => c.html(rootPage()));

  app.post('/ChunkedUploader.ashx', (c) => chunkedUploader(deps.world, deps.auth)(c));
  app.get('/filehandler.ashx', (c) => fileHandler(deps.world, deps.auth)(c));

  const api = new Hono<Env>();
  api.use('*', async (c, next) => {
    c.set('world', deps.world());
    await next();
  });
  api.get('/authentication', async (c) =>
    ok(c, (await deps.auth.resolve(c.req.raw).catch(() => undefined)) !== undefined),
  );
  api.route('/authentication', signInRoutes());
  api.use('*', async (c, next) => {
    const method = c.req.method;
    const path = new URL(c.req.url).pathname;
    // BasicAuthHandler adds the challenge header to every Basic request, answered 200 or not.
    if (c.req.header('authorization')?.startsWith('Basic ')) c.header('WWW-Authenticate', 'Basic');
    if (allowsAnonymous(method, path)) {
      // Authorization is skipped: failed credentials leave the caller anonymous, and OAuth scopes are
      // not checked. Only API-key requests meet a scope check here (ApiKeyScopesFilter.cs), and a key
      // that failed to authenticate has no scopes: a bare 403.
      const principal = await deps.auth.resolve(c.req.raw).catch(() => undefined);
      if (isApiKeyRequest(c.req.raw) && !scopeAllows(principal?.scopes ?? [], method, path))
        throw new HttpStatusError(403);
      c.set('principal', principal ?? { user: ANONYMOUS, kind: 'token', scopes: [] });
      return next();
    }
    const principal = await deps.auth.resolve(c.req.raw);
    if (!principal) throw new HttpStatusError(401);
    // Scopes bind OAuth tokens and API keys; logins carry `*:write` (reference/docspace-api.md §2.5).
    if (!scopeAllows(principal.scopes, method, path)) throw new HttpStatusError(403);
    c.set('principal', principal);
    await next();
  });
  api.route('/authentication', authenticationRoutes());
  api.route('/keys', keyRoutes());
  api.route('/people', peopleRoutes());
  api.route('/files', filesApi());
  app.route('/api/2.0', api);
  return app;
}
