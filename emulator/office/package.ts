// OPC (Open Packaging Conventions) plumbing shared by docx, xlsx and pptx: zipping parts,
// reading them back, relationships and core properties.
import { strFromU8, strToU8, unzipSync, type Zippable, zipSync } from 'fflate';
import { descendants, escapeXml, parseXml, XML_DECLARATION, type XmlElement } from './xml.js';

/** Fixed timestamp so the same content always gives the same bytes (seeded portals stay stable). */
const ZIP_TIME = new Date('2024-01-01T00:00:00Z');

export const REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
export const OFFICE_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const CORE_REL = 'http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties';

export function zipParts(parts: Record<string, string>): Uint8Array {
  const files: Zippable = {};
  for (const [path, xml] of Object.entries(parts)) files[path] = [strToU8(xml), { mtime: ZIP_TIME }];
  return zipSync(files, { level: 6 });
}

/** Reads every part of a zip package as text; undefined when the bytes are not a readable zip. */
export function unzipParts(bytes: Uint8Array): Map<string, string> | undefined {
  // "PK\x03\x04": anything else is not a package, and checking first avoids a slow failure.
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) return undefined;
  try {
    const entries = unzipSync(bytes);
    const parts = new Map<string, string>();
    for (const [path, data] of Object.entries(entries)) parts.set(path.replace(/^\//, ''), strFromU8(data));
    return parts;
  } catch {
    return undefined;
  }
}

export function relationships(rels: Array<{ id: string; type: string; target: string }>): string {
  const items = rels
    .map((r) => `<Relationship Id="${r.id}" Type="${r.type}" Target="${escapeXml(r.target)}"/>`)
    .join('');
  return `${XML_DECLARATION}<Relationships xmlns="${REL_NS}">${items}</Relationships>`;
}

/** Root `_rels/.rels`: the main part plus core properties (where the title lives). */
export function rootRelationships(mainPart: string): string {
  return relationships([
    { id: 'rId1', type: `${OFFICE_REL}/officeDocument`, target: mainPart },
    { id: 'rId2', type: CORE_REL, target: 'docProps/core.xml' },
  ]);
}

export function coreProperties(title: string | undefined): string {
  const titleXml = title ? `<dc:title>${escapeXml(title)}</dc:title>` : '';
  return (
    `${XML_DECLARATION}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `${titleXml}<dc:creator>DocSpace emulator</dc:creator>` +
    '<dcterms:created xsi:type="dcterms:W3CDTF">2024-01-01T00:00:00Z</dcterms:created>' +
    '</cp:coreProperties>'
  );
}

export function contentTypes(overrides: Array<{ part: string; type: string }>): string {
  const items = overrides.map((o) => `<Override PartName="/${o.part}" ContentType="${o.type}"/>`).join('');
  return (
    `${XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
    `${items}</Types>`
  );
}

export function parsePart(parts: Map<string, string>, path: string): XmlElement | undefined {
  const xml = parts.get(path);
  return xml === undefined ? undefined : parseXml(xml);
}

/**
 * Resolves relationship ids of a part (e.g. `xl/workbook.xml`) to package paths, reading
 * `xl/_rels/workbook.xml.rels`. Targets are relative to the part's folder unless absolute.
 */
export function resolveRelationships(
  parts: Map<string, string>,
  partPath: string,
): Map<string, { path: string; type: string }> {
  const slash = partPath.lastIndexOf('/');
  const dir = slash < 0 ? '' : partPath.slice(0, slash);
  const file = partPath.slice(slash + 1);
  const rels = parsePart(parts, `${dir ? `${dir}/` : ''}_rels/${file}.rels`);
  const out = new Map<string, { path: string; type: string }>();
  if (!rels) return out;
  for (const rel of descendants(rels, 'Relationship')) {
    const id = rel.attrs.Id;
    const target = rel.attrs.Target;
    if (!id || !target || rel.attrs.TargetMode === 'External') continue;
    const path = target.startsWith('/') ? target.slice(1) : normalisePath(dir ? `${dir}/${target}` : target);
    out.set(id, { path, type: rel.attrs.Type ?? '' });
  }
  return out;
}

function normalisePath(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '..') out.pop();
    else if (seg !== '.' && seg !== '') out.push(seg);
  }
  return out.join('/');
}
