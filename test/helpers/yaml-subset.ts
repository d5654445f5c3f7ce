/**
 * A parser for the small YAML subset the deployment files (deploy/kubernetes/*.yaml,
 * compose.yaml) are written in, so tests can read them without a YAML dependency:
 *
 * - documents separated by `---`; `#` comments (whole lines, or after a space);
 * - block mappings (`key: value`, `key:` + an indented block) and block sequences (`- item`,
 *   `- key: value` starting a mapping), a sequence under a key indented or not;
 * - scalars: plain (`true`/`false`/`null`/integers become JSON values), "double-quoted"
 *   (JSON escapes) and 'single-quoted'; flow sequences of scalars (`[a, "b"]`) and `{}`.
 *
 * Anything else (anchors, tags, block scalars `|`/`>`, flow mappings with content, tabs)
 * is an error naming the line, never a silent misreading.
 */
export type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };

interface Line {
  indent: number;
  text: string;
  no: number;
}

export class YamlSubsetError extends Error {
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = 'YamlSubsetError';
  }
}

function stripComment(raw: string): string {
  let quote: string | undefined;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      if (i === 0 || /[\s:[,-]/.test(raw[i - 1] ?? '')) quote = ch;
    } else if (ch === '#' && (i === 0 || raw[i - 1] === ' ')) return raw.slice(0, i);
  }
  return raw;
}

function scalar(text: string, no: number): Yaml {
  const t = text.trim();
  if (t === '') return null;
  if (t.startsWith('"')) {
    if (!t.endsWith('"') || t.length < 2) throw new YamlSubsetError(no, `unterminated string ${t}`);
    return JSON.parse(t) as string;
  }
  if (t.startsWith("'")) {
    if (!t.endsWith("'") || t.length < 2) throw new YamlSubsetError(no, `unterminated string ${t}`);
    return t.slice(1, -1).replace(/''/g, "'");
  }
  if (t === '{}') return {};
  if (t.startsWith('[')) {
    if (!t.endsWith(']')) throw new YamlSubsetError(no, `unterminated flow sequence ${t}`);
    const inner = t.slice(1, -1).trim();
    if (inner === '') return [];
    const items: Yaml[] = [];
    for (const m of inner.matchAll(/\s*("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^,]+)\s*(,|$)/g)) {
      items.push(scalar(m[1] ?? '', no));
    }
    return items;
  }
  if (/^[&*!|>{]/.test(t)) throw new YamlSubsetError(no, `unsupported YAML: ${t}`);
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t === 'null' || t === '~') return null;
  if (/^-?\d+$/.test(t)) return Number(t);
  return t;
}

/** `key: rest` → [key, rest]; undefined when the line is not a mapping entry. */
function entry(text: string): [string, string] | undefined {
  const m = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^\s"'#][^:]*?):(?:\s+(.*))?$/.exec(text);
  if (!m) return undefined;
  const key = m[1] as string;
  return [key.startsWith('"') || key.startsWith("'") ? (scalar(key, 0) as string) : key, m[2] ?? ''];
}

class Parser {
  private i = 0;
  constructor(private readonly lines: Line[]) {}

  done(): boolean {
    return this.i >= this.lines.length;
  }

  block(indent: number): Yaml {
    const first = this.lines[this.i];
    if (!first || first.indent < indent) return null;
    return first.text === '-' || first.text.startsWith('- ')
      ? this.sequence(first.indent)
      : this.mapping(first.indent);
  }

  private value(rest: string, line: Line): Yaml {
    if (rest !== '') return scalar(rest, line.no);
    const next = this.lines[this.i];
    if (!next) return null;
    if (next.indent > line.indent) return this.block(next.indent);
    // A sequence may sit at its key's own indentation.
    if (next.indent === line.indent && (next.text === '-' || next.text.startsWith('- ')))
      return this.sequence(next.indent);
    return null;
  }

  private mapping(indent: number): Yaml {
    const out: { [key: string]: Yaml } = {};
    while (!this.done()) {
      const line = this.lines[this.i] as Line;
      if (line.indent < indent) break;
      if (line.indent > indent) throw new YamlSubsetError(line.no, 'unexpected indentation');
      if (line.text.startsWith('- ') || line.text === '-') break;
      const kv = entry(line.text);
      if (!kv) throw new YamlSubsetError(line.no, `expected "key: value", got ${line.text}`);
      if (kv[0] in out) throw new YamlSubsetError(line.no, `duplicate key ${kv[0]}`);
      this.i++;
      out[kv[0]] = this.value(kv[1], line);
    }
    return out;
  }

  private sequence(indent: number): Yaml {
    const out: Yaml[] = [];
    while (!this.done()) {
      const line = this.lines[this.i] as Line;
      if (line.indent !== indent || !(line.text === '-' || line.text.startsWith('- '))) {
        if (line.indent > indent) throw new YamlSubsetError(line.no, 'unexpected indentation');
        break;
      }
      const rest = line.text.slice(1).trimStart();
      if (rest === '') {
        this.i++;
        out.push(this.value('', line));
      } else if (entry(rest) && !rest.startsWith('"') && !rest.startsWith("'")) {
        // `- key: value` opens a mapping whose keys line up with `key`.
        const inner = indent + (line.text.length - rest.length);
        this.lines[this.i] = { indent: inner, text: rest, no: line.no };
        out.push(this.mapping(inner));
      } else {
        this.i++;
        out.push(scalar(rest, line.no));
      }
    }
    return out;
  }
}

/** Every document in the text, in order (empty documents left out). */
export function parseYamlSubset(text: string): Yaml[] {
  const docs: Line[][] = [[]];
  text.split('\n').forEach((raw, n) => {
    if (raw.includes('\t')) throw new YamlSubsetError(n + 1, 'tabs are not allowed');
    if (/^---\s*$/.test(raw)) {
      docs.push([]);
      return;
    }
    const body = stripComment(raw).trimEnd();
    if (body.trim() === '') return;
    const indent = body.length - body.trimStart().length;
    docs.at(-1)?.push({ indent, text: body.trimStart(), no: n + 1 });
  });
  return docs
    .filter((lines) => lines.length > 0)
    .map((lines) => {
      const parser = new Parser(lines);
      const doc = parser.block(0);
      if (!parser.done()) throw new YamlSubsetError(lines.at(-1)?.no ?? 0, 'text left over');
      return doc;
    });
}
