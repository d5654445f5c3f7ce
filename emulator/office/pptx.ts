// Presentations: each slide is one text box with a paragraph per string. PowerPoint refuses a
// package without a master, a layout and a theme, so the smallest valid set of each is written.
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
import { childElements, descendants, escapeXml, XML_DECLARATION, type XmlElement } from './xml.js';

const NS =
  'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ' +
  `xmlns:r="${OFFICE_REL}" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"`;
const PML = 'application/vnd.openxmlformats-officedocument.presentationml';
const EMPTY_GROUP =
  '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>' +
  '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>';

export function createPptx(title: string | undefined, slides: string[][]): Uint8Array {
  const parts: Record<string, string> = {};
  const overrides = [
    { part: 'ppt/presentation.xml', type: `${PML}.presentation.main+xml` },
    { part: 'ppt/slideMasters/slideMaster1.xml', type: `${PML}.slideMaster+xml` },
    { part: 'ppt/slideLayouts/slideLayout1.xml', type: `${PML}.slideLayout+xml` },
    { part: 'ppt/theme/theme1.xml', type: 'application/vnd.openxmlformats-officedocument.theme+xml' },
    ...slides.map((_, i) => ({ part: `ppt/slides/slide${i + 1}.xml`, type: `${PML}.slide+xml` })),
  ];
  parts['[Content_Types].xml'] = contentTypes(overrides);
  parts['_rels/.rels'] = rootRelationships('ppt/presentation.xml');
  parts['docProps/core.xml'] = coreProperties(title);

  const slideIds = slides.map((_, i) => `<p:sldId id="${256 + i}" r:id="rId${i + 3}"/>`).join('');
  parts['ppt/presentation.xml'] =
    `${XML_DECLARATION}<p:presentation ${NS}>` +
    '<p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst>' +
    (slideIds ? `<p:sldIdLst>${slideIds}</p:sldIdLst>` : '') +
    '<p:sldSz cx="9144000" cy="6858000" type="screen4x3"/><p:notesSz cx="6858000" cy="9144000"/></p:presentation>';
  parts['ppt/_rels/presentation.xml.rels'] = relationships([
    { id: 'rId1', type: `${OFFICE_REL}/slideMaster`, target: 'slideMasters/slideMaster1.xml' },
    { id: 'rId2', type: `${OFFICE_REL}/theme`, target: 'theme/theme1.xml' },
    ...slides.map((_, i) => ({
      id: `rId${i + 3}`,
      type: `${OFFICE_REL}/slide`,
      target: `slides/slide${i + 1}.xml`,
    })),
  ]);

  parts['ppt/slideMasters/slideMaster1.xml'] =
    `${XML_DECLARATION}<p:sldMaster ${NS}><p:cSld><p:spTree>${EMPTY_GROUP}</p:spTree></p:cSld>` +
    '<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3" ' +
    'accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/>' +
    '<p:sldLayoutIdLst><p:sldLayoutId id="2147483649" r:id="rId1"/></p:sldLayoutIdLst></p:sldMaster>';
  parts['ppt/slideMasters/_rels/slideMaster1.xml.rels'] = relationships([
    { id: 'rId1', type: `${OFFICE_REL}/slideLayout`, target: '../slideLayouts/slideLayout1.xml' },
    { id: 'rId2', type: `${OFFICE_REL}/theme`, target: '../theme/theme1.xml' },
  ]);
  parts['ppt/slideLayouts/slideLayout1.xml'] =
    `${XML_DECLARATION}<p:sldLayout ${NS} type="blank" preserve="1"><p:cSld name="Blank"><p:spTree>${EMPTY_GROUP}</p:spTree></p:cSld>` +
    '<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>';
  parts['ppt/slideLayouts/_rels/slideLayout1.xml.rels'] = relationships([
    { id: 'rId1', type: `${OFFICE_REL}/slideMaster`, target: '../slideMasters/slideMaster1.xml' },
  ]);
  parts['ppt/theme/theme1.xml'] = THEME;

  slides.forEach((texts, i) => {
    parts[`ppt/slides/slide${i + 1}.xml`] = slideXml(texts);
    parts[`ppt/slides/_rels/slide${i + 1}.xml.rels`] = relationships([
      { id: 'rId1', type: `${OFFICE_REL}/slideLayout`, target: '../slideLayouts/slideLayout1.xml' },
    ]);
  });
  return zipParts(parts);
}

function slideXml(texts: string[]): string {
  const paragraphs = (texts.length ? texts : ['']).map((text, i) => {
    const size = i === 0 ? 3200 : 2000;
    const lines = text
      .split('\n')
      .map((line) => `<a:r><a:rPr lang="en-US" sz="${size}"/><a:t>${escapeXml(line)}</a:t></a:r>`);
    return `<a:p>${lines.join('<a:br/>')}</a:p>`;
  });
  const box =
    '<p:sp><p:nvSpPr><p:cNvPr id="2" name="Text 1"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>' +
    '<p:spPr><a:xfrm><a:off x="457200" y="457200"/><a:ext cx="8229600" cy="5943600"/></a:xfrm>' +
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr>' +
    `<p:txBody><a:bodyPr wrap="square"/><a:lstStyle/>${paragraphs.join('')}</p:txBody></p:sp>`;
  return (
    `${XML_DECLARATION}<p:sld ${NS}><p:cSld><p:spTree>${EMPTY_GROUP}${box}</p:spTree></p:cSld>` +
    '<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>'
  );
}

/** Texts of each slide in presentation order (paragraphs of all shapes), or undefined if unreadable. */
export function readPptx(bytes: Uint8Array): string[][] | undefined {
  const parts = unzipParts(bytes);
  if (!parts) return undefined;
  const presentation = parsePart(parts, 'ppt/presentation.xml');
  if (!presentation) return undefined;
  const rels = resolveRelationships(parts, 'ppt/presentation.xml');
  const slidePaths = descendants(presentation, 'p:sldId')
    .map((s) => rels.get(s.attrs['r:id'] ?? '')?.path)
    .filter((p): p is string => p !== undefined);
  return slidePaths.map((path) => {
    const slide = parsePart(parts, path);
    return slide ? descendants(slide, 'a:p').map(paragraphText) : [];
  });
}

function paragraphText(p: XmlElement): string {
  return childElements(p)
    .map((el) => {
      if (el.name === 'a:br') return '\n';
      if (el.name !== 'a:r' && el.name !== 'a:fld') return '';
      return childElements(el, 'a:t')
        .map((t) => t.children.filter((c) => typeof c === 'string').join(''))
        .join('');
    })
    .join('');
}

function colour(name: string, rgb: string): string {
  return `<a:${name}><a:srgbClr val="${rgb}"/></a:${name}>`;
}

const SOLID = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>';
const THEME =
  `${XML_DECLARATION}<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office Theme"><a:themeElements>` +
  '<a:clrScheme name="Office"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1>' +
  '<a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>' +
  colour('dk2', '44546A') +
  colour('lt2', 'E7E6E6') +
  colour('accent1', '4472C4') +
  colour('accent2', 'ED7D31') +
  colour('accent3', 'A5A5A5') +
  colour('accent4', 'FFC000') +
  colour('accent5', '5B9BD5') +
  colour('accent6', '70AD47') +
  colour('hlink', '0563C1') +
  colour('folHlink', '954F72') +
  '</a:clrScheme>' +
  '<a:fontScheme name="Office">' +
  '<a:majorFont><a:latin typeface="Calibri Light"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont>' +
  '<a:minorFont><a:latin typeface="Calibri"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont></a:fontScheme>' +
  '<a:fmtScheme name="Office">' +
  `<a:fillStyleLst>${SOLID}${SOLID}${SOLID}</a:fillStyleLst>` +
  '<a:lnStyleLst>' +
  `<a:ln w="6350">${SOLID}</a:ln><a:ln w="12700">${SOLID}</a:ln><a:ln w="19050">${SOLID}</a:ln>` +
  '</a:lnStyleLst>' +
  '<a:effectStyleLst><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle>' +
  '<a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst>' +
  `<a:bgFillStyleLst>${SOLID}${SOLID}${SOLID}</a:bgFillStyleLst>` +
  '</a:fmtScheme></a:themeElements></a:theme>';
