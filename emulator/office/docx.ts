// Word documents: one w:p per paragraph, line breaks as w:br, tabs as w:tab.
import {
  contentTypes,
  coreProperties,
  parsePart,
  rootRelationships,
  unzipParts,
  zipParts,
} from './package.js';
import { descendants, escapeXml, XML_DECLARATION, type XmlElement } from './xml.js';

const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

export function createDocx(title: string | undefined, paragraphs: string[]): Uint8Array {
  const body = paragraphs.map(paragraphXml).join('');
  // A section with Letter size and 1" margins: what Word writes for a blank document.
  const sectPr =
    '<w:sectPr><w:pgSz w:w="12240" w:h="15840"/>' +
    '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/></w:sectPr>';
  const document = `${XML_DECLARATION}<w:document xmlns:w="${W_NS}"><w:body>${body}${sectPr}</w:body></w:document>`;
  return zipParts({
    '[Content_Types].xml': contentTypes([
      {
        part: 'word/document.xml',
        type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
      },
    ]),
    '_rels/.rels': rootRelationships('word/document.xml'),
    'docProps/core.xml': coreProperties(title),
    'word/document.xml': document,
  });
}

function paragraphXml(text: string): string {
  if (text === '') return '<w:p/>';
  const runs = text.split('\n').map((line, i) => {
    const parts = line
      .split('\t')
      .map((piece) => (piece ? `<w:t xml:space="preserve">${escapeXml(piece)}</w:t>` : ''));
    return `${i > 0 ? '<w:br/>' : ''}${parts.join('<w:tab/>')}`;
  });
  return `<w:p><w:r>${runs.join('')}</w:r></w:p>`;
}

/** Paragraph texts of the main document, or undefined when the package has no readable body. */
export function readDocx(bytes: Uint8Array): string[] | undefined {
  const parts = unzipParts(bytes);
  if (!parts) return undefined;
  const doc = parsePart(parts, 'word/document.xml');
  if (!doc) return undefined;
  const body = descendants(doc, 'w:body')[0] ?? doc;
  return descendants(body, 'w:p').map(paragraphText);
}

function paragraphText(p: XmlElement): string {
  let out = '';
  const walk = (el: XmlElement): void => {
    for (const child of el.children) {
      if (typeof child === 'string') continue;
      if (child.name === 'w:t') out += child.children.filter((c) => typeof c === 'string').join('');
      else if (child.name === 'w:tab') out += '\t';
      else if (child.name === 'w:br' || child.name === 'w:cr') out += '\n';
      // Nested paragraphs (text boxes) are listed separately by descendants(); skip them here.
      else if (child.name !== 'w:p') walk(child);
    }
  };
  walk(p);
  return out;
}
