// Sign-in for personal access tokens and API key management (reference/docspace-api.md §2.2–2.3).
import { Hono } from 'hono';
import { type Ctx, caller, dto, type Env, world } from '../http/env.js';
import { ok } from '../http/envelope.js';
import { arr, type Body, bool, int, readJson, str } from '../http/input.js';
import { apiDate } from '../portal/dto.js';
import { messages, PortalError, ValidationError } from '../portal/errors.js';
import type { ApiKey } from '../portal/types.js';

/** The scopes an API key may carry (`GET keys/permissions`). */
export const KEY_PERMISSIONS = [
  'files:read',
  'files:write',
  'rooms:read',
  'rooms:write',
  'accounts:read',
  'accounts:write',
  'accounts.self:read',
  'accounts.self:write',
  '*:read',
  '*:write',
];

/** AuthenticationTokenDto.expires is a plain DateTime with seven fraction digits. */
function dotnetDate(d: Date): string {
  return `${d.toISOString().slice(0, 19)}.${String(d.getUTCMilliseconds()).padStart(3, '0')}0000Z`;
}

/** Routes that answer without credentials: POST/GET authentication. */
export function signInRoutes() {
  const app = new Hono<Env>();
  app.post('/', async (c) => {
    const body = await readJson(c);
    const userName = str(body, 'userName') ?? '';
    const password = str(body, 'password') ?? '';
    const p = world(c).portal;
    const user = p.userByEmail(userName);
    if (!userName || !user || user.password !== password)
      throw new PortalError('unauthenticated', messages.authFailed);
    if (user.status !== 1) throw new PortalError('invalidOperation', 'The user is disabled');
    const t = p.issueToken(user.id);
    c.header('Set-Cookie', `asc_auth_key=${encodeURIComponent(t.token)}; Path=/; HttpOnly; SameSite=Lax`);
    // A session login (`session: true`) reports DateTime.MinValue as its expiry.
    const expires = bool(body, 'session') ? '0001-01-01T00:00:00' : dotnetDate(t.expires);
    return ok(c, { token: t.token, expires, sms: false, tfa: false });
  });
  return app;
}

export function authenticationRoutes() {
  const app = new Hono<Env>();
  app.post('/logout', (c) => {
    const h = c.req.header('authorization') ?? '';
    const cookieToken = /(?:^|;\s*)asc_auth_key=([^;]+)/.exec(c.req.header('cookie') ?? '')?.[1];
    const token = cookieToken ? decodeURIComponent(cookieToken) : h.replace(/^bearer /i, '');
    world(c).portal.tokens.delete(token);
    c.header('Set-Cookie', 'asc_auth_key=; Path=/; Max-Age=0');
    return ok(c, null);
  });
  return app;
}

function keyDto(c: Ctx, k: ApiKey, withSecret: boolean) {
  const d = dto(c);
  return {
    id: k.id,
    name: k.name,
    ...(withSecret ? { key: k.key } : {}),
    keyPostfix: k.key.slice(-4),
    permissions: k.permissions,
    createOn: apiDate(k.created),
    createBy: d.employee(k.userId),
    ...(k.expires ? { expiresAt: apiDate(k.expires) } : {}),
    isActive: true,
  };
}

export function keyRoutes() {
  const app = new Hono<Env>();
  app.get('/permissions', (c) => ok(c, KEY_PERMISSIONS));
  app.get('/', (c) => {
    const me = caller(c);
    const keys = [...world(c).portal.apiKeys.values()].filter((k) => k.userId === me.id);
    return ok(
      c,
      keys.map((k) => keyDto(c, k, false)),
    );
  });
  app.post('/', async (c) => {
    const body: Body = await readJson(c);
    const name = str(body, 'name');
    if (name === undefined) throw new ValidationError({ Name: ['The Name field is required.'] });
    if (name.length > 30) {
      throw new ValidationError({ Name: ['The field Name must be a string with a maximum length of 30.'] });
    }
    const permissions = arr(body, 'permissions').map(String);
    const unknown = permissions.find((p) => p !== '*' && !KEY_PERMISSIONS.includes(p));
    if (unknown) throw new PortalError('argument', `Invalid permission: ${unknown}`);
    const days = int(body, 'expiresInDays');
    if (days !== undefined && (days < 1 || days > 365)) {
      throw new ValidationError({ ExpiresInDays: ['The field ExpiresInDays must be between 1 and 365.'] });
    }
    const p = world(c).portal;
    const expires = days ? new Date(p.now().getTime() + days * 86400_000) : undefined;
    const k = p.addApiKey(caller(c).id, name, permissions, undefined, expires);
    return ok(c, keyDto(c, k, true));
  });
  app.delete('/:keyId', (c) => {
    const p = world(c).portal;
    const me = caller(c);
    const k = [...p.apiKeys.values()].find((x) => x.id === c.req.param('keyId') && x.userId === me.id);
    if (!k) throw new PortalError('notFound', messages.itemNotFound);
    p.apiKeys.delete(k.key);
    return ok(c, true);
  });
  return app;
}
