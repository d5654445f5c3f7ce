// People: @self, lists with filters, lookup by id or email (reference/docspace-api.md §2.6, §3.3).
import { Hono } from 'hono';
import { type Ctx, caller, dto, type Env, world } from '../http/env.js';
import { ok } from '../http/envelope.js';
import { qInt } from '../http/input.js';
import { denied, notFoundUser } from '../portal/errors.js';
import type { Role, User } from '../portal/types.js';
import { paging } from './paging.js';

/** EmployeeType: 1 RoomAdmin, 2 Guest, 3 DocSpaceAdmin, 4 User (owner counts as DocSpaceAdmin). */
const employeeType: Record<Role, number> = { owner: 3, admin: 3, roomAdmin: 1, guest: 2, user: 4 };
const employeeTypeNames: Record<string, number> = {
  all: 0,
  roomadmin: 1,
  guest: 2,
  docspaceadmin: 3,
  user: 4,
};

function typeParam(v: string): number | undefined {
  return /^\d+$/.test(v) ? Number(v) : employeeTypeNames[v.toLowerCase()];
}

function statusParam(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const names: Record<string, number> = { active: 1, terminated: 2, pending: 4, default: 5, all: 7 };
  return /^\d+$/.test(v) ? Number(v) : names[v.toLowerCase()];
}

/**
 * UserQueryHelper.FilterByText: without a separator every space-separated word must be in the
 * first name, last name or email; with `filterSeparator` any of the separated terms may be.
 */
function matches(u: User, text: string, separator?: string): boolean {
  const hit = (t: string) =>
    u.firstName.toLowerCase().includes(t) ||
    u.lastName.toLowerCase().includes(t) ||
    u.email.toLowerCase().includes(t);
  const processed = text.toLowerCase().trim();
  if (!separator) return processed.split(' ').every(hit);
  return processed.split(separator).some(hit);
}

/** Only DocSpace admins and room admins may list people (UserController.GetByFilterAsync). */
function assertCanList(c: Ctx) {
  const r = caller(c).role;
  if (r === 'user' || r === 'guest') throw denied();
}

function sortUsers(list: User[], sortBy: string | undefined, descending: boolean): User[] {
  const key = (sortBy ?? 'displayname').toLowerCase();
  const val = (u: User) =>
    key === 'firstname'
      ? u.firstName
      : key === 'lastname'
        ? u.lastName
        : key === 'email'
          ? u.email
          : `${u.firstName} ${u.lastName}`;
  const sorted = [...list].sort((a, b) => val(a).localeCompare(val(b)));
  return descending ? sorted.reverse() : sorted;
}

function listPeople(c: Ctx, base: User[]) {
  const d = dto(c);
  let list = base;
  const text = c.req.query('filterValue');
  const separator = c.req.query('filterSeparator') || undefined;
  if (text) list = list.filter((u) => matches(u, text, separator));
  const order = c.req.query('sortOrder')?.toLowerCase();
  list = sortUsers(list, c.req.query('sortBy'), order === 'descending' || order === '1');
  const { items, total } = paging(c, list);
  return ok(
    c,
    items.map((u) => d.employeeFull(u)),
    { total, count: items.length },
  );
}

export function peopleRoutes() {
  const app = new Hono<Env>();

  app.get('/@self', (c) => ok(c, dto(c).employeeFull(caller(c))));

  app.get('/email', (c) => {
    const u = world(c).portal.userByEmail(c.req.query('email') ?? '');
    if (!u) throw notFoundUser();
    return ok(c, dto(c).employeeFull(u));
  });

  app.get('/filter', (c) => {
    assertCanList(c);
    const p = world(c).portal;
    let list = [...p.users.values()];
    const status = statusParam(c.req.query('employeeStatus'));
    // "Pending" means invited and not yet activated; the stored status of such users is still Active.
    if (status === 4) list = list.filter((u) => u.activationStatus === 2);
    else if (status !== undefined && status !== 7 && status !== 5)
      list = list.filter((u) => u.status === status && u.activationStatus !== 2);
    const activation = qInt(c, 'activationStatus');
    if (activation !== undefined) list = list.filter((u) => u.activationStatus === activation);
    const types = [...(c.req.queries('employeeType') ?? []), ...(c.req.queries('employeeTypes') ?? [])]
      .map(typeParam)
      .filter((t): t is number => t !== undefined && t !== 0);
    if (types.length) list = list.filter((u) => types.includes(employeeType[u.role]));
    const admins = c.req.query('isAdministrator');
    if (admins === 'true') list = list.filter((u) => u.role === 'owner' || u.role === 'admin');
    return listPeople(c, list);
  });

  app.get('/simple/filter', (c) => {
    assertCanList(c);
    const d = dto(c);
    let list = [...world(c).portal.users.values()];
    const text = c.req.query('filterValue');
    const separator = c.req.query('filterSeparator') || undefined;
    if (text) list = list.filter((u) => matches(u, text, separator));
    const { items, total } = paging(c, sortUsers(list, c.req.query('sortBy'), false));
    return ok(
      c,
      items.map((u) => d.employee(u.id)),
      { total, count: items.length },
    );
  });

  app.get('/search', (c) => {
    assertCanList(c);
    const q = c.req.query('query') ?? '';
    return listPeople(
      c,
      [...world(c).portal.users.values()].filter((u) => matches(u, q)),
    );
  });

  app.get('/@search/:query', (c) => {
    assertCanList(c);
    const q = c.req.param('query');
    return listPeople(
      c,
      [...world(c).portal.users.values()].filter((u) => matches(u, q)),
    );
  });

  app.get('/', (c) => {
    assertCanList(c);
    return listPeople(
      c,
      [...world(c).portal.users.values()].filter((u) => u.status === 1),
    );
  });

  app.get('/:userid', (c) => {
    const p = world(c).portal;
    const id = c.req.param('userid');
    const u = p.users.get(id) ?? p.userByEmail(id);
    if (!u) throw notFoundUser();
    if (caller(c).role === 'guest' && u.id !== caller(c).id) throw denied();
    return ok(c, dto(c).employeeFull(u));
  });

  return app;
}
