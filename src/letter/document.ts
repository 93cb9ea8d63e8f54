/**
 * What the cover letter and the youth copy share: a pdf-lib document with embedded DejaVu
 * subsets, a flowing writer, and the PDF/A-3b finishing (metadata, output intent, /ID).
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { PDFDocument } from 'pdf-lib';
import type { Lang } from '../domain/language.js';
import type { Party } from '../schema/types.js';
import { FlowWriter } from './layout.js';
import { applyPdfA, attachAssociatedFile, embedFonts } from './pdfa.js';

export type PdfLib = typeof import('pdf-lib');

export interface RenderOptions {
  lang: Lang;
  /** The exact bytes of the handover file: hashed into the footer and, for the letter, attached. */
  fileBytes: Uint8Array;
  /** Date of the letter and of the PDF metadata; createdAt of the handover when absent. */
  now?: Date;
  /**
   * Last step before the one save: everything else (attachment, metadata) is in place. The
   * signing service adds its signature placeholder here, so the PDF is written only once.
   */
  beforeSave?: (pdf: PDFDocument) => void | Promise<void>;
}

export const orgName = (p: Party): string =>
  p.organization.unit ? `${p.organization.name}, ${p.organization.unit}` : p.organization.name;

export interface Started {
  lib: PdfLib;
  pdf: PDFDocument;
  w: FlowWriter;
}

/** `seed` (e.g. the hash of the handover file) makes the font subset tags deterministic. */
export async function startPdf(seed: Uint8Array): Promise<Started> {
  const lib = await import('pdf-lib');
  // updateMetadata false: pdf-lib would otherwise stamp its own producer and the current time.
  const pdf = await lib.PDFDocument.create({ updateMetadata: false });
  // Node's native zlib for the big streams (font subsets, ICC profile, attachment): pdf-lib's
  // JavaScript deflate was a tenth of the time of a signed letter. Same format, same bytes in
  // every run.
  const ctx = pdf.context;
  ctx.flateStream = (contents, dict = {}) =>
    ctx.stream(deflateSync(typeof contents === 'string' ? Buffer.from(contents, 'latin1') : contents), {
      ...dict,
      Filter: 'FlateDecode',
    });
  const fonts = await embedFonts(pdf, seed);
  return { lib, pdf, w: new FlowWriter(lib, pdf, fonts) };
}

/**
 * Page content streams compress through a cache that pdf-lib fills with its JavaScript
 * deflate; fill it with Node's zlib instead (same FlateDecode, an eighth of a signed letter's
 * CPU time less). Left alone should pdf-lib ever change that shape.
 */
function nativeDeflate(lib: PdfLib, pdf: PDFDocument): void {
  for (const [, obj] of pdf.context.enumerateIndirectObjects()) {
    if (!(obj instanceof lib.PDFContentStream)) continue;
    const s = obj as unknown as { contentsCache?: { access(): Uint8Array; invalidate(): void } };
    if (!s.contentsCache || typeof s.contentsCache.invalidate !== 'function') continue;
    let value: Uint8Array | undefined;
    s.contentsCache = {
      access: () => {
        value ??= deflateSync(obj.getUnencodedContents());
        return value;
      },
      invalidate: () => {
        value = undefined;
      },
    };
  }
}

export async function finishPdf(
  s: Started,
  meta: {
    title: string;
    subject: string;
    keywords: string;
    author: string;
    lang: Lang;
    date: Date;
    /** Distinguishes the letter from the youth copy of the same file in the /ID. */
    kind: string;
    fileBytes: Uint8Array;
    attachment?: { name: string; description: string };
    beforeSave?: RenderOptions['beforeSave'];
  },
): Promise<Uint8Array> {
  const { lib, pdf } = s;
  if (meta.attachment) {
    attachAssociatedFile(lib, pdf, meta.fileBytes, {
      name: meta.attachment.name,
      description: meta.attachment.description,
      mimeType: 'application/json',
      date: meta.date,
      relationship: 'Data',
    });
  }
  const id = createHash('sha256').update(meta.fileBytes).update(`\0${meta.kind}\0${meta.lang}`).digest();
  applyPdfA(lib, pdf, {
    title: meta.title,
    author: meta.author,
    subject: meta.subject,
    keywords: meta.keywords,
    creator: 'handover',
    producer: 'handover (pdf-lib)',
    date: new Date(Math.floor(meta.date.getTime() / 1000) * 1000),
    lang: { fi: 'fi-FI', sv: 'sv-FI', en: 'en' }[meta.lang],
    documentId: id.subarray(0, 16),
  });
  await meta.beforeSave?.(pdf);
  // After the signature placeholder, so that its widget is in the structure too.
  s.w.tags.write(pdf);
  nativeDeflate(lib, pdf);
  // Classic cross-reference table and no object streams: simpler for every reader, and the
  // signature placeholder must stay a top-level object.
  return pdf.save({ useObjectStreams: false });
}
