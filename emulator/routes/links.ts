// External share links for files, folders and rooms (FileShareDto with `sharedLink`).

import { type Ctx, caller, dto, world } from '../http/env.js';
import { ok } from '../http/envelope.js';
import { type Body, bool, enumValue, readJson, str } from '../http/input.js';
import { denied, PortalError, ValidationError } from '../portal/errors.js';
import { Access, type Entry, type ShareLink } from '../portal/types.js';
import { paging } from './paging.js';

function expiration(body: Body): Date | undefined {
  const raw = body.expirationDate;
  if (raw === undefined || raw === null) return undefined;
  const s =
    typeof raw === 'string'
      ? raw
      : typeof raw === 'object'
        ? (raw as { utcTime?: unknown }).utcTime
        : undefined;
  const d = typeof s === 'string' ? new Date(s) : undefined;
  if (!d || Number.isNaN(d.getTime())) {
    throw new ValidationError({
      '$.expirationDate': ['The JSON value could not be converted to ASC.Api.Core.ApiDateTime.'],
    });
  }
  return d;
}

function accessParam(body: Body, fallback: number): number {
  const a = enumValue(body.access, Access, 'access') ?? fallback;
  if (a < 0 || a > 11)
    throw new ValidationError({
      '$.access': ['The JSON value could not be converted to ASC.Files.Core.Security.FileShare.'],
    });
  return a;
}

export interface LinkPolicy {
  canRead: boolean;
  canEdit: boolean;
  /** Access a new link gets when the request names none. */
  defaultAccess: number;
}

/** The primary external link, created on first request like DocSpace does. */
export function primaryLink(c: Ctx, entry: Entry, policy: LinkPolicy): ShareLink | undefined {
  if (!policy.canRead) throw denied();
  const existing = entry.links.find((l) => l.primary && l.linkType === 1);
  if (existing || !policy.canEdit) return existing;
  const link = world(c).portal.newLink(caller(c).id, {
    access: policy.defaultAccess,
    linkType: 1,
    primary: true,
    title: 'Shared link',
  });
  entry.links.unshift(link);
  return link;
}

export function sendLink(c: Ctx, link: ShareLink | undefined, policy: LinkPolicy) {
  return ok(c, link ? dto(c).linkShare(link, policy.canEdit) : null);
}

export function listLinks(c: Ctx, entry: Entry, policy: LinkPolicy, linkType?: number) {
  if (!policy.canRead) throw denied();
  const d = dto(c);
  const all = entry.links.filter((l) => linkType === undefined || l.linkType === linkType);
  const { items, total } = paging(c, all);
  return ok(
    c,
    items.map((l) => d.linkShare(l, policy.canEdit)),
    { total, count: items.length },
  );
}

/** Create (no linkId), update, or revoke (access 0) a link. */
export async function upsertLink(c: Ctx, entry: Entry, policy: LinkPolicy, forcedType?: 0 | 1) {
  if (!policy.canEdit) throw denied();
  const body = await readJson(c);
  const p = world(c).portal;
  const linkId = str(body, 'linkId');
  const linkType = (forcedType ??
    enumValue(body.linkType, { Invitation: 0, External: 1 }, 'linkType') ??
    1) as 0 | 1;
  const title = str(body, 'title');
  if (title !== undefined && title.length > 255) {
    throw new ValidationError({ Title: ['The field Title must be a string with a maximum length of 255.'] });
  }
  const expires = expiration(body);
  if (!linkId) {
    const access = accessParam(body, policy.defaultAccess);
    const link = p.newLink(caller(c).id, {
      access,
      linkType,
      primary: (bool(body, 'primary') ?? false) || !entry.links.some((l) => l.primary),
      internal: bool(body, 'internal') ?? false,
      denyDownload: bool(body, 'denyDownload') ?? false,
      title: title ?? 'Shared link',
      password: str(body, 'password'),
      expirationDate: expires,
    });
    entry.links.push(link);
    return sendLink(c, link, policy);
  }
  const link = entry.links.find((l) => l.id === linkId);
  if (!link) throw new PortalError('notFound', 'The link was not found');
  const access = accessParam(body, link.access);
  if (access === Access.None) {
    entry.links.splice(entry.links.indexOf(link), 1);
    return ok(c, { ...dto(c).linkShare(link, true), access: 0 });
  }
  link.access = access;
  if (title !== undefined) link.title = title;
  if (expires) link.expirationDate = expires;
  const internal = bool(body, 'internal');
  if (internal !== undefined) link.internal = internal;
  const deny = bool(body, 'denyDownload');
  if (deny !== undefined) link.denyDownload = deny;
  const password = str(body, 'password');
  if (password !== undefined) link.password = password || undefined;
  return sendLink(c, link, policy);
}
