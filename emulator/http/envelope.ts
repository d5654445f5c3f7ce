// DocSpace's response envelopes (reference/docspace-api.md §1.1–1.3).
import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { PortalError, ValidationError } from '../portal/errors.js';

export interface SendOptions {
  /** Envelope `count` when the controller sets it (ApiContext.SetCount). */
  count?: number;
  /** Envelope `total`, present only where DocSpace sets it. */
  total?: number;
  status?: number;
}

function links(c: Context) {
  return [{ href: c.req.url, action: c.req.method }];
}

/** DocSpace's MVC JSON options omit null properties (WhenWritingNull); array slots stay. */
function omitNulls(this: unknown, _key: string, value: unknown): unknown {
  return value === null && !Array.isArray(this) ? undefined : value;
}

type FieldTree = Map<string, FieldTree>;

/** `fields=a,b.c` / repeated `fields=` / `fields[]=` → a selector tree. Empty → no projection. */
export function fieldTree(c: Context): FieldTree | undefined {
  const raw = [...(c.req.queries('fields') ?? []), ...(c.req.queries('fields[]') ?? [])];
  const names = raw
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  return names.length === 0 ? undefined : selectorTree(names);
}

/** Field names, dotted for nesting (`createdBy.displayName`), as a tree of selectors. */
export function selectorTree(names: readonly string[]): FieldTree {
  const root: FieldTree = new Map();
  for (const n of names) {
    let node = root;
    for (const part of n.split('.')) {
      let next = node.get(part);
      if (!next) {
        next = new Map();
        node.set(part, next);
      }
      node = next;
    }
  }
  return root;
}

/**
 * Applies a `fields` tree inside `response`. Names are the camelCase JSON names and match exactly,
 * as DocSpace compares them ordinally (DynamicIgnoreResolver.cs); arrays apply per element.
 */
export function project(v: unknown, tree: FieldTree): unknown {
  if (tree.size === 0) return v;
  if (Array.isArray(v)) return v.map((x) => project(x, tree));
  if (!v || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const sub = tree.get(k);
    if (sub) out[k] = project(x, sub);
  }
  return out;
}

export function ok(c: Context, response: unknown, opts: SendOptions = {}): Response {
  const tree = fieldTree(c);
  const body = tree ? project(response, tree) : response;
  const status = opts.status ?? 200;
  const count =
    opts.count ??
    (Array.isArray(response) ? response.length : response === undefined || response === null ? 0 : 1);
  const env: Record<string, unknown> = { response: body, count };
  if (opts.total !== undefined) env.total = opts.total;
  env.links = links(c);
  env.status = 0;
  env.statusCode = status;
  return c.body(JSON.stringify(env, omitNulls), status as 200, {
    'Content-Type': 'application/json; charset=UTF-8',
  });
}

/** The exception envelope; nulls are kept because DocSpace writes it with the default JSON options. */
export function errorBody(message: string, status: number) {
  return { error: { message, type: null, stack: null, hresult: 0 }, status: 1, statusCode: status };
}

export function fail(c: Context, message: string, status: number): Response {
  return c.json(errorBody(message, status), status as 400);
}

/** ASP.NET's ValidationProblemDetails, wrapped as a success-shaped envelope with `status: 1`. */
export function validationProblem(c: Context, errors: Record<string, string[]>): Response {
  const env = {
    response: {
      type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1',
      title: 'One or more validation errors occurred.',
      status: 400,
      errors,
      traceId: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-00`,
    },
    count: 1,
    links: links(c),
    status: 1,
    statusCode: 400,
  };
  return c.json(env, 400);
}

/** Turns anything thrown by a route into DocSpace's error shape; never rethrows. */
export function errorResponse(c: Context, err: unknown): Response {
  if (err instanceof ValidationError) return validationProblem(c, err.errors);
  if (err instanceof PortalError) return fail(c, err.message, err.status);
  if (err instanceof HttpStatusError) return err.toResponse(c);
  return fail(c, err instanceof Error ? err.message : 'Internal error', 500);
}

/** A bare status with no body (DocSpace's authentication and scope failures, §1.4). */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
    this.name = 'HttpStatusError';
  }
  toResponse(c: Context): Response {
    for (const [k, v] of Object.entries(this.headers)) c.header(k, v);
    return c.body(null, this.status as 401);
  }
}
