/**
 * The PDF/A-3b parts pdf-lib does not write by itself: XMP metadata matching the Info
 * dictionary, an sRGB output intent, the attached file listed in the catalog's /AF, and the
 * trailer /ID. All dates and ids come from the caller, so the same input gives the same bytes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PDFDocument, PDFRef } from 'pdf-lib';
import { templatesDir } from '../core/paths.js';

type PdfLib = typeof import('pdf-lib');

export interface PdfaMeta {
  title: string;
  author: string;
  subject: string;
  keywords: string;
  creator: string;
  producer: string;
  /** Creation and modification date (deterministic: from the document, not the clock). */
  date: Date;
  /** BCP 47 language of the text. */
  lang: string;
  /** 16 bytes for the trailer /ID. */
  documentId: Uint8Array;
}

const fileCache = new Map<string, Uint8Array>();
/** Fonts and the ICC profile are read once per process: they are large and never change. */
function templateBytes(...parts: string[]): Uint8Array {
  const p = join(templatesDir(), ...parts);
  let b = fileCache.get(p);
  if (!b) {
    b = readFileSync(p);
    fileCache.set(p, b);
  }
  return b;
}

const xmlEscape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** ISO 8601 in UTC without milliseconds: the same instant as the Info dictionary's D:…Z. */
const xmpDate = (d: Date): string => `${d.toISOString().slice(0, 19)}Z`;

function xmpPacket(meta: PdfaMeta): string {
  const e = xmlEscape;
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${e(meta.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>${e(meta.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${e(meta.subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>${e(meta.lang)}</rdf:li></rdf:Bag></dc:language>
   <pdf:Keywords>${e(meta.keywords)}</pdf:Keywords>
   <pdf:Producer>${e(meta.producer)}</pdf:Producer>
   <xmp:CreatorTool>${e(meta.creator)}</xmp:CreatorTool>
   <xmp:CreateDate>${xmpDate(meta.date)}</xmp:CreateDate>
   <xmp:ModifyDate>${xmpDate(meta.date)}</xmp:ModifyDate>
   <xmp:MetadataDate>${xmpDate(meta.date)}</xmp:MetadataDate>
   <pdfaid:part>3</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}

/** Info dictionary, XMP, output intent and /ID. Call once, before saving. */
export function applyPdfA(lib: PdfLib, doc: PDFDocument, meta: PdfaMeta): void {
  const { PDFName, PDFString, PDFHexString } = lib;
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  doc.setAuthor(meta.author);
  doc.setSubject(meta.subject);
  doc.setKeywords([meta.keywords]);
  doc.setCreator(meta.creator);
  doc.setProducer(meta.producer);
  doc.setCreationDate(meta.date);
  doc.setModificationDate(meta.date);
  doc.setLanguage(meta.lang);

  const ctx = doc.context;
  // Uncompressed, as PDF/A requires of the metadata stream, so that archives can read it.
  const xmp = ctx.stream(new TextEncoder().encode(xmpPacket(meta)), { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), ctx.register(xmp));

  const icc = ctx.flateStream(templateBytes('icc', 'sRGB.icc'), { N: 3 });
  const intent = ctx.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFA1',
    // A string, not a name: validators reject /OutputConditionIdentifier /sRGB.
    OutputConditionIdentifier: PDFString.of('sRGB IEC61966-2.1'),
    Info: PDFString.of('sRGB IEC61966-2.1'),
    RegistryName: PDFString.of('http://www.color.org'),
    DestOutputProfile: ctx.register(icc),
  });
  doc.catalog.set(PDFName.of('OutputIntents'), ctx.obj([ctx.register(intent)]));

  const hex = Buffer.from(meta.documentId).toString('hex');
  ctx.trailerInfo.ID = ctx.obj([PDFHexString.of(hex), PDFHexString.of(hex)]);
}

/**
 * Attaches a file as PDF/A-3 associated file: embedded file stream with its MIME type,
 * a file specification with AFRelationship, listed both in the EmbeddedFiles name tree
 * (what viewers and pdfdetach show) and in the catalog's /AF (what PDF/A-3 requires).
 */
export function attachAssociatedFile(
  lib: PdfLib,
  doc: PDFDocument,
  bytes: Uint8Array,
  opts: { name: string; mimeType: string; description: string; date: Date; relationship: 'Data' | 'Source' },
): PDFRef {
  const { PDFName, PDFString, PDFHexString } = lib;
  const ctx = doc.context;
  const date = PDFString.fromDate(opts.date);
  const stream = ctx.flateStream(bytes, {
    Type: 'EmbeddedFile',
    Subtype: opts.mimeType,
    Params: { Size: bytes.length, CreationDate: date, ModDate: date },
  });
  const streamRef = ctx.register(stream);
  const spec = ctx.obj({
    Type: 'Filespec',
    F: PDFString.of(opts.name),
    UF: PDFHexString.fromText(opts.name),
    EF: { F: streamRef, UF: streamRef },
    Desc: PDFHexString.fromText(opts.description),
    AFRelationship: opts.relationship,
  });
  const specRef = ctx.register(spec);
  const names = ctx.obj({ EmbeddedFiles: ctx.obj({ Names: ctx.obj([PDFString.of(opts.name), specRef]) }) });
  doc.catalog.set(PDFName.of('Names'), names);
  doc.catalog.set(PDFName.of('AF'), ctx.obj([specRef]));
  return specRef;
}

type FontkitFont = import('@pdf-lib/fontkit').Font;
interface Fontkit {
  create(bytes: Uint8Array, postscriptName?: string): FontkitFont;
}

const parsed = new WeakMap<Uint8Array, FontkitFont>();

/**
 * A fontkit whose fonts map characters to glyphs straight through the cmap, without
 * OpenType shaping. Shaping costs most of the rendering time (fontkit runs the GSUB/GPOS
 * lookups on every measured word) and buys nothing for Finnish and Swedish text; it would
 * also turn "fi" into a ligature glyph that text extraction reads back poorly. Parsed fonts
 * are kept for the process: they are read-only once loaded.
 */
type DecodingGlyph = { _decode?: () => unknown; __decodeOnce?: true };

/**
 * Subsetting decodes the outline of every glyph it copies, for every document, although the
 * result never changes: decode each glyph once per process. Fontkit keeps glyph objects per
 * font, and the subset reads the decoded outline without changing it. Halves subset time.
 */
function memoizeGlyphOutlines(font: FontkitFont): void {
  const f = font as unknown as { getGlyph(id: number, cps?: number[]): DecodingGlyph };
  const getGlyph = f.getGlyph.bind(f);
  f.getGlyph = (id, cps) => {
    const g = getGlyph(id, cps);
    const decode = g._decode;
    if (!g.__decodeOnce && typeof decode === 'function') {
      let value: unknown;
      let done = false;
      g._decode = () => {
        if (!done) {
          value = decode.call(g);
          done = true;
        }
        return value;
      };
      g.__decodeOnce = true;
    }
    return g;
  };
}

type MappedGlyph = { codePoints: number[] };

/**
 * One glyph per character, each carrying the character it was drawn for: pdf-lib writes the
 * font's ToUnicode map from `glyph.codePoints`. Fontkit keeps one glyph object per glyph id
 * and fixes its code points when the object is first made, and the parsed font is shared by
 * every document of the process; subsetting makes the components of a composite glyph ("O"
 * and the diaeresis inside "Ö") with no code points at all. So once a document had drawn "Ö"
 * before any "O", every later document's "O" had no Unicode mapping: "KONFIDENTIELLT" was
 * copied as "K NFIDENTIELLT". A glyph made without code points gets this character's (no
 * character is drawn with an empty mapping); one that several characters share and that was
 * made for another is handed out as a view saying the right one (a view per use measures its
 * metrics again, so only then).
 */
function glyphsWithCodePoints(font: FontkitFont, text: string): MappedGlyph[] {
  const out: MappedGlyph[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const g = font.glyphForCodePoint(cp) as unknown as MappedGlyph;
    if (g.codePoints.length === 0) g.codePoints = [cp];
    out.push(
      g.codePoints.length === 1 && g.codePoints[0] === cp
        ? g
        : (Object.create(g, { codePoints: { value: [cp] } }) as MappedGlyph),
    );
  }
  return out;
}

function plainFontkit(fontkit: Fontkit): Fontkit {
  return {
    ...fontkit,
    create(bytes: Uint8Array, postscriptName?: string) {
      let font = parsed.get(bytes);
      if (!font) {
        font = fontkit.create(bytes, postscriptName);
        const f = font;
        f.layout = ((text: string) => ({ glyphs: glyphsWithCodePoints(f, text), positions: [] })) as never;
        memoizeGlyphOutlines(f);
        parsed.set(bytes, font);
      }
      return font;
    },
  } as Fontkit;
}

/** A subset tag of six capitals (ISO 32000-1, 9.6.4) derived from `seed`, so that output stays deterministic. */
function subsetTag(seed: Uint8Array, n: number): string {
  let tag = '';
  for (let i = 0; i < 6; i++)
    tag += String.fromCharCode(65 + (((seed[(i + n * 6) % seed.length] ?? 0) + n) % 26));
  return tag;
}

export async function embedFonts(doc: PDFDocument, seed: Uint8Array) {
  // CommonJS module: its namespace object arrives as the default export.
  const fontkit = ((await import('@pdf-lib/fontkit')) as unknown as { default: Fontkit }).default;
  doc.registerFontkit(plainFontkit(fontkit) as never);
  const [regular, bold] = await Promise.all([
    doc.embedFont(templateBytes('fonts', 'DejaVuSans.ttf'), {
      subset: true,
      customName: `${subsetTag(seed, 0)}+DejaVuSans`,
    }),
    doc.embedFont(templateBytes('fonts', 'DejaVuSans-Bold.ttf'), {
      subset: true,
      customName: `${subsetTag(seed, 1)}+DejaVuSans-Bold`,
    }),
  ]);
  return { regular, bold };
}
