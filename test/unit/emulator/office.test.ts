import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { strFromU8, strToU8, unzipSync, unzlibSync, zipSync, zlibSync } from 'fflate';
import {
  CONVERTIBLE_EXTENSIONS,
  convertFile,
  createOfficeFile,
  extractText,
  type OfficeExtension,
  OfficeFormatError,
} from '../../../emulator/office/index.js';

const TRICKY = `Fish & chips <b>bold</b> "double" 'single' ]]> Ünïcödé Привет 日本語 😀`;

function parts(bytes: Uint8Array): Record<string, string> {
  return Object.fromEntries(Object.entries(unzipSync(bytes)).map(([k, v]) => [k, strFromU8(v)]));
}

function latin1(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => String.fromCharCode(b)).join('');
}

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';

describe('docx', () => {
  test('paragraphs round-trip with markup characters and unicode', () => {
    const paragraphs = [TRICKY, '', 'two\nlines\tand a tab'];
    const bytes = createOfficeFile('docx', { title: 'Report & "notes"', paragraphs });
    assert.deepEqual(extractText('docx', bytes), { text: paragraphs.join('\n'), format: 'txt' });
  });

  test('is an OPC package whose XML escapes what it must', () => {
    const p = parts(createOfficeFile('docx', { title: 'A & B', paragraphs: [TRICKY] }));
    assert.ok(p['[Content_Types].xml']?.includes('wordprocessingml.document.main+xml'));
    assert.ok(p['_rels/.rels']?.includes('Target="word/document.xml"'));
    assert.ok(p['docProps/core.xml']?.includes('<dc:title>A &amp; B</dc:title>'));
    const doc = p['word/document.xml'] ?? '';
    assert.ok(doc.includes('Fish &amp; chips &lt;b&gt;bold&lt;/b&gt; &quot;double&quot; &apos;single&apos;'));
    assert.ok(!doc.includes('<b>'));
  });

  test('drops characters XML cannot carry instead of writing a broken part', () => {
    const bytes = createOfficeFile('docx', { paragraphs: ['bell\u0007 and lone \uD800 surrogate'] });
    assert.equal(extractText('docx', bytes)?.text, 'bell and lone  surrogate');
  });

  test('an empty document has no text', () => {
    assert.deepEqual(extractText('docx', createOfficeFile('docx', {})), { text: '', format: 'txt' });
  });

  test('reads documents written by Word: split runs, entities, tables, breaks', () => {
    const xml =
      `<?xml version="1.0"?><w:document ${W}><w:body>` +
      '<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>Hel</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>lo</w:t></w:r></w:p>' +
      '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>cell &#x263A; &amp; &lt;ok&gt;</w:t></w:r></w:p></w:tc></w:tr></w:tbl>' +
      '<w:p><w:r><w:t xml:space="preserve">a </w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t></w:r></w:p>' +
      '</w:body></w:document>';
    const bytes = zipSync({ 'word/document.xml': strToU8(xml) });
    assert.equal(extractText('docx', bytes)?.text, 'Hello\ncell ☺ & <ok>\na \tb\nc');
  });
});

describe('xlsx', () => {
  test('rows round-trip as CSV of the first sheet', () => {
    const rows = [
      ['name', 'amount', 'note'],
      ['Zoë', '12.50', 'a, b'],
      ['"quoted"', '-3', ''],
      ['007', '', TRICKY],
    ];
    const result = extractText('xlsx', createOfficeFile('xlsx', { rows }));
    assert.equal(result?.format, 'csv');
    assert.equal(
      result?.text,
      `name,amount,note\nZoë,12.50,"a, b"\n"""quoted""",-3,\n007,,"${TRICKY.replace(/"/g, '""')}"`,
    );
  });

  test('numbers are stored as numbers and strings in the shared-string table', () => {
    const p = parts(createOfficeFile('xlsx', { rows: [['x', '42', 'x']] }));
    const sheet = p['xl/worksheets/sheet1.xml'] ?? '';
    assert.ok(sheet.includes('<c r="B1"><v>42</v></c>'));
    assert.ok(
      sheet.includes('<c r="A1" t="s"><v>0</v></c>') && sheet.includes('<c r="C1" t="s"><v>0</v></c>'),
    );
    assert.ok(p['xl/sharedStrings.xml']?.includes('uniqueCount="1"'));
  });

  test('reads inline strings, booleans, rich text, gaps (padded to the used range) and the first sheet by relationship', () => {
    const S = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
    const bytes = zipSync({
      'xl/workbook.xml': strToU8(
        `<workbook ${S} xmlns:r="${R}"><sheets><sheet name="Main" sheetId="5" r:id="rId7"/><sheet name="Other" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ),
      'xl/_rels/workbook.xml.rels': strToU8(
        `<Relationships xmlns="${R}"><Relationship Id="rId1" Type="${R}/worksheet" Target="worksheets/sheet1.xml"/>` +
          `<Relationship Id="rId7" Type="${R}/worksheet" Target="/xl/worksheets/sheet9.xml"/>` +
          `<Relationship Id="rId8" Type="${R}/sharedStrings" Target="strings.xml"/></Relationships>`,
      ),
      'xl/strings.xml': strToU8(
        `<sst ${S}><si><r><t>Ri</t></r><r><rPr><b/></rPr><t>ch</t></r><rPh><t>ignored</t></rPh></si></sst>`,
      ),
      'xl/worksheets/sheet1.xml': strToU8(
        `<worksheet ${S}><sheetData><row r="1"><c r="A1"><v>wrong sheet</v></c></row></sheetData></worksheet>`,
      ),
      'xl/worksheets/sheet9.xml': strToU8(
        `<worksheet ${S}><sheetData>` +
          '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>in &amp; line</t></is></c></row>' +
          '<row r="3"><c r="B3" t="b"><v>1</v></c><c r="C3"><v>3.25</v></c><c r="D3" t="str"><v>formula</v></c></row>' +
          '</sheetData></worksheet>',
      ),
    });
    assert.equal(extractText('xlsx', bytes)?.text, 'Rich,,in & line,\n,,,\n,TRUE,3.25,formula');
  });

  test('column names past Z are right', () => {
    const row = Array.from({ length: 30 }, (_, i) => `c${i}`);
    const sheet = parts(createOfficeFile('xlsx', { rows: [row] }))['xl/worksheets/sheet1.xml'] ?? '';
    assert.ok(sheet.includes('r="Z1"') && sheet.includes('r="AA1"') && sheet.includes('r="AD1"'));
    assert.equal(extractText('xlsx', createOfficeFile('xlsx', { rows: [row] }))?.text, row.join(','));
  });

  test('an empty workbook gives empty CSV', () => {
    assert.deepEqual(extractText('xlsx', createOfficeFile('xlsx', {})), { text: '', format: 'csv' });
  });
});

describe('pptx', () => {
  test('slide texts come back in presentation order, past slide 9', () => {
    const slides = Array.from({ length: 12 }, (_, i) => [`Slide ${i + 1} & <title>`, `point ${TRICKY}`]);
    const text = extractText('pptx', createOfficeFile('pptx', { title: 'Deck', slides }))?.text ?? '';
    assert.equal(text, slides.map((s) => s.join('\n')).join('\n\n'));
  });

  test('has the master, layout and theme PowerPoint requires', () => {
    const p = parts(createOfficeFile('pptx', { slides: [['one']] }));
    for (const part of [
      'ppt/presentation.xml',
      'ppt/slideMasters/slideMaster1.xml',
      'ppt/slideLayouts/slideLayout1.xml',
      'ppt/theme/theme1.xml',
      'ppt/slides/slide1.xml',
      'ppt/slides/_rels/slide1.xml.rels',
    ]) {
      assert.ok(p[part], part);
      assert.ok(p['[Content_Types].xml']?.includes(`PartName="/${part}"`) || part.includes('_rels'), part);
    }
  });

  test('follows sldIdLst rather than file names', () => {
    const built = parts(createOfficeFile('pptx', { slides: [['first'], ['second']] }));
    built['ppt/presentation.xml'] = (built['ppt/presentation.xml'] ?? '').replace(
      /<p:sldIdLst>.*<\/p:sldIdLst>/,
      '<p:sldIdLst><p:sldId id="257" r:id="rId4"/><p:sldId id="256" r:id="rId3"/></p:sldIdLst>',
    );
    const bytes = zipSync(Object.fromEntries(Object.entries(built).map(([k, v]) => [k, strToU8(v)])));
    assert.equal(extractText('pptx', bytes)?.text, 'second\n\nfirst');
  });

  test('paragraphs make a single slide; nothing makes an empty deck', () => {
    assert.equal(extractText('pptx', createOfficeFile('pptx', { paragraphs: ['a', 'b'] }))?.text, 'a\nb');
    assert.equal(extractText('pptx', createOfficeFile('pptx', {}))?.text, '');
  });
});

describe('pdf', () => {
  test('lines round-trip, including WinAnsi characters and PDF delimiters', () => {
    const paragraphs = ['Hello (world) \\ back', 'Café – “quotes” €5', ''];
    assert.deepEqual(extractText('pdf', createOfficeFile('pdf', { paragraphs })), {
      text: 'Hello (world) \\ back\nCafé – “quotes” €5\n',
      format: 'txt',
    });
  });

  test('characters outside the standard font print as "?"', () => {
    assert.equal(
      extractText('pdf', createOfficeFile('pdf', { paragraphs: ['Привет 😀'] }))?.text,
      '?????? ?',
    );
  });

  test('the cross-reference table points at every object', () => {
    const pdf = latin1(createOfficeFile('pdf', { title: 'Ünicode title 日本', paragraphs: ['x'] }));
    assert.ok(pdf.startsWith('%PDF-1.4\n'));
    assert.ok(pdf.endsWith('%%EOF\n'));
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(pdf)?.[1]);
    assert.ok(pdf.startsWith('xref\n', startxref));
    const entries = [...pdf.slice(startxref).matchAll(/^(\d{10}) (\d{5}) ([nf]) \n/gm)];
    assert.ok(entries.length >= 6);
    for (const [i, e] of entries.slice(1).entries()) {
      assert.ok(pdf.startsWith(`${i + 1} 0 obj`, Number(e[1])), `object ${i + 1}`);
    }
    const length = Number(/\/Length (\d+) >>\nstream\n/.exec(pdf)?.[1]);
    const streamStart = pdf.indexOf('stream\n') + 7;
    assert.equal(pdf.slice(streamStart + length, streamStart + length + 10), '\nendstream');
    // The title is UTF-16BE with a byte-order mark, so any script survives in metadata.
    assert.ok(pdf.includes('/Title <FEFF00DC'));
  });

  test('long text wraps and spills onto further pages', () => {
    const paragraphs = Array.from({ length: 100 }, (_, i) => `line ${i}`);
    paragraphs.push(`${'word '.repeat(40)}end`);
    const bytes = createOfficeFile('pdf', { paragraphs });
    assert.match(latin1(bytes), /\/Count 3 >>/);
    const lines = extractText('pdf', bytes)?.text.split('\n') ?? [];
    assert.equal(lines[99], 'line 99');
    assert.ok(lines.length > 101 && lines.every((l) => l.length <= 95));
  });

  test('reads Flate-compressed streams with TJ arrays, hex strings and quote operators', () => {
    const content =
      "BT /F1 12 Tf 72 700 Td [(Hel) 20 (lo) -300 (there)] TJ 0 -14 Td <576F726C64> Tj (next) ' ET";
    const deflated = latin1(zlibSync(strToU8(content)));
    const pdf =
      '%PDF-1.5\n1 0 obj\n<< /Type /Catalog >>\nendobj\n' +
      `2 0 obj\n<< /Length ${deflated.length} /Filter /FlateDecode >>\nstream\n${deflated}\nendstream\nendobj\n%%EOF\n`;
    const bytes = Uint8Array.from(pdf, (c) => c.charCodeAt(0));
    assert.equal(strFromU8(unzlibSync(zlibSync(strToU8(content)))), content);
    assert.equal(extractText('pdf', bytes)?.text, 'Hello there\nWorld\nnext');
  });

  test('an empty document is a one-page PDF with no text', () => {
    const bytes = createOfficeFile('pdf', {});
    assert.match(latin1(bytes), /\/Count 1 >>/);
    assert.equal(extractText('pdf', bytes)?.text, '');
  });
});

describe('png', () => {
  test('is a valid 32x32 PNG with correct chunk CRCs and no text', () => {
    const bytes = createOfficeFile('png', { title: 'logo' });
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const types: string[] = [];
    for (let at = 8; at < bytes.length;) {
      const length = view.getUint32(at);
      const type = latin1(bytes.subarray(at + 4, at + 8));
      types.push(type);
      assert.equal(view.getUint32(at + 8 + length), crc32(bytes.subarray(at + 4, at + 8 + length)), type);
      if (type === 'IHDR') assert.deepEqual([view.getUint32(at + 8), view.getUint32(at + 12)], [32, 32]);
      if (type === 'IDAT')
        assert.equal(unzlibSync(bytes.subarray(at + 8, at + 8 + length)).length, 32 * (1 + 32 * 3));
      at += 12 + length;
    }
    assert.deepEqual(types, ['IHDR', 'IDAT', 'IEND']);
    assert.equal(extractText('png', bytes), undefined);
  });
});

// Independent bitwise CRC-32 so the test does not trust the code under test.
function crc32(data: Uint8Array): number {
  let c = ~0;
  for (const b of data) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

describe('plain text formats', () => {
  test('txt and csv come back as written; md gets a heading from the title', () => {
    assert.deepEqual(extractText('txt', createOfficeFile('txt', { paragraphs: [TRICKY, 'b'] })), {
      text: `${TRICKY}\nb`,
      format: 'txt',
    });
    assert.equal(
      extractText('md', createOfficeFile('md', { title: 'T', paragraphs: ['p'] }))?.text,
      '# T\n\np',
    );
    assert.deepEqual(extractText('.CSV', createOfficeFile('csv', { rows: [['a,b', 'c"d']] })), {
      text: '"a,b","c""d"',
      format: 'csv',
    });
  });

  test('a UTF-8 byte-order mark is dropped and bad bytes become replacement characters', () => {
    assert.equal(extractText('txt', Uint8Array.of(0xef, 0xbb, 0xbf, 0x68, 0x69, 0xff))?.text, 'hi\uFFFD');
  });
});

describe('bad input', () => {
  const formats: OfficeExtension[] = ['docx', 'xlsx', 'pptx', 'pdf'];

  test('garbage, empty and wrong-format bytes give undefined, never an exception', () => {
    const garbage = Uint8Array.from({ length: 512 }, (_, i) => (i * 7919) % 256);
    for (const ext of formats) {
      assert.equal(extractText(ext, new Uint8Array(0)), undefined, `${ext} empty`);
      assert.equal(extractText(ext, garbage), undefined, `${ext} garbage`);
      assert.equal(extractText(ext, createOfficeFile('png', {})), undefined, `${ext} given a png`);
    }
    assert.equal(extractText('docx', createOfficeFile('xlsx', { rows: [['a']] })), undefined);
    assert.equal(extractText('exe', strToU8('MZ')), undefined);
  });

  test('truncated files never throw', () => {
    for (const ext of formats) {
      const bytes = createOfficeFile(ext, {
        paragraphs: ['some text', 'more'],
        slides: [['s']],
        rows: [['r']],
      });
      for (const cut of [10, 100, Math.floor(bytes.length / 2), bytes.length - 5]) {
        const result = extractText(ext, bytes.subarray(0, cut));
        assert.ok(result === undefined || typeof result.text === 'string', `${ext} cut at ${cut}`);
      }
    }
  });

  test('malformed XML inside a valid zip gives undefined or text, not a crash', () => {
    const bytes = zipSync({
      'word/document.xml': strToU8(`<w:document ${W}><w:body><w:p><w:r><w:t>unclosed`),
    });
    const result = extractText('docx', bytes);
    assert.ok(result === undefined || typeof result.text === 'string');
    assert.equal(extractText('docx', zipSync({ 'other.xml': strToU8('<a/>') })), undefined);
  });

  test('creating an unknown format is a typed error', () => {
    assert.throws(
      () => createOfficeFile('exe' as OfficeExtension, {}),
      (e: unknown) =>
        e instanceof OfficeFormatError && e.code === 'unsupported_format' && e.message.includes('.exe'),
    );
  });
});

describe('conversion', () => {
  test('every listed conversion produces a readable file with the source text', () => {
    const sources: Record<string, Uint8Array> = {
      '.docx': createOfficeFile('docx', { paragraphs: ['alpha', 'beta'] }),
      '.xlsx': createOfficeFile('xlsx', { rows: [['alpha', 'beta']] }),
      '.pptx': createOfficeFile('pptx', { slides: [['alpha', 'beta']] }),
      '.pdf': createOfficeFile('pdf', { paragraphs: ['alpha', 'beta'] }),
      '.txt': createOfficeFile('txt', { paragraphs: ['alpha', 'beta'] }),
      '.md': createOfficeFile('md', { paragraphs: ['alpha', 'beta'] }),
      '.csv': createOfficeFile('csv', { rows: [['alpha', 'beta']] }),
      '.html': new TextEncoder().encode(
        '<html><head><title>x</title></head><body><p>alpha</p><p>be&amp;ta</p></body></html>'.replace(
          'be&amp;ta',
          'beta',
        ),
      ),
      '.htm': new TextEncoder().encode('<p>alpha<br>beta</p>'),
      '.rtf': new TextEncoder().encode('{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\f0 alpha\\par beta\\par}'),
    };
    for (const [from, targets] of Object.entries(CONVERTIBLE_EXTENSIONS)) {
      for (const to of targets) {
        const out = convertFile(from, to, sources[from] as Uint8Array, 'T');
        assert.ok(out, `${from} -> ${to}`);
        const text = extractText(to, out)?.text ?? '';
        assert.match(text, /alpha/, `${from} -> ${to}`);
        assert.match(text, /beta/, `${from} -> ${to}`);
      }
    }
  });

  test('matches DocSpace’s table (document-formats onlyoffice-docs-formats.json) for PDFs, slides and Markdown', () => {
    for (const [from, to] of [
      ['.pdf', '.txt'],
      ['.pptx', '.txt'],
      ['.md', '.txt'],
      ['.rtf', '.txt'],
      ['.html', '.txt'],
      ['.docx', '.txt'],
    ] as const) {
      assert.ok(CONVERTIBLE_EXTENSIONS[from]?.includes(to), `${from} -> ${to}`);
    }
    assert.equal(CONVERTIBLE_EXTENSIONS['.pdf']?.includes('.pdf'), false);
  });

  test('reads RTF and HTML as text, without markup', () => {
    const rtf = "{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\f0\\fs24 Caf\\'e9 menu\\par Second line\\par}";
    assert.equal(extractText('rtf', new TextEncoder().encode(rtf))?.text, 'Café menu\nSecond line');
    const html = '<html><head><style>p{}</style></head><body><h1>Title</h1><p>A &amp; B</p></body></html>';
    assert.equal(extractText('html', new TextEncoder().encode(html))?.text, 'Title\nA & B');
  });

  test('a conversion DocSpace does not offer is refused', () => {
    assert.equal(convertFile('pptx', 'csv', createOfficeFile('pptx', { slides: [['a']] })), undefined);
    assert.equal(convertFile('png', 'pdf', createOfficeFile('png', {})), undefined);
  });
});
