// Spreadsheets: one sheet, strings in the shared-string table (as Excel writes them),
// numbers as numbers. Reading takes the workbook's first sheet and returns its cells as rows.
import {
  contentTypes,
  coreProperties,
  OFFICE_REL,
  parsePart,
  relationships,
  resolveRelationships,
  rootRelationships,
  unzipParts,
  zipParts,
} from './package.js';
import {
  childElements,
  descendants,
  escapeXml,
  textContent,
  XML_DECLARATION,
  type XmlElement,
} from './xml.js';

const S_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NUMBER = /^-?(0|[1-9]\d{0,14})(\.\d{1,15})?$/;

export function createXlsx(title: string | undefined, rows: string[][]): Uint8Array {
  const shared: string[] = [];
  const sharedIndex = new Map<string, number>();
  const rowXml = rows.map((row, r) => {
    const cells = row.map((value, c) => {
      const ref = `${columnName(c)}${r + 1}`;
      if (value === '') return '';
      if (NUMBER.test(value)) return `<c r="${ref}"><v>${value}</v></c>`;
      let index = sharedIndex.get(value);
      if (index === undefined) {
        index = shared.length;
        shared.push(value);
        sharedIndex.set(value, index);
      }
      return `<c r="${ref}" t="s"><v>${index}</v></c>`;
    });
    return `<row r="${r + 1}">${cells.join('')}</row>`;
  });
  const sheet = `${XML_DECLARATION}<worksheet xmlns="${S_NS}"><sheetData>${rowXml.join('')}</sheetData></worksheet>`;
  const sst =
    `${XML_DECLARATION}<sst xmlns="${S_NS}" count="${shared.length}" uniqueCount="${shared.length}">` +
    shared.map((s) => `<si><t xml:space="preserve">${escapeXml(s)}</t></si>`).join('') +
    '</sst>';
  const workbook =
    `${XML_DECLARATION}<workbook xmlns="${S_NS}" xmlns:r="${OFFICE_REL}">` +
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>';
  return zipParts({
    '[Content_Types].xml': contentTypes([
      {
        part: 'xl/workbook.xml',
        type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
      },
      {
        part: 'xl/worksheets/sheet1.xml',
        type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml',
      },
      {
        part: 'xl/sharedStrings.xml',
        type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml',
      },
    ]),
    '_rels/.rels': rootRelationships('xl/workbook.xml'),
    'docProps/core.xml': coreProperties(title),
    'xl/workbook.xml': workbook,
    'xl/_rels/workbook.xml.rels': relationships([
      { id: 'rId1', type: `${OFFICE_REL}/worksheet`, target: 'worksheets/sheet1.xml' },
      { id: 'rId2', type: `${OFFICE_REL}/sharedStrings`, target: 'sharedStrings.xml' },
    ]),
    'xl/worksheets/sheet1.xml': sheet,
    'xl/sharedStrings.xml': sst,
  });
}

/** "A", …, "Z", "AA", … for a zero-based column index. */
export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

function columnIndex(ref: string): number | undefined {
  const letters = /^([A-Z]+)\d*$/.exec(ref.toUpperCase())?.[1];
  if (!letters) return undefined;
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** Rows of the workbook's first sheet, or undefined when the package is not a readable workbook. */
export function readXlsx(bytes: Uint8Array): string[][] | undefined {
  const parts = unzipParts(bytes);
  if (!parts) return undefined;
  const workbook = parsePart(parts, 'xl/workbook.xml');
  if (!workbook) return undefined;
  const firstSheet = descendants(workbook, 'sheet')[0];
  const rels = resolveRelationships(parts, 'xl/workbook.xml');
  const sheetPath =
    (firstSheet && rels.get(firstSheet.attrs['r:id'] ?? '')?.path) ?? 'xl/worksheets/sheet1.xml';
  const sheet = parsePart(parts, sheetPath);
  if (!sheet) return undefined;
  const sstPath =
    [...rels.values()].find((r) => r.type.endsWith('/sharedStrings'))?.path ?? 'xl/sharedStrings.xml';
  const sst = parsePart(parts, sstPath);
  // Rich-text entries split a string into runs (<r><t>); phonetic hints (<rPh>) are not text.
  const shared = sst ? childElements(sst, 'si').map(stringItemText) : [];

  const rows: string[][] = [];
  for (const row of descendants(sheet, 'row')) {
    const rowNumber = Number(row.attrs.r);
    const index = Number.isInteger(rowNumber) && rowNumber > 0 ? rowNumber - 1 : rows.length;
    const values: string[] = [];
    for (const cell of childElements(row, 'c')) {
      const col = columnIndex(cell.attrs.r ?? '') ?? values.length;
      values[col] = cellText(cell, shared);
    }
    while (rows.length < index) rows.push([]);
    rows[index] = Array.from(values, (v) => v ?? '');
  }
  // Like a spreadsheet's CSV export, every row spans the used range, so columns stay aligned.
  const width = Math.max(0, ...rows.map((r) => r.length));
  return rows.map((r) => [...r, ...Array<string>(width - r.length).fill('')]);
}

function stringItemText(si: XmlElement): string {
  return si.children
    .filter((c): c is XmlElement => typeof c !== 'string')
    .map((c) =>
      c.name === 't' ? textContent(c) : c.name === 'r' ? childElements(c, 't').map(textContent).join('') : '',
    )
    .join('');
}

function cellText(cell: XmlElement, shared: string[]): string {
  const v = childElements(cell, 'v')[0];
  const raw = v ? textContent(v) : '';
  switch (cell.attrs.t) {
    case 's':
      return shared[Number(raw)] ?? '';
    case 'inlineStr': {
      const is = childElements(cell, 'is')[0];
      return is ? stringItemText(is) : '';
    }
    case 'b':
      return raw === '1' ? 'TRUE' : 'FALSE';
    default:
      return raw;
  }
}
