// Real (minimal) office files for the emulator's portal, and the text DocSpace's conversion
// would give back. Pure functions: no I/O, no state. Extraction never throws; creation throws
// OfficeFormatError only for an extension it does not know.
import { strToU8 } from 'fflate';
import { toCsv } from './csv.js';
import { createDocx, readDocx } from './docx.js';
import { createPdf, readPdf } from './pdf.js';
import { createPng } from './png.js';
import { createPptx, readPptx } from './pptx.js';
import { createXlsx, readXlsx } from './xlsx.js';

export type OfficeExtension = 'docx' | 'xlsx' | 'pptx' | 'pdf' | 'txt' | 'md' | 'csv' | 'png';

export interface OfficeContent {
  /** Document metadata (core properties / PDF Info); in Markdown it becomes the `# ` heading. */
  title?: string;
  /** Body text: docx paragraphs, pdf/txt/md lines; the first column of a sheet when `rows` is absent. */
  paragraphs?: string[];
  /** Sheet cells for xlsx and csv. */
  rows?: string[][];
  /** Text boxes per slide for pptx; when absent, `paragraphs` make one slide. */
  slides?: string[][];
}

export interface ExtractedText {
  text: string;
  format: 'txt' | 'csv';
}

export class OfficeFormatError extends Error {
  readonly code = 'unsupported_format';
  constructor(readonly extension: string) {
    super(`The emulator cannot create ".${extension}" files.`);
    this.name = 'OfficeFormatError';
  }
}

/**
 * Targets the emulator's `files/settings` reports in `extsConvertible` (DocSpace's shape: dotted
 * keys and values). DocSpace builds this table from ONLYOFFICE Docs' format list
 * (ONLYOFFICE/document-formats onlyoffice-docs-formats.json, read by FileUtility.GetExtsConvertibleAsync);
 * these are its rows for the formats this module can read, kept to the targets it can write.
 * `.pdf → .txt`, `.pptx → .txt` and `.md → .txt` are all in that list.
 */
export const CONVERTIBLE_EXTENSIONS: Readonly<Record<string, readonly string[]>> = {
  '.docx': ['.md', '.pdf', '.txt'],
  '.xlsx': ['.csv', '.pdf'],
  '.pptx': ['.pdf', '.txt'],
  '.pdf': ['.docx', '.md', '.txt'],
  '.txt': ['.docx', '.md', '.pdf'],
  '.md': ['.docx', '.pdf', '.txt'],
  '.csv': ['.pdf', '.xlsx'],
  '.html': ['.docx', '.md', '.pdf', '.txt'],
  '.htm': ['.docx', '.md', '.pdf', '.txt'],
  '.rtf': ['.docx', '.md', '.pdf', '.txt'],
};

function normalise(ext: string): string {
  return ext.replace(/^\./, '').toLowerCase();
}

function utf8(text: string): Uint8Array {
  return strToU8(text);
}

export function createOfficeFile(ext: OfficeExtension, content: OfficeContent = {}): Uint8Array {
  const { title, paragraphs, rows, slides } = content;
  switch (normalise(ext)) {
    case 'docx':
      return createDocx(title, paragraphs ?? []);
    case 'xlsx':
      return createXlsx(title, rows ?? (paragraphs ?? []).map((p) => [p]));
    case 'pptx':
      return createPptx(title, slides ?? (paragraphs ? [paragraphs] : []));
    case 'pdf':
      return createPdf(title, paragraphs ?? []);
    case 'png':
      return createPng(title);
    case 'txt':
      return utf8((paragraphs ?? []).join('\n'));
    case 'md': {
      const body = (paragraphs ?? []).join('\n\n');
      return utf8(title ? `# ${title}\n\n${body}` : body);
    }
    case 'csv':
      return utf8(toCsv(rows ?? (paragraphs ?? []).map((p) => [p])));
    default:
      throw new OfficeFormatError(ext);
  }
}

/**
 * Text of a file as DocSpace's conversion to .txt (or .csv for sheets) would give it.
 * Undefined for formats without text (images) and for bytes that are not a readable file
 * of the stated format.
 */
export function extractText(ext: string, bytes: Uint8Array): ExtractedText | undefined {
  try {
    switch (normalise(ext)) {
      case 'docx': {
        const paragraphs = readDocx(bytes);
        return paragraphs && { text: paragraphs.join('\n'), format: 'txt' };
      }
      case 'xlsx': {
        const rows = readXlsx(bytes);
        return rows && { text: toCsv(rows), format: 'csv' };
      }
      case 'pptx': {
        const slides = readPptx(bytes);
        return slides && { text: slides.map((s) => s.join('\n')).join('\n\n'), format: 'txt' };
      }
      case 'pdf': {
        const lines = readPdf(bytes);
        return lines && { text: lines.join('\n'), format: 'txt' };
      }
      case 'txt':
      case 'md':
        return { text: decodeUtf8(bytes), format: 'txt' };
      case 'html':
      case 'htm':
        return { text: htmlText(decodeUtf8(bytes)), format: 'txt' };
      case 'rtf':
        return { text: rtfText(decodeUtf8(bytes)), format: 'txt' };
      case 'csv':
        return { text: decodeUtf8(bytes), format: 'csv' };
      default:
        return undefined;
    }
  } catch {
    // A parser bug on hostile input must not take the portal down; the file is simply unreadable.
    return undefined;
  }
}

/**
 * Converts between the formats listed in CONVERTIBLE_EXTENSIONS by extracting the content and
 * writing it in the target format. Undefined when the pair is not offered or the source is unreadable.
 */
export function convertFile(
  from: string,
  to: string,
  bytes: Uint8Array,
  title?: string,
): Uint8Array | undefined {
  const source = normalise(from);
  const target = normalise(to);
  if (!CONVERTIBLE_EXTENSIONS[`.${source}`]?.includes(`.${target}`)) return undefined;
  const extracted = extractText(source, bytes);
  if (!extracted) return undefined;
  if (target === 'txt' || target === 'csv') return utf8(extracted.text);
  const lines = extracted.text === '' ? [] : extracted.text.split('\n');
  const rows = extracted.format === 'csv' ? parseCsv(extracted.text) : lines.map((l) => [l]);
  const paragraphs = extracted.format === 'csv' ? rows.map((r) => r.join('\t')) : lines;
  return createOfficeFile(target as OfficeExtension, { title, paragraphs, rows });
}

/** The text of an HTML page, one line per block: what a conversion to .txt keeps. */
function htmlText(html: string): string {
  return html
    .replace(/<(script|style|head)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|h[1-6]|li|tr|title)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('\n');
}

/** The text of an RTF document: paragraphs as lines, control words and groups of metadata dropped. */
function rtfText(rtf: string): string {
  const body = rtf
    .replace(/\{\\(fonttbl|colortbl|stylesheet|info|\*)[^{}]*(\{[^{}]*\}[^{}]*)*\}/g, '')
    .replace(/\\par[d]?\b ?/g, '\n')
    .replace(/\\'([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/\\[a-z]+-?\d* ?/gi, '')
    .replace(/[{}]/g, '');
  return body
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('\n');
}

function decodeUtf8(bytes: Uint8Array): string {
  // Strip a byte-order mark; invalid sequences become U+FFFD rather than failing.
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** Minimal RFC 4180 reader for converting CSV text back into cells. */
export function parseCsv(text: string): string[][] {
  if (text === '') return [];
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  row.push(field);
  rows.push(row);
  return rows;
}
