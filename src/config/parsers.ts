import { z } from 'zod';

/**
 * Value parsers shared by every setting. Each takes the raw string from the environment or a
 * flag (undefined when unset) and yields the typed value. The rules follow the reference
 * server's, so existing deployments keep working: booleans accept yes/no/true/false/1/0,
 * lists are comma-separated, trimmed and de-duplicated, base URLs get a trailing slash.
 */

/**
 * What kind of value a parser yields, for `--help` and the docs: booleans take `--flag` alone and
 * `--no-flag`; sizes show their default as `48MB`. Read off the parser's default, except where
 * the default cannot tell (a yes/no without one, a size): those parsers register their kind.
 */
export type Kind = 'boolean' | 'number' | 'bytes' | 'string' | 'list';
const KINDS = new WeakMap<z.ZodType, Kind>();

export function kindOf(schema: z.ZodType): Kind {
  const known = KINDS.get(schema);
  if (known) return known;
  const fallback = schema.safeParse(undefined);
  const value: unknown = fallback.success ? fallback.data : undefined;
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return 'number';
  return Array.isArray(value) ? 'list' : 'string';
}

function kind<S extends z.ZodType>(k: Kind, schema: S): S {
  KINDS.set(schema, k);
  return schema;
}

const TRUE = new Set(['yes', 'y', 'true', '1', 'on']);
const FALSE = new Set(['no', 'n', 'false', '0', 'off', '']);

export function bool(fallback: boolean) {
  return optionalBool().transform((v) => v ?? fallback);
}

/** A yes/no value whose default depends on other settings: undefined when unset. */
export function optionalBool() {
  return kind(
    'boolean',
    z
      .string()
      .optional()
      .transform((raw, ctx) => {
        if (raw === undefined) return undefined;
        const v = raw.trim().toLowerCase();
        if (TRUE.has(v)) return true;
        if (FALSE.has(v)) return false;
        ctx.addIssue({ code: 'custom', message: `"${raw}" is not a boolean; use yes or no` });
        return z.NEVER;
      }),
  );
}

export function int(fallback: number, opts: { min?: number; max?: number } = {}) {
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = opts;
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const v = raw.trim();
      if (!/^-?\d+$/.test(v)) {
        ctx.addIssue({ code: 'custom', message: `"${raw}" is not a whole number` });
        return z.NEVER;
      }
      const n = Number(v);
      if (n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `${n} is out of range; use a number from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });
}

/** A size in bytes; accepts plain numbers or a KB/MB/GB suffix (binary multiples). */
export function bytes(fallback: number) {
  return kind(
    'bytes',
    z
      .string()
      .optional()
      .transform((raw, ctx) => {
        if (raw === undefined || raw.trim() === '') return fallback;
        const m = /^(\d+)\s*(b|kb|k|mb|m|gb|g)?$/i.exec(raw.trim());
        if (!m) {
          ctx.addIssue({
            code: 'custom',
            message: `"${raw}" is not a size; use bytes or a suffix like 16MB`,
          });
          return z.NEVER;
        }
        const unit = (m[2] ?? 'b').toLowerCase()[0];
        const scale = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
        const n = Number(m[1]) * scale;
        if (n < 1024) {
          ctx.addIssue({ code: 'custom', message: `${n} bytes is too small; use at least 1KB` });
          return z.NEVER;
        }
        return n;
      }),
  );
}

export function str(fallback = '') {
  return z
    .string()
    .optional()
    .transform((raw) => (raw === undefined ? fallback : raw.trim()));
}

export function oneOf<const T extends readonly string[]>(values: T, fallback: T[number]) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T[number] => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const v = raw.trim().toLowerCase();
      if ((values as readonly string[]).includes(v)) return v as T[number];
      ctx.addIssue({ code: 'custom', message: `"${raw}" is not one of ${values.join(', ')}` });
      return z.NEVER;
    });
}

/**
 * An absolute http(s) URL without query or fragment, normalised with a trailing slash so that
 * relative paths resolve under it. Empty means unset.
 */
export function baseUrl() {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return '';
      let url: URL;
      try {
        url = new URL(raw.trim());
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: `"${raw}" is not a URL; use e.g. https://portal.example.com`,
        });
        return z.NEVER;
      }
      const problems: string[] = [];
      if (url.protocol !== 'http:' && url.protocol !== 'https:')
        problems.push('it must start with http:// or https://');
      if (url.search) problems.push('it must not have a ?query');
      if (url.hash) problems.push('it must not have a #fragment');
      if (url.username || url.password) problems.push('it must not contain a user name or password');
      if (problems.length > 0) {
        ctx.addIssue({ code: 'custom', message: `"${raw}": ${problems.join('; ')}` });
        return z.NEVER;
      }
      if (!url.pathname.endsWith('/')) url.pathname += '/';
      return url.href;
    });
}

function splitList(raw: string): string[] {
  const seen = new Set<string>();
  for (const part of raw.split(',')) {
    const v = part.trim();
    if (v) seen.add(v);
  }
  return [...seen];
}

/** A comma-separated list; `lower` folds case (names, hostnames). */
export function list(fallback: readonly string[], opts: { lower?: boolean } = {}) {
  return z
    .string()
    .optional()
    .transform((raw) => {
      if (raw === undefined) return [...fallback];
      return splitList(opts.lower ? raw.toLowerCase() : raw);
    });
}

/** A list of bare hostnames (no scheme, port or path), as the Host allow-list needs. */
export function hostnames(fallback: readonly string[]) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return [...fallback];
      const out: string[] = [];
      for (const item of splitList(raw.toLowerCase())) {
        const ipv6 = /^\[[0-9a-f:.]+\]$/.test(item);
        if (!ipv6 && !/^[a-z0-9*]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(item)) {
          ctx.addIssue({
            code: 'custom',
            message: `"${item}" is not a bare hostname; drop any scheme, port or path (e.g. mcp.example.com)`,
          });
          continue;
        }
        out.push(item);
      }
      return out;
    });
}

/** A list of origins (`scheme://host[:port]`) or `*`. */
export function origins(fallback: readonly string[]) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return [...fallback];
      const out: string[] = [];
      for (const item of splitList(raw)) {
        if (item === '*') {
          out.push(item);
          continue;
        }
        try {
          const url = new URL(item);
          if (url.origin === 'null' || url.href.replace(/\/$/, '') !== url.origin)
            throw new Error('not an origin');
          out.push(url.origin);
        } catch {
          ctx.addIssue({
            code: 'custom',
            message: `"${item}" is not an origin; use scheme://host[:port] or *`,
          });
        }
      }
      return out;
    });
}
