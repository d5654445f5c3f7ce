import { z } from 'zod';

/** JSON Schema as sent in `tools/list`. */
export type JsonSchema = Record<string, unknown>;

const SAFE_MAX = Number.MAX_SAFE_INTEGER;

const isEmptyObject = (v: unknown) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;

/**
 * Drops what costs bytes and tells a model nothing: the `$schema` URI on every tool and the
 * ±2^53 bounds zod puts on every integer. `tools/list` with every tool must stay under 25 KB.
 */
function compact(node: unknown, root: boolean, output = false): unknown {
  if (Array.isArray(node)) return node.map((n) => compact(n, false, output));
  if (node === null || typeof node !== 'object') return node;
  const src = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(src)) {
    if (key === '$schema') continue;
    // zod writes a union of scalars as a type array (`["number","string"]`), which some clients
    // refuse: an id that may be either is left untyped instead (any value).
    if (key === 'type' && Array.isArray(value)) continue;
    // Lower bounds of 0 and 1 (indexes, counts, non-empty text) go without saying; the tool
    // still checks them.
    if (key === 'minimum' && (value === -SAFE_MAX || value === 0 || value === 1)) continue;
    if ((key === 'minLength' || key === 'minItems') && value === 1) continue;
    if (key === 'maximum' && value === SAFE_MAX) continue;
    // `additionalProperties: {}` is the default; `false` only appears on output schemas,
    // where it constrains us, not the client.
    if (key === 'additionalProperties' && (value === false || isEmptyObject(value))) continue;
    if (key === 'properties' && isEmptyObject(value) && !root) continue;
    // zod spells out a regex for every `format` (email, date-time); the format name says it.
    if (key === 'pattern' && typeof src.format === 'string') continue;
    // Output `required` lists only bind us; the SDK still validates against the zod schema.
    if (output && key === 'required') continue;
    // A nested output object is recognisable by its `properties`.
    if (output && !root && key === 'type' && value === 'object' && src.properties !== undefined) continue;
    // An optional flag or list that is off or empty unless given says nothing with its default.
    if (key === 'default' && (value === false || value === 0 || (Array.isArray(value) && value.length === 0)))
      continue;
    // DocSpace's 170-character limit on names: the tool checks it, DocSpace would too.
    if (key === 'maxLength' && value === 170) continue;
    out[key] = compact(value, false, output);
  }
  if (root && out.type === undefined) out.type = 'object';
  return out;
}

const jsonCache = {
  input: new WeakMap<z.ZodType, JsonSchema>(),
  output: new WeakMap<z.ZodType, JsonSchema>(),
};

/**
 * Compact JSON Schema of a zod schema, computed once per schema and direction for the process
 * lifetime. Only the direction asked for: `tools/list` never needs the output form of an
 * input schema, and converting both doubled the first `tools/list` (cold start).
 */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  let json = jsonCache[io].get(schema);
  if (!json) {
    const raw = z.toJSONSchema(schema, { io, target: 'draft-2020-12' });
    json = compact(raw, true, io === 'output') as JsonSchema;
    jsonCache[io].set(schema, json);
  }
  return json;
}

const builtJson = {
  input: new WeakMap<z.ZodType, JsonSchema>(),
  output: new WeakMap<z.ZodType, JsonSchema>(),
};

/**
 * Lists `schema` with `json`, computed at build time (src/tools/listed.ts), instead of converting
 * it on the first `tools/list`: the conversion was ≈ 7 % of a stdio cold start.
 */
export function useBuiltJson(schema: z.ZodType, io: 'input' | 'output', json: JsonSchema): void {
  builtJson[io].set(schema, json);
}

/** The JSON Schema `tools/list` shows: the build-time one when there is one, else `jsonSchemaOf`. */
export function listedJsonOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  return builtJson[io].get(schema) ?? jsonSchemaOf(schema, io);
}

/**
 * The Standard Schema shape the SDK's `registerTool` accepts, backed by a zod schema for
 * validation and by the memoised JSON above for `tools/list`. The SDK converts schemas per
 * `McpServer` instance, and we build one instance per request, so the conversion must not
 * happen there.
 */
export interface WireSchema {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => ReturnType<z.ZodType['~standard']['validate']>;
    readonly jsonSchema: { readonly input: () => JsonSchema; readonly output: () => JsonSchema };
    readonly types?: undefined;
  };
}

const wireCache = new WeakMap<z.ZodType, WireSchema>();

export function wireSchema(schema: z.ZodType): WireSchema {
  let wire = wireCache.get(schema);
  if (!wire) {
    const std = schema['~standard'];
    wire = {
      '~standard': {
        version: 1,
        vendor: 'docspace-mcp',
        validate: (value) => std.validate(value),
        jsonSchema: {
          input: () => listedJsonOf(schema, 'input'),
          output: () => listedJsonOf(schema, 'output'),
        },
      },
    };
    wireCache.set(schema, wire);
  }
  return wire;
}

const lenientCache = new WeakMap<z.ZodType, WireSchema>();

/**
 * The input schema as registered with the SDK: listed like `wireSchema`, but every value passes
 * the SDK's check. The tool runner validates instead, so a call with bad arguments gets our
 * one-sentence message and is audited and counted like any other call.
 */
export function lenientInput(schema: z.ZodType): WireSchema {
  let wire = lenientCache.get(schema);
  if (!wire) {
    wire = {
      '~standard': {
        version: 1,
        vendor: 'docspace-mcp',
        validate: (value) => ({ value }),
        jsonSchema: {
          input: () => listedJsonOf(schema, 'input'),
          output: () => listedJsonOf(schema, 'output'),
        },
      },
    };
    lenientCache.set(schema, wire);
  }
  return wire;
}

/**
 * One sentence naming the first bad field, for an `isError` result a model can act on:
 * "Invalid argument `fileId`: expected a positive integer." Never a dump of zod internals.
 * An unknown argument is named with the ones the tool accepts (`accepted`, top level).
 */
export function describeIssues(error: z.ZodError, accepted?: readonly string[]): string {
  const unknown = error.issues.find((i) => i.code === 'unrecognized_keys');
  if (unknown && unknown.code === 'unrecognized_keys') {
    const where = unknown.path.length > 0 ? ` in \`${unknown.path.join('.')}\`` : '';
    const names = unknown.keys.map((k) => `\`${k}\``).join(', ');
    const known =
      unknown.path.length > 0 || !accepted
        ? ''
        : accepted.length === 0
          ? ' This tool takes no arguments.'
          : ` Accepted: ${accepted.join(', ')}.`;
    return `Unknown argument ${names}${where}.${known}`;
  }
  const parts = error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(arguments)';
    return `\`${path}\`: ${issue.message}`;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return `Invalid argument ${parts.join('; ')}${more}.`;
}

// Field builders shared by the toolsets. Descriptions are short on purpose: every byte is
// repeated in every client's context window.

/**
 * An entry id: DocSpace's own are integers, files and folders in connected third-party storage
 * have string ids. No description: the argument's name says what it is.
 */
export const anyId = z.union([
  z.number().int(),
  // A numeric string, or DocSpace's third-party form `{selector}-{providerId}[-{path}]`
  // (RegexDaoSelectorBase.cs), e.g. "box-3-|Reports/q1.docx". A title is not an id.
  z.string().refine((v) => /^(\d+|[a-z]+-\d+(-.*)?)$/s.test(v), {
    message: 'expected a number, or a third-party storage id such as "box-3-|docs/a.docx"',
  }),
]);
export const entityId = (what?: string) => (what ? anyId.describe(`${what} id`) : anyId);

/** Optional extra DTO fields on top of the compact default projection. */
export const fieldsArg = z.array(z.string()).optional().describe('Extra DTO fields');

export const pagingArgs = {
  startIndex: z.number().int().min(0).default(0),
  count: z.number().int().min(1).max(100).default(30),
};

export const searchArg = z.string().optional();

export const sortOrderArg = z.enum(['ascending', 'descending']).optional();

// Output records: what the projections in shape.ts produce (each also carries any `fields` asked
// for). Optional fields are left out of `required` rather than typed as null, which every client
// accepts (no JSON Schema type arrays). Kept lean: every byte is repeated in `tools/list`.
export const idOut = z.union([z.number(), z.string()]);
const str = z.string().optional();
const num = z.number().optional();
const kind = z.string().optional();

export const fileOut = z.looseObject({
  id: idOut,
  title: z.string(),
  folderId: idOut.optional(),
  version: num,
  size: num,
  updated: str,
  webUrl: str,
});

export const folderOut = z.looseObject({
  id: idOut,
  title: z.string(),
  kind,
  roomType: str,
  parentId: idOut.optional(),
  filesCount: num,
  foldersCount: num,
  updated: str,
});

/** An entry of a listing: a file, folder, room, person, member or link (`kind` says which). */
export const entryOut = z.looseObject({ id: idOut, title: z.string(), kind });

export const personOut = z.looseObject({ id: idOut, title: z.string(), email: str, role: str });

/** A room member (user or group) or a share link. */
export const shareOut = z.looseObject({ id: idOut, title: z.string(), kind, access: str, url: str });

/** Output of list tools: the page, the total, and where the next page starts (absent = last). */
export function listOutput(item: z.ZodType) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    nextStartIndex: z.number().int().optional(),
  });
}

/** `{ nextStartIndex }` when there is a next page, else nothing. */
export const nextPage = (next: number | null) => (next === null ? {} : { nextStartIndex: next });
