// PDF 1.4 with Helvetica (a standard Type1 font, so nothing is embedded) in WinAnsiEncoding.
// Characters outside that encoding print as "?": enough for an emulator's test documents.
// Reading is best effort: text-showing operators of uncompressed and Flate content streams.
import { inflateSync, unzlibSync } from 'fflate';

const FONT_SIZE = 11;
const LEADING = 14;
const LINES_PER_PAGE = 48;
const WRAP_AT = 95;

/** WinAnsiEncoding bytes 0x80–0x9F that differ from Latin-1 (PDF 32000-1, Annex D). */
const WIN_ANSI_EXTRA: Record<number, number> = {
  128: 0x20ac,
  130: 0x201a,
  131: 0x0192,
  132: 0x201e,
  133: 0x2026,
  134: 0x2020,
  135: 0x2021,
  136: 0x02c6,
  137: 0x2030,
  138: 0x0160,
  139: 0x2039,
  140: 0x0152,
  142: 0x017d,
  145: 0x2018,
  146: 0x2019,
  147: 0x201c,
  148: 0x201d,
  149: 0x2022,
  150: 0x2013,
  151: 0x2014,
  152: 0x02dc,
  153: 0x2122,
  154: 0x0161,
  155: 0x203a,
  156: 0x0153,
  158: 0x017e,
  159: 0x0178,
};
const TO_WIN_ANSI = new Map<number, number>(Object.entries(WIN_ANSI_EXTRA).map(([b, cp]) => [cp, Number(b)]));

function winAnsiByte(codePoint: number): number {
  if ((codePoint >= 0x20 && codePoint < 0x7f) || (codePoint >= 0xa0 && codePoint <= 0xff)) return codePoint;
  return TO_WIN_ANSI.get(codePoint) ?? 0x3f;
}

function winAnsiChar(byte: number): string {
  return String.fromCodePoint(WIN_ANSI_EXTRA[byte] ?? byte);
}

/** A PDF literal string: printable ASCII as is, the rest as octal escapes. */
function literal(text: string): string {
  let out = '(';
  for (const ch of text) {
    const byte = winAnsiByte(ch.codePointAt(0) as number);
    if (byte === 0x28 || byte === 0x29 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return `${out})`;
}

/** Info dictionary strings may hold any Unicode as UTF-16BE with a byte-order mark. */
function textString(text: string): string {
  let hex = 'FEFF';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
  return `<${hex}>`;
}

function wrap(paragraph: string): string[] {
  const lines: string[] = [];
  for (const raw of paragraph.replace(/\t/g, '    ').split('\n')) {
    let line = raw;
    while ([...line].length > WRAP_AT) {
      const cut = line.lastIndexOf(' ', WRAP_AT);
      const at = cut > 0 ? cut : WRAP_AT;
      lines.push(line.slice(0, at));
      line = line.slice(cut > 0 ? at + 1 : at);
    }
    lines.push(line);
  }
  return lines;
}

export function createPdf(title: string | undefined, paragraphs: string[]): Uint8Array {
  const lines = paragraphs.flatMap(wrap);
  const pages: string[][] = [];
  for (let i = 0; i < lines.length; i += LINES_PER_PAGE) pages.push(lines.slice(i, i + LINES_PER_PAGE));
  if (pages.length === 0) pages.push([]);

  // Objects: 1 catalog, 2 page tree, 3 font, 4 info, then a (page, contents) pair per page.
  const objects: string[] = [];
  const pageIds = pages.map((_, i) => 5 + i * 2);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
  objects[4] = `<< ${title ? `/Title ${textString(title)} ` : ''}/Producer (DocSpace emulator) >>`;
  pages.forEach((pageLines, i) => {
    const id = pageIds[i] as number;
    const shown = pageLines.map((line, n) => `${n === 0 ? '' : 'T* '}${literal(line)} Tj`).join('\n');
    const content = `BT\n/F1 ${FONT_SIZE} Tf\n${LEADING} TL\n72 720 Td\n${shown}\nET`;
    objects[id] =
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> ' +
      `/Contents ${id + 1} 0 R >>`;
    // Content is pure ASCII (literal() escapes the rest), so string length equals byte length.
    objects[id + 1] = `<< /Length ${content.length} >>\nstream\n${content}\nendstream`;
  });

  // The binary comment line tells transfer tools the file is binary (PDF 32000-1, 7.5.2).
  let out = '%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = out.length;
    out += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xrefAt = out.length;
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) out += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R /Info 4 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  // Every character above is < 0x100, so Latin-1 keeps offsets equal to byte positions.
  return Uint8Array.from(out, (ch) => ch.charCodeAt(0));
}

export function isPdf(bytes: Uint8Array): boolean {
  return latin1(bytes.subarray(0, 1024)).includes('%PDF-');
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return s;
}

/** Lines of text shown by the document's content streams, in file order. */
export function readPdf(bytes: Uint8Array): string[] | undefined {
  if (!isPdf(bytes)) return undefined;
  const file = latin1(bytes);
  const lines: string[] = [];
  const streamRe = /stream\r?\n/g;
  for (let m = streamRe.exec(file); m; m = streamRe.exec(file)) {
    if (file.slice(Math.max(0, m.index - 3), m.index) === 'end') continue;
    const start = m.index + m[0].length;
    const dictStart = file.lastIndexOf('obj', m.index);
    const dict = file.slice(Math.max(dictStart, 0), m.index);
    const lengthMatch = /\/Length\s+(\d+)\b(?!\s+\d+\s+R)/.exec(dict);
    let end = lengthMatch ? start + Number(lengthMatch[1]) : -1;
    if (
      end < 0 ||
      file
        .slice(end, end + 20)
        .trimStart()
        .slice(0, 9) !== 'endstream'
    )
      end = file.indexOf('endstream', start);
    if (end < 0) break;
    streamRe.lastIndex = end;
    let data: Uint8Array = bytes.subarray(start, end);
    if (/\/Filter\s*(\[\s*)?\/FlateDecode/.test(dict)) {
      const inflated = inflate(data);
      if (!inflated) continue;
      data = inflated;
    } else if (/\/Filter/.test(dict)) {
      continue;
    }
    const content = latin1(data);
    if (/\bBT\b/.test(content)) lines.push(...contentText(content));
  }
  return lines;
}

function inflate(data: Uint8Array): Uint8Array | undefined {
  try {
    return unzlibSync(data);
  } catch {
    try {
      return inflateSync(data);
    } catch {
      return undefined;
    }
  }
}

type Token =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'op'; value: string }
  | { kind: 'array'; value: Token[] };

/** Interprets the text operators of a content stream well enough to recover lines. */
function contentText(content: string): string[] {
  const lines: string[] = [];
  let line = '';
  let started = false;
  const newline = (): void => {
    if (started) lines.push(line);
    line = '';
    started = false;
  };
  const show = (text: string): void => {
    line += text;
    started = true;
  };
  const operands: Token[] = [];
  for (const token of tokenize(content)) {
    if (token.kind !== 'op') {
      operands.push(token);
      continue;
    }
    const last = operands[operands.length - 1];
    switch (token.value) {
      case 'Tj':
        if (last?.kind === 'string') show(last.value);
        break;
      case "'":
      case '"':
        newline();
        if (last?.kind === 'string') show(last.value);
        break;
      case 'TJ':
        if (last?.kind === 'array') {
          for (const item of last.value) {
            if (item.kind === 'string') show(item.value);
            // A large negative kern is how generators write a word space.
            else if (item.kind === 'number' && item.value < -200) show(' ');
          }
        }
        break;
      case 'T*':
      case 'ET':
        newline();
        break;
      case 'Td':
      case 'TD': {
        const ty = operands[operands.length - 1];
        if (ty?.kind === 'number' && ty.value !== 0) newline();
        break;
      }
      case 'Tm':
        newline();
        break;
    }
    operands.length = 0;
  }
  newline();
  return lines;
}

function* tokenize(s: string): Generator<Token> {
  const stack: Token[][] = [];
  let i = 0;
  const emit = function* (token: Token): Generator<Token> {
    const top = stack[stack.length - 1];
    if (top) top.push(token);
    else yield token;
  };
  while (i < s.length) {
    const ch = s[i] as string;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '%') {
      while (i < s.length && s[i] !== '\n' && s[i] !== '\r') i++;
    } else if (ch === '(') {
      const [value, next] = readLiteral(s, i + 1);
      yield* emit({ kind: 'string', value });
      i = next;
    } else if (ch === '<' && s[i + 1] === '<') {
      // Inline dictionaries (BDC properties) carry no shown text: skip to the matching >>.
      let depth = 0;
      while (i < s.length) {
        if (s.startsWith('<<', i)) {
          depth++;
          i += 2;
        } else if (s.startsWith('>>', i)) {
          depth--;
          i += 2;
          if (depth === 0) break;
        } else {
          i++;
        }
      }
    } else if (ch === '<') {
      const end = s.indexOf('>', i);
      const hex = s.slice(i + 1, end < 0 ? s.length : end).replace(/[^0-9a-fA-F]/g, '');
      let value = '';
      for (let j = 0; j < hex.length; j += 2)
        value += winAnsiChar(Number.parseInt(hex.slice(j, j + 2).padEnd(2, '0'), 16));
      yield* emit({ kind: 'string', value });
      i = end < 0 ? s.length : end + 1;
    } else if (ch === '[') {
      stack.push([]);
      i++;
    } else if (ch === ']') {
      const items = stack.pop() ?? [];
      yield* emit({ kind: 'array', value: items });
      i++;
    } else {
      const m = /^[^\s()<>[\]{}/%]+|^\/[^\s()<>[\]{}/%]*/.exec(s.slice(i, i + 64));
      const word = m ? m[0] : ch;
      i += word.length;
      if (word.startsWith('/')) continue;
      const n = Number(word);
      if (word !== '' && Number.isFinite(n)) yield* emit({ kind: 'number', value: n });
      else if (stack.length === 0) yield { kind: 'op', value: word };
    }
  }
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };

function readLiteral(s: string, start: number): [string, number] {
  let depth = 1;
  let out = '';
  let i = start;
  while (i < s.length) {
    const ch = s[i] as string;
    if (ch === '\\') {
      const next = s[i + 1] ?? '';
      const octal = /^[0-7]{1,3}/.exec(s.slice(i + 1, i + 4));
      if (octal) {
        out += winAnsiChar(Number.parseInt(octal[0], 8) & 0xff);
        i += 1 + octal[0].length;
        continue;
      }
      if (next === '\r' || next === '\n') {
        i += s[i + 2] === '\n' && next === '\r' ? 3 : 2;
        continue;
      }
      out += ESCAPES[next] ?? next;
      i += 2;
      continue;
    }
    if (ch === '(') depth++;
    if (ch === ')' && --depth === 0) return [out, i + 1];
    out += winAnsiChar(ch.charCodeAt(0));
    i++;
  }
  return [out, i];
}
