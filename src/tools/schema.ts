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
  // `anyOf: [{type: X}, {type: 'null'}]` (zod's nullable) says the same as `type: [X, 'null']`.
  const any = Array.isArray(src.anyOf) ? (compact(src.anyOf, false, output) as unknown[]) : undefined;
  if (Array.isArray(any) && any.length === 2 && Object.keys(src).length === 1) {
    const [a, b] = any as Record<string, unknown>[];
    if (
      Object.keys(a ?? {}).length === 1 &&
      typeof a?.type === 'string' &&
      b?.type === 'null' &&
      Object.keys(b).length === 1
    ) {
      return { type: [a.type, 'null'] };
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(src)) {
    if (key === '$schema') continue;
    if (key === 'minimum' && value === -SAFE_MAX) continue;
    if (key === 'maximum' && value === SAFE_MAX) continue;
    // `additionalProperties: {}` is the default; `false` only appears on output schemas,
    // where it constrains us, not the client.
    if (key === 'additionalProperties' && (value === false || isEmptyObject(value))) continue;
    if (key === 'properties' && isEmptyObject(value) && !root) continue;
    // zod spells out a regex for every `format` (email, date-time); the format name says it.
    if (key === 'pattern' && typeof src.format === 'string') continue;
    // Output `required` lists only bind us; the SDK still validates against the zod schema.
    if (output && key === 'required') continue;
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
          input: () => jsonSchemaOf(schema, 'input'),
          output: () => jsonSchemaOf(schema, 'output'),
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
          input: () => jsonSchemaOf(schema, 'input'),
          output: () => jsonSchemaOf(schema, 'output'),
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
 */
export function describeIssues(error: z.ZodError): string {
  const parts = error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(arguments)';
    return `\`${path}\`: ${issue.message}`;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return `Invalid argument ${parts.join('; ')}${more}.`;
}

// Field builders shared by the toolsets. Descriptions are short on purpose: every byte is
// repeated in every client's context window.

export const entityId = (what: string) => z.number().int().describe(`${what} id`);

/** Optional extra DTO fields on top of the compact default projection. */
export const fieldsArg = z.array(z.string()).optional().describe('Extra DocSpace fields, e.g. createdBy');

export const pagingArgs = {
  startIndex: z.number().int().min(0).default(0),
  count: z.number().int().min(1).max(100).default(30),
};

export const searchArg = z.string().optional().describe('Text the title must contain');

/** Output of list tools: the page, the total, and where the next page starts (null = last). */
export function listOutput(item: z.ZodType) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    nextStartIndex: z.number().int().nullable(),
  });
}

/**
 * A projected entry (id, title, kind, …, plus whatever `fields` asked for). Declared as a bare
 * object: spelling out the projection in every output schema would cost ~3 KB of `tools/list`.
 */
export const entityOut = z.looseObject({});
