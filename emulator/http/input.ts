// Request reading with DocSpace's binding rules: numbers may come as strings, wrong types and malformed
// JSON give ASP.NET's validation problem, oversized bodies are refused without buffering them whole.
import type { Context } from 'hono';
import { PortalError, ValidationError } from '../portal/errors.js';

export const JSON_LIMIT = 1024 * 1024;
export const MULTIPART_LIMIT = 64 * 1024 * 1024;

export type Body = Record<string, unknown>;

export async function readBytes(c: Context, limit: number): Promise<Uint8Array> {
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > limit) throw new PortalError('argument', 'Request body too large', 413);
  const stream = c.req.raw.body;
  if (!stream) return new Uint8Array();
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new PortalError('argument', 'Request body too large', 413);
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** System.Text.Json's wording for where a body stops being JSON. */
function jsonErrorText(text: string, err: unknown): string {
  const message = err instanceof Error ? err.message : '';
  const token = /Unexpected token '(.)'/.exec(message)?.[1];
  const at = /position (\d+)/.exec(message) ?? (token ? [token, String(text.indexOf(token))] : null);
  if (!at) {
    return `Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed. Path: $ | LineNumber: 0 | BytePositionInLine: ${text.length}.`;
  }
  const pos = Number(at[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length - 1;
  const column = pos - (before.lastIndexOf('\n') + 1);
  return `'${text[pos] ?? ''}' is an invalid start of a value. Path: $ | LineNumber: ${line} | BytePositionInLine: ${column}.`;
}

/** The JSON object body; absent or empty → `{}` (DocSpace binds defaults). */
export async function readJson(c: Context): Promise<Body> {
  const bytes = await readBytes(c, JSON_LIMIT);
  const text = new TextDecoder().decode(bytes).trim();
  if (!text) return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new ValidationError({ $: [jsonErrorText(text, err)], inDto: ['The inDto field is required.'] });
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    throw new ValidationError({
      $: [
        'The JSON value could not be converted to the request type. Path: $ | LineNumber: 0 | BytePositionInLine: 1.',
      ],
    });
  }
  return v as Body;
}

function typeError(path: string, netType: string): ValidationError {
  return new ValidationError({
    [`$.${path}`]: [
      `The JSON value could not be converted to ${netType}. Path: $.${path} | LineNumber: 0 | BytePositionInLine: 1.`,
    ],
  });
}

export function str(b: Body, key: string): string | undefined {
  const v = b[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw typeError(key, 'System.String');
  return v;
}

/** int32 from a number or a numeric string (AllowReadingFromString). */
export function int(b: Body, key: string): number | undefined {
  const v = b[key];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || Math.abs(n) > 2 ** 31)
    throw typeError(key, 'System.Int32');
  return n;
}

export function bool(b: Body, key: string): boolean | undefined {
  const v = b[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw typeError(key, 'System.Boolean');
  return v;
}

export function arr(b: Body, key: string): unknown[] {
  const v = b[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw typeError(key, 'System.Collections.Generic.IEnumerable');
  return v;
}

/** An id list element: int ids as numbers or numeric strings. */
export function intList(b: Body, key: string): number[] {
  return arr(b, key).map((x, i) => {
    const n = typeof x === 'string' && x.trim() !== '' ? Number(x) : x;
    if (typeof n !== 'number' || !Number.isInteger(n)) throw typeError(`${key}[${i}]`, 'System.Int32');
    return n;
  });
}

/** An enum value given as a number or its name (for the few DTO properties that accept names). */
export function enumValue(v: unknown, names: Record<string, number>, path: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string') {
    if (/^\d+$/.test(v)) return Number(v);
    const hit = Object.entries(names).find(([k]) => k.toLowerCase() === v.toLowerCase());
    if (hit) return hit[1];
  }
  throw typeError(path, 'the enum type');
}

/** A query int; unparseable → the MVC binding error for that parameter. */
export function qInt(c: Context, key: string): number | undefined {
  const v = c.req.query(key);
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) {
    throw new ValidationError({
      [key]: [`The value '${v}' is not valid for ${key[0]?.toUpperCase()}${key.slice(1)}.`],
    });
  }
  return n;
}

/** A query enum: MVC model binding takes the number or the member name (any case). */
export function qEnum(c: Context, key: string, names: Record<string, number>): number | undefined {
  const v = c.req.query(key);
  if (v === undefined || v === '') return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  const hit = Object.entries(names).find(([k]) => k.toLowerCase() === v.toLowerCase());
  if (hit) return hit[1];
  throw new ValidationError({
    [key]: [`The value '${v}' is not valid for ${key[0]?.toUpperCase()}${key.slice(1)}.`],
  });
}

export function qBool(c: Context, key: string): boolean | undefined {
  const v = c.req.query(key)?.toLowerCase();
  if (v === undefined || v === '') return undefined;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new ValidationError({ [key]: [`The value '${v}' is not valid.`] });
}

/** A path id segment; non-numeric ids do not match DocSpace's int routes and end in 404. */
export function pathId(c: Context, key: string, notFound: () => Error): number {
  const raw = c.req.param(key) ?? '';
  if (!/^-?\d+$/.test(raw)) throw notFound();
  return Number(raw);
}

/** A multipart body, size-capped before parsing. Not multipart → the binding error DocSpace gives. */
export async function readForm(c: Context, limit = MULTIPART_LIMIT): Promise<FormData> {
  const type = c.req.header('content-type') ?? '';
  const bytes = await readBytes(c, limit);
  if (!/^multipart\/form-data/i.test(type) && !/^application\/x-www-form-urlencoded/i.test(type)) {
    throw new PortalError('argument', 'Incorrect Content-Type: expected multipart/form-data');
  }
  try {
    return await new Request('http://local/', {
      method: 'POST',
      headers: { 'content-type': type },
      body: bytes,
    }).formData();
  } catch {
    throw new PortalError('argument', 'The multipart body could not be read');
  }
}

/** The uploaded file parts of a form (fields named `file`, `files` or anything carrying a Blob). */
export function formFiles(form: FormData): globalThis.File[] {
  const out: globalThis.File[] = [];
  for (const [, v] of form.entries()) if (typeof v !== 'string') out.push(v);
  return out;
}
