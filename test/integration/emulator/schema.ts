// A small validator for the JSON-schema subset DocSpace's OpenAPI file uses, with the file's own
// conventions: `allOf` parts each say `additionalProperties: false`, so unknown keys are checked
// against the union of all parts; `x-derived-types` means "one of these concrete DTOs"; an enum
// written as `oneOf` string|integer must be the integer on the wire (responses carry numbers).
import { readFileSync } from 'node:fs';

export type Schema = Record<string, unknown>;

export interface SchemaDoc {
  info: Record<string, unknown>;
  paths: Record<string, string>;
  schemas: Record<string, Schema>;
}

export function loadExtract(): SchemaDoc {
  const url = new URL('../../../../test/fixtures/openapi/docspace-3.6.0.extract.json', import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as SchemaDoc;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class Validator {
  constructor(private readonly schemas: Record<string, Schema>) {}

  /** Error messages with JSON paths; empty when the value conforms. */
  validate(value: unknown, schema: Schema | string, path = '$'): string[] {
    const s = typeof schema === 'string' ? this.ref(schema) : schema;
    return this.check(value, s, path);
  }

  private ref(name: string): Schema {
    const s = this.schemas[name.replace('#/components/schemas/', '')];
    if (!s) throw new Error(`unknown schema ${name}`);
    return s;
  }

  private deref(s: Schema): Schema {
    return typeof s.$ref === 'string' ? this.deref(this.ref(s.$ref)) : s;
  }

  /** Properties of a schema including every allOf part. */
  private properties(s: Schema): Record<string, Schema> {
    const d = this.deref(s);
    const own = (d.properties as Record<string, Schema> | undefined) ?? {};
    const parts = ((d.allOf as Schema[] | undefined) ?? []).map((p) => this.properties(p));
    return Object.assign({}, ...parts, own);
  }

  private required(s: Schema): string[] {
    const d = this.deref(s);
    return [
      ...((d.required as string[] | undefined) ?? []),
      ...((d.allOf as Schema[] | undefined) ?? []).flatMap((p) => this.required(p)),
    ];
  }

  private closed(s: Schema): boolean {
    const d = this.deref(s);
    return (
      d.additionalProperties === false ||
      ((d.allOf as Schema[] | undefined) ?? []).some((p) => this.closed(p))
    );
  }

  private check(value: unknown, raw: Schema, path: string): string[] {
    const s = this.deref(raw);
    if (value === null) return s.nullable ? [] : [`${path}: null is not allowed`];
    const derived = s['x-derived-types'] as string[] | undefined;
    if (derived && typeof value === 'object') {
      const available = derived.filter((n) => this.schemas[n]);
      const results = available.map((n) => this.check(value, this.ref(n), path));
      if (results.some((r) => r.length === 0)) return [];
      return results.sort((a, b) => a.length - b.length)[0] ?? [];
    }
    const oneOf = s.oneOf as Schema[] | undefined;
    if (oneOf) {
      const intEnum = oneOf.find((o) => o.type === 'integer' && Array.isArray(o.enum));
      const strEnum = oneOf.find((o) => o.type === 'string' && Array.isArray(o.enum));
      if (intEnum && strEnum) return this.check(value, intEnum, path);
      const ok = oneOf.some((o) => this.check(value, o, path).length === 0);
      return ok ? [] : [`${path}: matches none of oneOf`];
    }
    const anyOf = s.anyOf as Schema[] | undefined;
    if (anyOf)
      return anyOf.some((o) => this.check(value, o, path).length === 0)
        ? []
        : [`${path}: matches none of anyOf`];
    if (s.allOf || s.properties || s.type === 'object') return this.object(value, s, path);
    return this.scalar(value, s, path);
  }

  private object(value: unknown, s: Schema, path: string): string[] {
    if (typeof value !== 'object' || Array.isArray(value) || value === null)
      return [`${path}: expected an object`];
    const errors: string[] = [];
    const props = this.properties(s);
    const obj = value as Record<string, unknown>;
    // DocSpace omits null properties, so a required but nullable one may be absent on the wire.
    for (const r of this.required(s))
      if (!(r in obj) && !this.deref(props[r] ?? {}).nullable) errors.push(`${path}.${r}: required`);
    const extra = s.additionalProperties;
    for (const [k, v] of Object.entries(obj)) {
      const p = props[k];
      if (p) errors.push(...this.check(v, p, `${path}.${k}`));
      else if (extra && typeof extra === 'object')
        errors.push(...this.check(v, extra as Schema, `${path}.${k}`));
      else if (this.closed(s)) errors.push(`${path}.${k}: not in the schema`);
    }
    return errors;
  }

  private scalar(value: unknown, s: Schema, path: string): string[] {
    const type = s.type as string | undefined;
    const fail = (what: string) => [`${path}: expected ${what}, got ${JSON.stringify(value)?.slice(0, 60)}`];
    if (Array.isArray(s.enum) && !s.enum.includes(value)) return fail(`one of ${JSON.stringify(s.enum)}`);
    switch (type) {
      case 'string':
        if (typeof value !== 'string') return fail('a string');
        if (s.format === 'uuid' && !UUID.test(value)) return fail('a uuid');
        if (typeof s.pattern === 'string' && !new RegExp(s.pattern).test(value))
          return fail(`a match for ${s.pattern}`);
        if (typeof s.maxLength === 'number' && value.length > s.maxLength)
          return fail(`at most ${s.maxLength} characters`);
        return [];
      case 'integer':
        if (!Number.isInteger(value)) return fail('an integer');
        if (s.format === 'int32' && Math.abs(value as number) > 2 ** 31) return fail('an int32');
        return [];
      case 'number':
        return typeof value === 'number' ? [] : fail('a number');
      case 'boolean':
        return typeof value === 'boolean' ? [] : fail('a boolean');
      case 'array': {
        if (!Array.isArray(value)) return fail('an array');
        const items = s.items as Schema | undefined;
        return items ? value.flatMap((v, i) => this.check(v, items, `${path}[${i}]`)) : [];
      }
      default:
        return [];
    }
  }
}
